// Named synthetic encounters: deterministic position reports of aircraft whose geometry is known,
// each with the encounters the default rules of configs/airprox.yaml must report for it.
//
// A scenario is a list of flights (server/scenario/flight.h) over a span of time counted from 0,
// and the encounters it documents. Generate() samples the flights into position reports, quantized
// as ADS-B reports them, at a chosen start time and reporting period, each aircraft at its own
// phase within the period (fixed by the scenario's seed).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/position.h"
#include "server/core/rule.h"
#include "server/scenario/flight.h"

namespace airprox::scenario {

// One encounter a scenario produces with the default rules (confirmation 2 of 3, hysteresis 10% and
// 60 s), at any report phase and any period from 0.5 to 2 s (tests/scenario checks those). Times
// are seconds from the scenario's start.
struct ExpectedEncounter {
  std::string a, b;  // track ids, a < b
  Severity max_severity = Severity::kWarning;
  // The smallest horizontal separation in the encounter, the vertical separation then, and when:
  // within the tolerance, which spans the whole time where the closest approach is held for
  // minutes (a formation).
  double closest_nm = 0;
  double closest_ft = 0;
  double closest_time_s = 0;
  double closest_time_tolerance_s = 2;
  // Times at which the pair is within the nmac cylinder (500 ft / 100 ft): each one escalates the
  // encounter to ALERT once.
  std::vector<double> nmac_passes_s;
};

struct Scenario {
  std::string name;
  std::string summary;  // one line
  double duration_s = 0;
  std::uint32_t seed = 1;  // report phases
  std::vector<Flight> flights;
  // Every encounter, in order of start; a pair of tracks not named here has none.
  std::vector<ExpectedEncounter> expected;
};

// The names of the scenarios, in a fixed order, with their one-line summaries.
struct ScenarioInfo {
  std::string_view name;
  std::string_view summary;
};
const std::vector<ScenarioInfo>& Catalog();

// The scenario of that name, or nothing.
std::optional<Scenario> MakeScenario(std::string_view name);

inline constexpr double kDefaultStartTimeS = 1700000000.0;  // 2023-11-14T22:13:20Z

struct GenerateOptions {
  double start_time_s = kDefaultStartTimeS;  // UTC epoch seconds of scenario time 0
  double period_s = 1.0;                     // seconds between two reports of one aircraft
  std::optional<std::uint32_t> seed;         // default: the scenario's
};

// Position reports of every flight, sorted by time (then track id). Each aircraft reports every
// period from its first_report_s plus a phase in [0, period), fixed by the seed, in whole
// milliseconds. Reports are quantized like ADS-B and like the canonical CSV writes them: altitude
// to 25 ft, latitude and longitude to 1e-7 degree, ground speed and track to 0.1, vertical rate to
// 1 fpm.
std::vector<Position> Generate(const Scenario& s, const GenerateOptions& options = {});

}  // namespace airprox::scenario
