#!/usr/bin/env bash
# The Python subscriber (scripts/airprox_subscribe.py, Debian's python3-grpcio) against a real
# airproxd fed the formation excerpt by `airprox replay`:
#   1. live, --json, subscribed before the replay: the first event is the STARTED of 3900fb/39c424;
#   2. after the replay, --snapshot, text: the active encounter's line, marked snapshot;
#   3. after the replay, --from-seq 1 --rule nmac --min-severity ALERT --json: the nmac escalation;
#   4. against an airproxd with a token file: refused without a token, let in with AIRPROX_TOKEN or
#      --token-file.
# Usage: python_subscriber_test.sh AIRPROXD AIRPROX_CLI SUBSCRIBER PYTHON_DIR RECORDING
set -euo pipefail
[ $# -eq 5 ] || { echo "usage: $0 AIRPROXD AIRPROX_CLI SUBSCRIBER PYTHON_DIR RECORDING" >&2; exit 2; }
airproxd="$1" cli="$2" subscriber="$3" python_dir="$4" recording="$5"
source "$(dirname "${BASH_SOURCE[0]}")/airproxd_test_helpers.sh"

# Not `python3`: that may be another interpreter (pyenv) without Debian's packages.
PYTHON=/usr/bin/python3
"$PYTHON" -c 'import grpc, google.protobuf' 2>/dev/null ||
  fail "$PYTHON cannot import grpc and google.protobuf: run scripts/setup.sh --test"
export AIRPROX_PYTHON_DIR="$python_dir"
subscribe() { timeout 60 "$PYTHON" "$subscriber" --server "$AIRPROXD_ADDR" --timeout 30 "$@"; }

start_airproxd "$airproxd"

# 1. Live. The first line it prints is a heartbeat (--json prints them): from then on it cannot miss
# an event of the replay.
subscribe --json --count 1 >"$TEST_TMP/live.jsonl" 2>"$TEST_TMP/live.err" &
live_pid=$!
track_pid "$live_pid"
subscribed() {
  kill -0 "$live_pid" 2>/dev/null || fail "the subscriber exited early: $(cat "$TEST_TMP/live.err")"
  grep -qs '"kind":"HEARTBEAT"' "$TEST_TMP/live.jsonl"
}
wait_for "the subscriber's first heartbeat" 15 subscribed

timeout 60 "$cli" --server "$AIRPROXD_ADDR" replay --speed 0 "$recording" >"$TEST_TMP/replay.out" 2>&1 ||
  fail "airprox replay failed: $(cat "$TEST_TMP/replay.out")"

live_status=0
wait "$live_pid" || live_status=$?
[ "$live_status" -eq 0 ] ||
  fail "the live subscriber exited with $live_status: $(cat "$TEST_TMP/live.err")"
"$PYTHON" - "$TEST_TMP/live.jsonl" <<'PY' || fail "no STARTED event for 3900fb and 39c424 (output above)"
import json, sys
events = [json.loads(line) for line in open(sys.argv[1])]
encounters = [e for e in events if e.get("kind") != "HEARTBEAT"]
print("live subscriber: %d heartbeat(s), then %s" % (len(events) - len(encounters), encounters))
e = encounters[0] if len(encounters) == 1 else {}
sys.exit(0 if e.get("kind") == "STARTED"
         and {e["a"]["trackId"], e["b"]["trackId"]} == {"3900fb", "39c424"}
         and e["encounterId"].startswith("3900fb-39c424-") else 1)
PY

# 2. Snapshot, text: the encounter is still active (nothing ends it before shutdown).
subscribe --snapshot --count 1 >"$TEST_TMP/snapshot.txt" 2>"$TEST_TMP/snapshot.err" ||
  fail "the snapshot subscriber failed: $(cat "$TEST_TMP/snapshot.err")"
cat "$TEST_TMP/snapshot.txt"
grep -Eq '^2017-12-01T[0-9:]{8}Z (STARTED|UPDATED) .* 3900fb/FWKDL <> 39c424/AFR787V .* id=3900fb-39c424-[0-9]+ seq=[0-9]+ snapshot$' \
  "$TEST_TMP/snapshot.txt" || fail "the snapshot line is not the 3900fb/39c424 encounter"

# 3. Resume from the server's history with filters: the escalation to nmac (ALERT).
subscribe --from-seq 1 --rule nmac --min-severity alert --json --count 1 \
  >"$TEST_TMP/resume.jsonl" 2>"$TEST_TMP/resume.err" ||
  fail "the resuming subscriber failed: $(cat "$TEST_TMP/resume.err")"
"$PYTHON" - "$TEST_TMP/resume.jsonl" <<'PY' || fail "no nmac event from the history"
import json, sys
events = [json.loads(line) for line in open(sys.argv[1])]
encounters = [e for e in events if e.get("kind") != "HEARTBEAT"]
print("resuming subscriber: %s" % encounters)
e = encounters[0] if len(encounters) == 1 else {}
sys.exit(0 if e.get("rule") == "nmac" and e.get("severity") == "ALERT"
         and int(e.get("sequence", "0")) > 1 else 1)
PY

# 4. Bearer tokens.
stop_airproxd
printf '%s python-test subscribe\n' "$(printf %s py-secret | sha256sum | cut -d' ' -f1)" >"$TEST_TMP/tokens"
printf 'py-secret\n' >"$TEST_TMP/py.token"
start_airproxd "$airproxd" --token-file "$TEST_TMP/tokens"
if subscribe --timeout 5 >"$TEST_TMP/anonymous.out" 2>"$TEST_TMP/anonymous.err"; then
  fail "a subscriber without a token was let in"
fi
grep -q "UNAUTHENTICATED" "$TEST_TMP/anonymous.err" ||
  fail "no UNAUTHENTICATED for a subscriber without a token: $(cat "$TEST_TMP/anonymous.err")"
AIRPROX_TOKEN=py-secret subscribe --json --timeout 1 >"$TEST_TMP/env.jsonl" 2>"$TEST_TMP/env.err" ||
  fail "the subscriber with AIRPROX_TOKEN failed: $(cat "$TEST_TMP/env.err")"
grep -q '"kind":"HEARTBEAT"' "$TEST_TMP/env.jsonl" || fail "no heartbeat with AIRPROX_TOKEN"
subscribe --json --timeout 1 --token-file "$TEST_TMP/py.token" >"$TEST_TMP/file.jsonl" 2>"$TEST_TMP/file.err" ||
  fail "the subscriber with --token-file failed: $(cat "$TEST_TMP/file.err")"
grep -q '"kind":"HEARTBEAT"' "$TEST_TMP/file.jsonl" || fail "no heartbeat with --token-file"

echo "PASS"
