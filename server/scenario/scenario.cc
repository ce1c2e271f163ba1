#include "server/scenario/scenario.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <tuple>

#include "server/scenario/scenarios.h"

namespace airprox::scenario {
namespace {

struct Entry {
  ScenarioInfo info;
  Scenario (*make)();
};

const std::vector<Entry>& Entries() {
  static const std::vector<Entry> entries = {
      {{"head-on", "two airliners at FL350 closing head-on, passing 300 ft apart: one ALERT"},
       HeadOn},
      {{"crossing", "90-degree crossing at FL330, 1 NM apart: one WARNING"}, Crossing},
      {{"climb-through",
        "a climb through an opposite-direction aircraft's level, 2 NM abeam: one WARNING"},
       ClimbThrough},
      {{"formation", "two aircraft 0.2 NM abeam for ten minutes, then a break: one long WARNING"},
       Formation},
      {{"overtaking", "a faster aircraft overtaking 1 NM abeam at the same level: one WARNING"},
       Overtaking},
      {{"mediterranean-intercept",
        "a P-8 on a racetrack at FL250 south of Crete, fighters making nmac passes, airliners "
        "passing "
        "safely"},
       MediterraneanIntercept},
  };
  return entries;
}

double Round(double value, double step) { return std::round(value / step) * step; }
// To `decimals` decimal places, as the nearest double to that decimal (so it prints and parses back
// to the same value).
double RoundDecimals(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

}  // namespace

const std::vector<ScenarioInfo>& Catalog() {
  static const std::vector<ScenarioInfo> infos = [] {
    std::vector<ScenarioInfo> out;
    for (const auto& e : Entries()) out.push_back(e.info);
    return out;
  }();
  return infos;
}

std::optional<Scenario> MakeScenario(std::string_view name) {
  for (const auto& e : Entries()) {
    if (e.info.name != name) continue;
    Scenario s = e.make();
    s.name = std::string(e.info.name);
    s.summary = std::string(e.info.summary);
    return s;
  }
  return std::nullopt;
}

std::vector<Position> Generate(const Scenario& s, const GenerateOptions& options) {
  const auto start_ms = std::llround(options.start_time_s * 1000.0);
  const auto period_ms = std::max<long long>(1, std::llround(options.period_s * 1000.0));
  std::mt19937 rng(options.seed.value_or(s.seed));  // its output sequence is fixed by the standard
  std::vector<Position> out;
  for (const Flight& f : s.flights) {
    const long long phase_ms =
        static_cast<long long>(rng() % static_cast<std::uint64_t>(period_ms));
    const long long last_ms = std::llround(f.last_report_s * 1000.0);
    for (long long t_ms = std::llround(f.first_report_s * 1000.0) + phase_ms; t_ms <= last_ms;
         t_ms += period_ms) {
      const FlightState st = f.At(static_cast<double>(t_ms) / 1000.0);
      Position p;
      p.track_id = f.track_id;
      p.callsign = f.callsign;
      p.category = f.category;
      p.time_s = static_cast<double>(start_ms + t_ms) / 1000.0;
      p.lat_deg = RoundDecimals(st.lat_deg, 7);
      p.lon_deg = RoundDecimals(st.lon_deg, 7);
      p.alt_ft = Round(st.alt_ft, 25.0);
      p.ground_speed_kt = RoundDecimals(st.gs_kt, 1);
      p.track_deg = RoundDecimals(st.track_deg, 1);
      if (*p.track_deg >= 360.0) *p.track_deg -= 360.0;
      p.vertical_rate_fpm = std::round(st.vrate_fpm) + 0.0;  // no -0
      p.on_ground = false;
      out.push_back(std::move(p));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Position& a, const Position& b) {
    return std::tie(a.time_s, a.track_id) < std::tie(b.time_s, b.track_id);
  });
  return out;
}

}  // namespace airprox::scenario
