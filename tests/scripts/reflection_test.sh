#!/usr/bin/env bash
# Server reflection and health, through clients this project did not write: installs the pinned
# @grpc/grpc-js and grpc-js-reflection-client (tests/scripts/npm/package-lock.json) into NPM_DIR
# with `npm ci` (again only when the lock file changes), starts airproxd, replays a recording so that
# there are live tracks, and runs reflection_test.js against it. Needs node and npm (scripts/setup.sh
# --test) and the npm registry on the first run: when the install fails the test fails.
# Usage: reflection_test.sh AIRPROXD AIRPROX_CLI RECORDING NPM_DIR
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: $0 AIRPROXD AIRPROX_CLI RECORDING NPM_DIR" >&2; exit 2; }
airproxd="$1" cli="$2" recording="$3" npm_dir="$4"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/airproxd_test_helpers.sh"

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
  fail "node and npm are needed on PATH: run scripts/setup.sh --test"
echo "node $(node --version), npm $(npm --version)"

npm_install_pinned "$here/npm" "$npm_dir" "the reflection test"

start_airproxd "$airproxd"
timeout 60 "$cli" --server "$AIRPROXD_ADDR" replay --speed 0 "$recording" >"$TEST_TMP/replay.out" 2>&1 ||
  fail "airprox replay failed: $(cat "$TEST_TMP/replay.out")"

AIRPROX_NPM_DIR="$npm_dir" timeout 60 node "$here/reflection_test.js" "$AIRPROXD_ADDR" 39c424 3900fb ||
  fail "reflection_test.js failed (its output above)"
