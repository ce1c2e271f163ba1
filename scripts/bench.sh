#!/usr/bin/env bash
# Performance figures in one Markdown table:
#
#   scripts/bench.sh [--quick]
#
# 1. the detector benchmark (position updates per second at 1k and 10k live tracks, one core);
# 2. the fan-out benchmark (an event encoded once and shared vs once per subscriber; the hub's
#    OnEvents to 1000 subscriptions);
# 3. `airprox load` at a few sizes, each against a freshly started airproxd (127.0.0.1, free
#    ports, journal off, ingest.allow_transport_only: true): ingest rate, transport-only ceiling,
#    alert latency p50/p99/p99.9, events received/expected, server CPU and RSS;
# 4. the analyst's view: `airprox replay --speed 0` of the whole Swiss recording
#    (../shared/data/ch_switzerland_20180801.csv.gz; skipped with a note without ../shared), from
#    the start of the replay until the last event reaches a subscriber.
# Each step's raw output goes to stderr; the table, with the date and the CPU model, to stdout.
# Uses an existing build in $AIRPROX_BUILD_DIR (default build/), building the four targets it needs.
# --quick: shorter runs (a smoke test of the script). Takes about 2 minutes on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
quick=0
case "${1:-}" in
  --quick) quick=1 ;;
  -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "usage: scripts/bench.sh [--quick]" >&2; exit 2 ;;
esac

build="${AIRPROX_BUILD_DIR:-$root/build}"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
fi
cmake --build "$build" --target airprox airproxd detector_benchmark fanout_benchmark >&2
cli="$build/client/airprox"
daemon="$build/server/airproxd"
swiss="$root/../shared/data/ch_switzerland_20180801.csv.gz"

work="$(mktemp -d "${TMPDIR:-/tmp}/airprox-bench.XXXXXX")"
server_pid=""
sub_pid=""
cleanup() {
  [ -n "$sub_pid" ] && kill "$sub_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

rows=()
row() { rows+=("| $1 | $2 | $3 | $4 | $5 |"); }
say() { echo "bench.sh: $*" >&2; }

# A fresh airproxd: sets grpc_addr and http_addr.
start_server() {
  cat >"$work/airproxd.yaml" <<'YAML'
server:
  listen: "127.0.0.1:0"
http:
  listen: "127.0.0.1:0"
storage:
  dir: ""
ingest:
  allow_transport_only: true
YAML
  : >"$work/airproxd.log"  # before the daemon's shell opens it: the polling below reads it at once
  "$daemon" --config "$work/airproxd.yaml" >"$work/airproxd.log" 2>&1 &
  server_pid=$!
  grpc_addr="" http_addr=""
  for _ in $(seq 1 100); do
    grpc_addr="$(sed -n 's/.*airproxd listening on \(127\.0\.0\.1:[0-9]*\).*/\1/p' "$work/airproxd.log" | head -n 1)"
    http_addr="$(sed -n 's/.*airproxd HTTP on \(127\.0\.0\.1:[0-9]*\).*/\1/p' "$work/airproxd.log" | head -n 1)"
    [ -n "$grpc_addr" ] && [ -n "$http_addr" ] && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$work/airproxd.log" >&2
  say "airproxd did not start"
  exit 1
}
stop_server() {
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

# items_per_second of benchmark NAME in Google Benchmark's CSV output FILE.
items_per_s() {
  awk -F, -v name="\"$2\"" '
    $1 == "name" { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $1 == name { printf "%.0f", $col["items_per_second"] }' "$1"
}
counter() {
  awk -F, -v name="\"$2\"" -v c="\"$3\"" -v c2="$3" '
    $1 == "name" { for (i = 1; i <= NF; i++) { col[$i] = i } next }
    $1 == name { k = (c in col) ? col[c] : col[c2]; printf "%.0f", $k }' "$1"
}
thousands() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }

min_time=0.5
[ "$quick" = 1 ] && min_time=0.1

# 1. Detector.
say "detector benchmark"
"$build/tests/detector_benchmark" --benchmark_filter='BM_DetectorUpdate/(1000|10000)$' \
  --benchmark_min_time="$min_time" --benchmark_format=csv >"$work/detector.csv"
cat "$work/detector.csv" >&2
for n in 1000 10000; do
  row "detector update, one core" "$(thousands $n) live tracks" \
    "$(thousands "$(items_per_s "$work/detector.csv" "BM_DetectorUpdate/$n")") updates/s" "" \
    "tests/bench/detector_benchmark"
done

# 2. Fan-out.
say "fan-out benchmark"
"$build/tests/fanout_benchmark" --benchmark_filter='/(1|1000)$' --benchmark_min_time="$min_time" \
  --benchmark_format=csv >"$work/fanout.csv"
cat "$work/fanout.csv" >&2
for b in BM_EncodeOnceShared BM_EncodePerSubscriber BM_HubOnEvents; do
  row "fan-out: ${b#BM_}" "1000 subscribers" \
    "$(thousands "$(items_per_s "$work/fanout.csv" "$b/1000")") events/s" "" \
    "$(thousands "$(counter "$work/fanout.csv" "$b/1000" "deliveries/s")") deliveries/s (1 subscriber: $(thousands "$(items_per_s "$work/fanout.csv" "$b/1")") events/s)"
done

# 3. airprox load, a fresh server each.
#   aircraft, rate (0: max), batch, streams, duration s, km2 per aircraft (250: busy en-route)
loads=(
  "1000 1000 100 2 10 250"
  "10000 10000 500 2 10 250"
  "100000 50000 1000 2 20 100"
  "10000 0 1000 2 10 250"
)
[ "$quick" = 1 ] && loads=("1000 4000 100 2 3 250" "5000 0 500 2 3 250")
for spec in "${loads[@]}"; do
  read -r n rate batch streams duration density <<<"$spec"
  # Enough pairs for the latency percentiles to mean something, without crowding the airspace.
  pairs=$((n / 10 < 250 ? n / 10 : 250))
  say "airprox load: $n aircraft at $density km2 each, rate $rate, batch $batch, $streams streams, $duration s"
  start_server
  set +e
  "$cli" load --server "$grpc_addr" --metrics-url "http://$http_addr/metrics" --aircraft "$n" \
    --km2-per-aircraft "$density" --rate "$rate" --batch "$batch" --streams "$streams" --duration "$duration" \
    --conflict-pairs "$pairs" --subscribers 2 --transport-seconds 2 --markdown >"$work/load.txt" 2>&1
  rc=$?
  set -e
  cat "$work/load.txt" >&2
  stop_server
  md="$(grep '^| ' "$work/load.txt" | tail -n 1 || true)"
  if [ -z "$md" ]; then
    row "airprox load" "$n aircraft" "failed (exit $rc)" "" "$(tail -n 1 "$work/load.txt")"
    continue
  fi
  # | aircraft | pairs | streams x batch | offered | achieved | transport | ratio | p50 | p99 | p99.9 | events | cpu | rss |
  IFS='|' read -r _ f_n f_pairs f_sb f_offered f_achieved f_transport f_ratio f_p50 f_p99 f_p999 f_events f_cpu f_rss _ <<<"$md"
  trim() { echo "$1" | xargs; }
  offered="$(trim "$f_offered")"
  [ "$offered" = max ] && offered="max rate"
  [ "$offered" != "max rate" ] && offered="$(thousands "$offered")/s offered"
  row "airprox load, $(trim "$f_sb") (streams x batch)" \
    "$(thousands "$(trim "$f_n")") aircraft ($density km2 each), $offered" \
    "$(thousands "$(trim "$f_achieved")") positions/s; transport-only $(thousands "$(trim "$f_transport")")/s ($(trim "$f_ratio"))" \
    "$(trim "$f_p50") / $(trim "$f_p99") / $(trim "$f_p999") ms" \
    "events $(trim "$f_events"); server $(trim "$f_cpu") cores, RSS $(trim "$f_rss") MB"
done

# 4. The Swiss day, replayed as fast as the server acknowledges.
if [ -f "$swiss" ] && [ "$quick" = 0 ]; then
  say "replay of $swiss"
  start_server
  "$cli" subscribe --server "$grpc_addr" >"$work/events.txt" 2>"$work/subscribe.err" &
  sub_pid=$!
  for _ in $(seq 1 50); do
    curl -s "http://$http_addr/metrics" 2>/dev/null | grep -q '^airprox_subscribers 1' && break
    sleep 0.1
  done
  t0="$(date +%s.%N)"
  "$cli" replay --server "$grpc_addr" --speed 0 --no-progress "$swiss" >"$work/replay.txt" 2>&1
  t_replay="$(date +%s.%N)"
  cat "$work/replay.txt" >&2
  # The subscriber writes a line per event: the file's modification time is the last arrival.
  size=-1
  while [ "$(stat -c %s "$work/events.txt")" != "$size" ]; do
    size="$(stat -c %s "$work/events.txt")"
    sleep 2
  done
  t_last="$(stat -c %.6Y "$work/events.txt")"
  cpu="$(curl -s "http://$http_addr/metrics" | awk '$1 == "process_cpu_seconds_total" { print $2 }')"
  rss="$(curl -s "http://$http_addr/metrics" | awk '$1 == "process_resident_memory_bytes" { printf "%.1f", $2 / 1e6 }')"
  kill "$sub_pid" 2>/dev/null || true
  wait "$sub_pid" 2>/dev/null || true
  sub_pid=""
  stop_server
  sent="$(sed -n 's/.*sent \([0-9]*\) positions.*/\1/p' "$work/replay.txt")"
  events="$(grep -c . "$work/events.txt" || true)"
  started="$(awk '$2 == "STARTED"' "$work/events.txt" | wc -l)"
  replay_s="$(echo "$t_replay - $t0" | bc -l)"
  total_s="$(echo "$t_last - $t0" | bc -l)"
  [ "$(echo "$total_s < $replay_s" | bc -l)" = 1 ] && total_s="$replay_s"
  row "replay --speed 0, Switzerland 2018-08-01 (17 h)" "$(thousands "$sent") positions" \
    "$(thousands "$(printf '%.0f' "$(echo "$sent / $replay_s" | bc -l)")") positions/s" "" \
    "$(printf '%.1f' "$total_s") s until the last event reached the subscriber ($events events, $started STARTED); server CPU $(printf '%.1f' "$cpu") s, RSS $rss MB"
else
  row "replay --speed 0, Switzerland 2018-08-01" "skipped" "" "" \
    "$([ "$quick" = 1 ] && echo "--quick" || echo "../shared/data/ch_switzerland_20180801.csv.gz is absent")"
fi

echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
echo
echo "| what | size | throughput | alert latency p50 / p99 / p99.9 | notes |"
echo "| --- | --- | --- | --- | --- |"
printf '%s\n' "${rows[@]}"
