#!/usr/bin/env bash
# `cmake --install` into a temporary prefix as the README documents it: binaries, the editable
# config, and the systemd unit whose ExecStart runs the installed binary with the installed config;
# the installed airproxd serves the live map's page and Leaflet (embedded in it).
# Args: BUILD_DIR.
set -euo pipefail
build="$1"
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/airproxd bin/airprox etc/airprox/airprox.yaml lib/systemd/system/airproxd.service; do
  [ -e "$prefix/$f" ] || fail "$f not installed"
done
unit="$prefix/lib/systemd/system/airproxd.service"
exec_start="$(sed -n 's/^ExecStart=//p' "$unit")"
[ "$exec_start" = "$prefix/bin/airproxd --config $prefix/etc/airprox/airprox.yaml --data-dir /var/lib/airprox" ] \
  || fail "ExecStart is '$exec_start'"
grep -q '^ExecReload=/bin/kill -HUP \$MAINPID$' "$unit" || fail "ExecReload"
grep -q '^WantedBy=multi-user.target$' "$unit" || fail "[Install]"
# The unit's command line is valid: the same flags print the effective config.
read -r -a argv <<<"$exec_start"
"${argv[@]}" --print-config | grep -q 'listen: "127.0.0.1:50051"' || fail "installed airproxd with the installed config"
"$prefix/bin/airprox" --help >/dev/null || fail "installed airprox"
: >"$prefix/airproxd.log"  # before the daemon's shell opens it: the polling below reads it at once
"$prefix/bin/airproxd" --listen 127.0.0.1:0 --http-listen 127.0.0.1:0 --data-dir "$prefix/data" \
  >"$prefix/airproxd.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$prefix"' EXIT
http=""
for _ in $(seq 100); do
  http="$(sed -n 's/.*airproxd HTTP on \(127\.0\.0\.1:[0-9][0-9]*\).*/\1/p' "$prefix/airproxd.log")"
  [ -n "$http" ] && break
  sleep 0.1
done
[ -n "$http" ] || fail "installed airproxd did not start: $(cat "$prefix/airproxd.log")"
for path in / /map.js /base_map.geojson /leaflet/leaflet.js; do
  curl -sf -o /dev/null "http://$http$path" || fail "installed airproxd does not serve $path"
done
echo PASS
