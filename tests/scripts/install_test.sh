#!/usr/bin/env bash
# `cmake --install` into a temporary prefix as the README documents it: binaries, the editable
# config, and the systemd unit whose ExecStart runs the installed binary with the installed config.
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
echo PASS
