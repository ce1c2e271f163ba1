#!/usr/bin/env bash
# The live map in a real browser: installs the pinned puppeteer-core
# (tests/scripts/npm-map/package-lock.json) into NPM_DIR with `npm ci` (again only when the lock file
# changes), starts airproxd, and runs map_browser_test.js, which drives Debian's chromium headless
# through a replay of the formation excerpt (see the script). Needs node, npm and chromium
# (scripts/setup.sh --test) and the npm registry on the first run: when the install fails the test
# fails. Then again with a token file (--tokens: the page asks for a token, refuses to show data to
# a token without the subscribe role, and shows it with one). Screenshots go to OUT_DIR.
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
stop_airproxd

# Tokens: an ingest token for the replay, a subscribe token for the page.
ingest_token="$(openssl rand -hex 32)" subscribe_token="$(openssl rand -hex 32)"
sha() { printf %s "$1" | sha256sum | cut -d' ' -f1; }
printf '%s feeder ingest\n%s viewer subscribe\n' "$(sha "$ingest_token")" "$(sha "$subscribe_token")" \
  >"$TEST_TMP/tokens"
start_airproxd "$airproxd" --token-file "$TEST_TMP/tokens"
AIRPROX_NPM_DIR="$npm_dir" AIRPROX_TOKEN="$ingest_token" MAP_TOKEN_INGEST="$ingest_token" \
  MAP_TOKEN_SUBSCRIBE="$subscribe_token" timeout 150 node "$here/map_browser_test.js" \
  "$chromium" "$AIRPROXD_HTTP_ADDR" "$cli" "$AIRPROXD_ADDR" "$recording" "$TEST_TMP" "$out_dir" --tokens ||
  fail "map_browser_test.js --tokens failed (its output above)"
grep -q "auth refused path=/ws name=feeder reason=missing_role" "$TEST_TMP/airproxd.log" ||
  fail "the refusal of the ingest token is not logged by name"
if grep -q -e "$ingest_token" -e "$subscribe_token" "$TEST_TMP/airproxd.log"; then
  fail "a token appears in airproxd's log"
fi
echo "PASS"
