// Detector throughput: position updates per second on one core at 1k .. 1M live tracks at the
// density of busy en-route airspace, beside a naive all-pairs baseline over the same traffic (up to
// 100k). Every size has the same density (1M: a band around the equator, see synthetic_traffic.h).
// At 100k and 1M the iterations are fixed (below); the 1M table takes about half a minute to fill.
// Reports are made with the timer paused.
//   ./build/tests/detector_benchmark [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include "server/core/detector.h"
#include "server/core/pair_assessment.h"
#include "server/core/units.h"
#include "tests/bench/synthetic_traffic.h"

namespace airprox {
namespace {

using bench::kReportPeriodS;
using bench::kT0;
using bench::Rules;
using bench::Traffic;

constexpr std::size_t kChunk = 4096;  // reports generated per pause of the timer

// certificates: the detector's default (pair certificates); false: neighbour lists, as before them.
void DetectorUpdates(benchmark::State& state, bool certificates) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Traffic traffic(n);
  std::vector<EncounterEvent> events;
  events.reserve(64);
  std::vector<Position> chunk(kChunk);  // before the heap is measured: not the detector's
  const std::size_t heap_before = bench::HeapInUseBytes();
  DetectorOptions o;
  o.rules = Rules();
  o.tracks.max_tracks = n;  // the default limit (500k) would refuse half of the 1M case
  o.certificates = certificates;
  Detector d(o);
  for (std::size_t i = 0; i < n; ++i) (void)d.Ingest(traffic.Report(i, kT0 + kReportPeriodS * i / n), events);
  const std::size_t heap_filled = bench::HeapInUseBytes();
  std::size_t i = 0;
  double t = kT0 + kReportPeriodS;
  const double dt = kReportPeriodS / static_cast<double>(n);
  const auto checks_before = d.counters().pair_checks;
  const auto candidates_before = d.counters().candidates;
  // Reports are generated in chunks with the timer paused, so that the figure is the detector's
  // own cost (making a report costs a string and three sines, ~15% of an update at 10k).
  std::size_t next = kChunk;
  for (auto _ : state) {
    if (next == kChunk) {
      state.PauseTiming();
      for (Position& p : chunk) {
        p = traffic.Report(i, t);
        if (++i == n) i = 0;
        t += dt;
      }
      next = 0;
      state.ResumeTiming();
    }
    events.clear();
    benchmark::DoNotOptimize(d.Ingest(chunk[next++], events));
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["tracks"] = static_cast<double>(d.tracks().size());
  state.counters["candidates_per_update"] =
      static_cast<double>(d.counters().candidates - candidates_before) / state.iterations();
  state.counters["pair_checks_per_update"] =
      static_cast<double>(d.counters().pair_checks - checks_before) / state.iterations();
  // Heap the detector holds per live track once filled (tracks, index, neighbour lists, pair
  // state), and after the timed updates (lists rebuilt, encounters under way).
  state.counters["bytes_per_track"] =
      static_cast<double>(heap_filled - heap_before) / static_cast<double>(d.tracks().size());
  state.counters["bytes_per_track_after"] =
      static_cast<double>(bench::HeapInUseBytes() - heap_before) / static_cast<double>(d.tracks().size());
}
void BM_DetectorUpdate(benchmark::State& state) { DetectorUpdates(state, true); }
void BM_DetectorUpdateNeighbourLists(benchmark::State& state) { DetectorUpdates(state, false); }
// Every track re-anchors once per epoch of 40 s of data time (8 reports): a run must cover
// several epochs to show that cost in its due share. At 1k and 10k Google Benchmark's own counts
// do (hundreds of reports per track); at 100k and 1M the counts are fixed at 16 reports per track
// (two epochs), which also spares refilling the table for each trial count.
BENCHMARK(BM_DetectorUpdate)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_DetectorUpdate)->Arg(100000)->Iterations(1600000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_DetectorUpdateNeighbourLists)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_DetectorUpdateNeighbourLists)->Arg(100000)->Iterations(1600000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_DetectorUpdate)->Arg(1000000)->Iterations(16000000)->Unit(benchmark::kMicrosecond);

// The baseline: every update checked against every other live track, no index.
void BM_AllPairsUpdate(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Traffic traffic(n);
  const auto rules = Rules();
  std::vector<Track> tracks;
  tracks.reserve(n);
  for (std::size_t i = 0; i < n; ++i) tracks.push_back(MakeTrack(traffic.Report(i, kT0 + kReportPeriodS * i / n)));
  std::size_t i = 0;
  double t = kT0 + kReportPeriodS;
  const double dt = kReportPeriodS / static_cast<double>(n);
  std::size_t violations = 0;
  for (auto _ : state) {
    tracks[i] = MakeTrack(traffic.Report(i, t));
    for (std::size_t j = 0; j < n; ++j) {
      if (j != i && AssessPair(tracks[i], tracks[j], t, rules).rule_index) ++violations;
    }
    if (++i == n) i = 0;
    t += dt;
  }
  benchmark::DoNotOptimize(violations);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AllPairsUpdate)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace airprox

BENCHMARK_MAIN();
