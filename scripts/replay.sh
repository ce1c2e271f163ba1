#!/usr/bin/env bash
# Replays recordings and prints the encounters they produce:
#
#   scripts/replay.sh [--server HOST:PORT] FILE... [REPLAY OPTIONS]
#
# Builds the project if needed (scripts/build.sh; set AIRPROX_BUILD_DIR to use an existing build
# folder instead). If no airproxd answers at --server (default 127.0.0.1:50051), starts one there for
# the replay, with its journal in a temporary folder, and stops it afterwards: its shutdown ends the
# encounters still active (reason shutdown). Subscribes, runs `airprox replay FILE... --speed 0`
# (REPLAY OPTIONS such as --format, --speed or --rebase-time go to it), and prints every encounter
# event, then a count of encounters by highest severity.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

server="127.0.0.1:50051"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --server) server="$2"; shift 2 ;;
    --server=*) server="${1#--server=}"; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
[ ${#args[@]} -gt 0 ] || { echo "usage: scripts/replay.sh [--server HOST:PORT] FILE... [REPLAY OPTIONS]" >&2; exit 2; }

build="${AIRPROX_BUILD_DIR:-}"
if [ -z "$build" ]; then
  "$root/scripts/build.sh" >/dev/null
  build="$root/build"
fi
cli="$build/client/airprox"
daemon="$build/server/airproxd"

work="$(mktemp -d)"
server_pid=""
sub_pid=""
cleanup() {
  [ -n "$sub_pid" ] && kill "$sub_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

if ! "$cli" tracks --server "$server" --connect-timeout 0.5 >/dev/null 2>&1; then
  echo "replay.sh: no airproxd at $server: starting one (log: $work/airproxd.log)" >&2
  "$daemon" --listen "$server" --http-listen 127.0.0.1:0 --data-dir "$work/data" >"$work/airproxd.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    "$cli" tracks --server "$server" --connect-timeout 0.2 >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/airproxd.log" >&2; exit 1; }
    sleep 0.1
  done
fi

"$cli" subscribe --server "$server" >"$work/events.txt" 2>"$work/subscribe.err" &
sub_pid=$!
sleep 0.5  # let the subscription register before the first position goes in

"$cli" replay --server "$server" --speed 0 --no-progress "${args[@]}" >&2

if [ -n "$server_pid" ]; then
  kill -TERM "$server_pid"  # a clean stop: active encounters end, the subscriber's stream ends
  wait "$server_pid" || true
  server_pid=""
  wait "$sub_pid" || true
else
  sleep 1  # the last events reach the subscriber
  kill "$sub_pid" 2>/dev/null || true
  wait "$sub_pid" 2>/dev/null || true
fi
sub_pid=""

grep -v '^HEARTBEAT' "$work/events.txt" || true
awk '$2 == "ENDED" { n++; for (i = 1; i <= NF; i++) if ($i ~ /^max=/) sev[substr($i, 5)]++ }
     END { printf "replay.sh: %d encounters ended", n; for (s in sev) printf ", %s %d", s, sev[s]; print "" }' \
  "$work/events.txt" >&2
