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
  local status=$? pid
  for pid in "${TEST_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "$AIRPROXD_PID" ] && stop_airproxd
  for pid in "${TEST_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  # In a sanitizer build (scripts/test.sh --sanitize) a finding in airproxd fails the test, also
  # one made while it shut down, after the test's own checks passed.
  if grep -q -e "WARNING: ThreadSanitizer" -e "ERROR: AddressSanitizer" -e "ERROR: LeakSanitizer" \
    -e "runtime error:" "$TEST_TMP/airproxd.log" 2>/dev/null; then
    echo "FAIL: airproxd reported a sanitizer finding:" >&2
    cat "$TEST_TMP/airproxd.log" >&2
    status=1
  fi
  rm -rf "$TEST_TMP"
  exit "$status"
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
  : >"$TEST_TMP/airproxd.log"  # before the daemon's shell opens it: the polling below reads it at once
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

# Installs the npm packages that PACKAGE_DIR's package-lock.json pins into NPM_DIR with `npm ci`,
# unless that exact lock file is installed there already; fails the test (naming WHAT needs them)
# when the install fails, e.g. without the npm registry.
#   npm_install_pinned PACKAGE_DIR NPM_DIR WHAT
npm_install_pinned() {
  local package_dir="$1" npm_dir="$2" what="$3"
  local lock="$package_dir/package-lock.json" stamp="$npm_dir/.installed-lock"
  if [ -d "$npm_dir/node_modules" ] && cmp -s "$lock" "$stamp"; then return 0; fi
  mkdir -p "$npm_dir"
  rm -f "$stamp"
  cp "$package_dir/package.json" "$lock" "$npm_dir/"
  echo "npm ci in $npm_dir"
  if ! (cd "$npm_dir" && timeout 150 npm ci --no-audit --no-fund --loglevel=error) >"$TEST_TMP/npm.log" 2>&1; then
    cat "$TEST_TMP/npm.log" >&2
    fail "npm ci of $lock into $npm_dir failed (is the npm registry reachable?); $what cannot run without it"
  fi
  cp "$lock" "$stamp"
}
