#!/usr/bin/env bash
# The live map in a real browser: installs the pinned puppeteer-core
# (tests/scripts/npm-map/package-lock.json) into NPM_DIR with `npm ci` (again only when the lock file
# changes), starts airproxd, and runs map_browser_test.js, which drives Debian's chromium headless
# through a replay of the formation excerpt (see the script). Needs node, npm and chromium
# (scripts/setup.sh --test) and the npm registry on the first run: when the install fails the test
# fails. Screenshots go to OUT_DIR.
# Usage: map_browser_test.sh AIRPROXD AIRPROX_CLI RECORDING NPM_DIR OUT_DIR
set -euo pipefail
[ $# -eq 5 ] || { echo "usage: $0 AIRPROXD AIRPROX_CLI RECORDING NPM_DIR OUT_DIR" >&2; exit 2; }
airproxd="$1" cli="$2" recording="$3" npm_dir="$4" out_dir="$5"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/airproxd_test_helpers.sh"

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
  fail "node and npm are needed on PATH: run scripts/setup.sh --test"
chromium="$(command -v chromium || true)"
[ -n "$chromium" ] || fail "chromium is needed on PATH: run scripts/setup.sh --test"
echo "node $(node --version), $("$chromium" --version 2>/dev/null)"

npm_install_pinned "$here/npm-map" "$npm_dir" "the map browser test"

start_airproxd "$airproxd"
mkdir -p "$out_dir"
AIRPROX_NPM_DIR="$npm_dir" timeout 150 node "$here/map_browser_test.js" \
  "$chromium" "$AIRPROXD_HTTP_ADDR" "$cli" "$AIRPROXD_ADDR" "$recording" "$TEST_TMP" "$out_dir" ||
  fail "map_browser_test.js failed (its output above)"
