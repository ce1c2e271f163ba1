# Sourced by the tests in this folder: starts a throwaway airproxd and cleans up after the test.
#   start_airproxd AIRPROXD_BINARY   sets AIRPROXD_ADDR (127.0.0.1:PORT) and AIRPROXD_PID
#   stop_airproxd                    SIGTERM, then SIGKILL after 10 s
#   fail MESSAGE                     prints "FAIL: MESSAGE" with the server's log, exits 1
# Every test gets its own temporary folder ($TEST_TMP), removed on exit with every process the
# test started in the background (track them with track_pid PID).

TEST_TMP="$(mktemp -d "${TMPDIR:-/tmp}/airprox-test.XXXXXX")"
TEST_PIDS=()
AIRPROXD_PID=""
AIRPROXD_ADDR=""
AIRPROXD_HTTP_ADDR=""

track_pid() { TEST_PIDS+=("$1"); }

cleanup() {
  local pid
  for pid in "${TEST_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "$AIRPROXD_PID" ] && stop_airproxd
  for pid in "${TEST_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$TEST_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
  echo "FAIL: $*" >&2
  if [ -s "$TEST_TMP/airproxd.log" ]; then
    echo "--- airproxd log (last 30 lines)" >&2
    tail -n 30 "$TEST_TMP/airproxd.log" >&2
  fi
  exit 1
}

# Waits up to $2 seconds (tenths) for the command $3... to succeed.
wait_for() {
  local what="$1" tenths=$(($2 * 10)); shift 2
  while ! "$@"; do
    tenths=$((tenths - 1))
    [ "$tenths" -gt 0 ] || fail "timed out waiting for $what"
    sleep 0.1
  done
}

# Storage off (no journal on disk), heartbeats every 0.2 s so that a subscriber shows quickly that
# its stream is live, and port 0 for gRPC and HTTP: the kernel picks free ports, which airproxd
# logs (AIRPROXD_HTTP_ADDR is set too). Arguments after the binary go to airproxd.
start_airproxd() {
  local binary="$1"
  shift
  cat >"$TEST_TMP/airproxd.yaml" <<'YAML'
storage:
  dir: ""
http:
  listen: "127.0.0.1:0"
subscribers:
  heartbeat_s: 0.2
YAML
  "$binary" --config "$TEST_TMP/airproxd.yaml" --listen 127.0.0.1:0 --log-level info "$@" \
    >"$TEST_TMP/airproxd.log" 2>&1 &
  AIRPROXD_PID=$!
  airproxd_listening() {
    kill -0 "$AIRPROXD_PID" 2>/dev/null || fail "airproxd exited at start"
    AIRPROXD_ADDR="$(sed -n 's/.*airproxd listening on \(127\.0\.0\.1:[0-9][0-9]*\).*/\1/p' \
      "$TEST_TMP/airproxd.log" | head -n 1)"
    AIRPROXD_HTTP_ADDR="$(sed -n 's/.*airproxd HTTP on \(127\.0\.0\.1:[0-9][0-9]*\).*/\1/p' \
      "$TEST_TMP/airproxd.log" | head -n 1)"
    [ -n "$AIRPROXD_ADDR" ] && [ -n "$AIRPROXD_HTTP_ADDR" ]
  }
  wait_for "airproxd to listen" 10 airproxd_listening
  echo "airproxd listening on $AIRPROXD_ADDR (pid $AIRPROXD_PID)"
}

stop_airproxd() {
  local pid="$AIRPROXD_PID" tenths=100
  AIRPROXD_PID=""
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null && [ "$tenths" -gt 0 ]; do
    sleep 0.1
    tenths=$((tenths - 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "airproxd did not stop within 10 s of SIGTERM; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
