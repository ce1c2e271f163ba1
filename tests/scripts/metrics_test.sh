#!/usr/bin/env bash
# /metrics, /healthz and /readyz of a real airproxd over HTTP: the exposition passes Debian's
# `promtool check metrics` (package prometheus), and its numbers match a replay of the formation
# excerpt. Args: AIRPROXD AIRPROX FORMATION_CSV.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/airproxd_test_helpers.sh"
airproxd="$1" airprox="$2" formation="$3"
command -v promtool >/dev/null || fail "promtool is missing: scripts/setup.sh --test installs it (package prometheus)"
command -v curl >/dev/null || fail "curl is missing: scripts/setup.sh --test installs it"

start_airproxd "$airproxd"
base="http://$AIRPROXD_HTTP_ADDR"
status() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$base$1"; }
[ "$(status /healthz)" = 200 ] || fail "/healthz"
[ "$(status /readyz)" = 200 ] || fail "/readyz"
[ "$(status /nowhere)" = 404 ] || fail "unknown paths are 404"

timeout 60 "$airprox" replay --server "$AIRPROXD_ADDR" --speed 0 "$formation" >/dev/null
curl -s --max-time 5 -D "$TEST_TMP/headers" "$base/metrics" >"$TEST_TMP/metrics"
grep -qi '^Content-Type: text/plain; version=0.0.4' "$TEST_TMP/headers" || fail "content type"
promtool check metrics <"$TEST_TMP/metrics" || fail "promtool check metrics found problems"

value() { awk -v k="$1" '$1 == k { print $2 }' "$TEST_TMP/metrics"; }
[ "$(value airprox_positions_received_total)" = 2402 ] || fail "positions received"
[ "$(value airprox_positions_accepted_total)" = 2402 ] || fail "positions accepted"
[ "$(value airprox_tracks)" = 2 ] || fail "tracks"
[ "$(value 'airprox_encounters_started_total{rule="conflict",severity="ADVISORY"}')" = 1 ] || fail "encounters started"
[ "$(value 'airprox_encounter_escalations_total{rule="nmac",severity="ALERT"}')" -ge 1 ] || fail "escalation to nmac"
[ "$(value airprox_encounters_active)" = 1 ] || fail "active encounters"
[ "$(value airprox_detection_latency_seconds_count)" -ge 1 ] || fail "latency histogram"
[ "$(value airprox_detection_batch_positions_sum)" = 2402 ] || fail "batch size histogram"
[ "$(value airprox_subscribers)" = 0 ] || fail "subscribers"
grep -q '^process_resident_memory_bytes ' "$TEST_TMP/metrics" || fail "process metrics"
echo PASS
