// Detector throughput: position updates per second on one core at 1k .. 1M live tracks at the
// density of busy en-route airspace, beside a naive all-pairs baseline over the same traffic (up to
// 100k). At 1M the square is clipped to 40 degrees either side of 45N, so traffic is denser (about
// 2.3 times the candidates per update); the table is filled once (about half a minute) and the
// iterations are fixed at one more report per track.
//   ./build/tests/detector_benchmark [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include "server/core/detector.h"
#include "server/core/pair_assessment.h"
#include "server/core/units.h"

namespace airprox {
namespace {

constexpr double kKm2PerAircraft = 250.0;  // busy airspace: ~160 aircraft over Switzerland's area
constexpr double kReportPeriodS = 5.0;
constexpr double kT0 = 1.5e9;

std::vector<Rule> Rules() {
  return {{"conflict", Severity::kAdvisory, 5.0, 1000.0, 120.0},
          {"loss-of-separation", Severity::kWarning, 5.0, 1000.0, 0.0},
          {"nmac", Severity::kAlert, units::m_to_nm(units::ft_to_m(500)), 100.0, 0.0}};
}

// N aircraft in straight flight, spread over a square of N * kKm2PerAircraft centred on 45N 0E,
// flight levels 200 to 400. Reports are generated on the fly along each straight line.
struct Traffic {
  struct Aircraft {
    double lat0, lon0, track_deg, gs_kt, alt_ft;
  };
  explicit Traffic(std::size_t n) {
    const double side_km = std::sqrt(static_cast<double>(n) * kKm2PerAircraft);
    const double half_lat = std::min(40.0, side_km / 2 / 111.2);
    const double half_lon = std::min(170.0, side_km / 2 / (111.2 * std::cos(units::deg_to_rad(45))));
    std::mt19937 rng(1);
    std::uniform_real_distribution<double> lat(45 - half_lat, 45 + half_lat),
        lon(-half_lon, half_lon), trk(0, 360), gs(250, 500), fl(200, 400);
    aircraft.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      aircraft.push_back({lat(rng), lon(rng), trk(rng), gs(rng), std::round(fl(rng)) * 100});
    }
  }
  Position Report(std::size_t i, double t) const {
    const Aircraft& a = aircraft[i];
    const double d_m = units::kt_to_mps(a.gs_kt) * (t - kT0);
    const double trk = units::deg_to_rad(a.track_deg);
    Position p;
    p.track_id = std::to_string(i);
    p.time_s = t;
    p.lat_deg = std::clamp(a.lat0 + d_m * std::cos(trk) / 111200.0, -89.0, 89.0);
    p.lon_deg = a.lon0 + d_m * std::sin(trk) / (111200.0 * std::cos(units::deg_to_rad(p.lat_deg)));
    p.lon_deg = std::remainder(p.lon_deg, 360.0);
    p.alt_ft = a.alt_ft;
    p.ground_speed_kt = a.gs_kt;
    p.track_deg = a.track_deg;
    p.vertical_rate_fpm = 0;
    return p;
  }
  std::vector<Aircraft> aircraft;
};

void BM_DetectorUpdate(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Traffic traffic(n);
  DetectorOptions o;
  o.rules = Rules();
  Detector d(o);
  std::vector<EncounterEvent> events;
  for (std::size_t i = 0; i < n; ++i) (void)d.Ingest(traffic.Report(i, kT0 + kReportPeriodS * i / n), events);
  std::size_t i = 0;
  double t = kT0 + kReportPeriodS;
  const double dt = kReportPeriodS / static_cast<double>(n);
  const auto checks_before = d.counters().pair_checks;
  const auto candidates_before = d.counters().candidates;
  for (auto _ : state) {
    events.clear();
    benchmark::DoNotOptimize(d.Ingest(traffic.Report(i, t), events));
    if (++i == n) i = 0;
    t += dt;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["tracks"] = static_cast<double>(d.tracks().size());
  state.counters["candidates_per_update"] =
      static_cast<double>(d.counters().candidates - candidates_before) / state.iterations();
  state.counters["pair_checks_per_update"] =
      static_cast<double>(d.counters().pair_checks - checks_before) / state.iterations();
}
BENCHMARK(BM_DetectorUpdate)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMicrosecond);
// Fixed iterations: Google Benchmark would otherwise run the function (and the fill) several times
// to pick a count.
BENCHMARK(BM_DetectorUpdate)->Arg(1000000)->Iterations(1000000)->Unit(benchmark::kMicrosecond);

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
