#!/usr/bin/env bash
# scripts/replay.sh as a user runs it with no server up: it starts one, replays the formation
# excerpt, prints the encounter and stops the server. Args: BUILD_DIR.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export AIRPROX_BUILD_DIR="$1"
# A port nothing listens on (bash only: no other tool needed on a fresh machine).
for _ in $(seq 1 50); do
  port=$((20000 + RANDOM % 40000))
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
done
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
timeout 120 "$root/scripts/replay.sh" --server "127.0.0.1:$port" \
  "$root/tests/data/formation_afr787v_tbm900_excerpt.csv.gz" >"$out" 2>&1
cat "$out"
fail() { echo "FAIL: $*" >&2; exit 1; }
grep -q "no airproxd at 127.0.0.1:$port: starting one" "$out" || fail "did not start a server"
grep -q "accepted 2402, rejected 0" "$out" || fail "replay summary"
grep -q "STARTED ADVISORY conflict .*3900fb/FWKDL <> 39c424/AFR787V" "$out" || fail "no STARTED line"
grep -q "ENDED .* reason=shutdown max=ALERT" "$out" || fail "no ENDED line"
grep -q "replay.sh: 1 encounters ended, ALERT 1" "$out" || fail "summary"
! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || fail "the server it started is still running"
echo PASS
