// Each scenario, run through the detector with the default rules, produces exactly the encounters
// it documents; and the geometry it documents is the geometry it generates, measured independently
// with GeographicLib's Inverse on the flights themselves.
#include "server/scenario/scenario.h"

#include <gtest/gtest.h>

#include <GeographicLib/Geodesic.hpp>
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "server/core/detector.h"
#include "server/core/units.h"
#include "tests/core/detector_fixture.h"

namespace airprox::scenario {
namespace {

DetectorOptions Defaults() {
  DetectorOptions o;  // the defaults of configs/airprox.yaml (tests/app/config_test.cc checks it)
  o.rules = testing::DefaultRules();
  return o;
}

Scenario Make(std::string_view name) {
  auto s = MakeScenario(name);
  EXPECT_TRUE(s.has_value()) << name;
  return s.value_or(Scenario{});
}

// One encounter as the detector reported it.
struct Observed {
  std::string a, b;
  double start_s = 0, end_s = 0;  // scenario time
  std::string end_reason;
  Severity max_severity = Severity::kAdvisory;
  ClosestSoFar closest;
  std::vector<double> alert_escalations_s;  // each time it became ALERT
};

std::vector<Observed> Detect(const std::vector<Position>& reports, double start_time_s) {
  Detector detector(Defaults());
  std::vector<EncounterEvent> events;
  for (const Position& p : reports) {
    const Status st = detector.Ingest(p, events);
    EXPECT_TRUE(st.ok()) << p.track_id << " at " << p.time_s << ": " << st.message();
  }
  detector.EndAll("end_of_scenario", events);
  std::map<std::string, Observed> by_id;
  std::vector<std::string> order;
  std::map<std::string, Severity> severity;
  for (const EncounterEvent& e : events) {
    Observed& o = by_id[e.encounter_id];
    if (e.kind == EncounterKind::kStarted) {
      order.push_back(e.encounter_id);
      o.a = e.a.track_id;
      o.b = e.b.track_id;
      o.start_s = e.time_s - start_time_s;
    }
    if (e.severity == Severity::kAlert &&
        (e.kind == EncounterKind::kStarted || severity[e.encounter_id] != Severity::kAlert)) {
      o.alert_escalations_s.push_back(e.time_s - start_time_s);
    }
    severity[e.encounter_id] = e.severity;
    o.max_severity = e.max_severity;
    o.closest = e.closest;
    if (e.kind == EncounterKind::kEnded) {
      o.end_s = e.time_s - start_time_s;
      o.end_reason = e.end_reason;
    }
  }
  std::vector<Observed> out;
  for (const auto& id : order) out.push_back(by_id[id]);
  return out;
}

// The flight of `track_id` that reports at scenario time t.
const Flight& FlightAt(const Scenario& s, const std::string& track_id, double t) {
  for (const Flight& f : s.flights) {
    if (f.track_id == track_id && f.first_report_s <= t && t <= f.last_report_s) return f;
  }
  ADD_FAILURE() << "no flight of " << track_id << " at " << t;
  return s.flights.front();
}

double GeodesicNm(const FlightState& x, const FlightState& y) {
  double s12 = 0;
  GeographicLib::Geodesic::WGS84().Inverse(x.lat_deg, x.lon_deg, y.lat_deg, y.lon_deg, s12);
  return units::m_to_nm(s12);
}

// The true closest approach of two flights within [t0, t1], from GeographicLib's geodesics every
// 0.01 s.
struct TrueClosest {
  double nm = 1e300, ft = 0, t_s = 0;
};
TrueClosest ClosestBetween(const Flight& x, const Flight& y, double t0, double t1) {
  TrueClosest best;
  for (double t = t0; t <= t1; t += 0.01) {
    const FlightState a = x.At(t), b = y.At(t);
    const double nm = GeodesicNm(a, b);
    if (nm < best.nm) best = {nm, std::abs(a.alt_ft - b.alt_ft), t};
  }
  return best;
}

// The detector's encounters of scenario `s` are exactly those it documents.
void ExpectDocumentedEncounters(const Scenario& s, const GenerateOptions& options = {}) {
  SCOPED_TRACE(s.name + " seed " + std::to_string(options.seed.value_or(s.seed)) + " period " +
               std::to_string(options.period_s));
  const auto observed = Detect(Generate(s, options), options.start_time_s);
  ASSERT_EQ(observed.size(), s.expected.size()) << "encounters";
  for (std::size_t i = 0; i < observed.size(); ++i) {
    const Observed& o = observed[i];
    const ExpectedEncounter& want = s.expected[i];
    SCOPED_TRACE("encounter " + std::to_string(i) + " " + o.a + "-" + o.b);
    EXPECT_EQ(o.a, want.a);
    EXPECT_EQ(o.b, want.b);
    EXPECT_EQ(o.max_severity, want.max_severity);
    EXPECT_EQ(o.end_reason, "separated") << "ends by itself before the scenario does";
    EXPECT_LT(o.end_s, s.duration_s);

    // The documented closest approach is the generated one ...
    const double t0 = want.closest_time_s - want.closest_time_tolerance_s - 5;
    const double t1 = want.closest_time_s + want.closest_time_tolerance_s + 5;
    const TrueClosest truth = ClosestBetween(FlightAt(s, want.a, want.closest_time_s),
                                             FlightAt(s, want.b, want.closest_time_s), t0, t1);
    EXPECT_NEAR(truth.nm, want.closest_nm, 0.002) << "documented vs generated (NM)";
    EXPECT_NEAR(truth.ft, want.closest_ft, 1.0) << "documented vs generated (ft)";
    EXPECT_NEAR(truth.t_s, want.closest_time_s, want.closest_time_tolerance_s + 0.5)
        << "documented vs generated (s)";
    // ... and the detector finds it: to 1e-4 (its geometry) plus 1 m (positions to 1e-7 degree),
    // less what extrapolating a turning aircraft along its track for up to a period brings it
    // closer (v w dt^2 / 2: 3.4 m a second squared for a rate-one turn at 250 kt, the formation's
    // break).
    const double turn_slack_nm = 0.002 * options.period_s * options.period_s;
    EXPECT_LE(o.closest.horizontal_nm, truth.nm + 0.0005 + truth.nm * 1e-4)
        << "detector vs geodesic (NM)";
    EXPECT_GE(o.closest.horizontal_nm, truth.nm - 0.0005 - truth.nm * 1e-4 - turn_slack_nm)
        << "detector vs geodesic (NM)";
    EXPECT_NEAR(o.closest.vertical_ft, want.closest_ft, 50) << "detector (ft)";
    EXPECT_NEAR(o.closest.time_s - options.start_time_s, want.closest_time_s,
                want.closest_time_tolerance_s + options.period_s + 0.5)
        << "detector (s)";

    // Each nmac pass escalates to ALERT once: a few seconds before the pass, or at the first report
    // after it when the pass falls between fixes.
    ASSERT_EQ(o.alert_escalations_s.size(), want.nmac_passes_s.size()) << "ALERT escalations";
    for (std::size_t k = 0; k < want.nmac_passes_s.size(); ++k) {
      EXPECT_GE(o.alert_escalations_s[k], want.nmac_passes_s[k] - 5) << "pass " << k;
      EXPECT_LE(o.alert_escalations_s[k], want.nmac_passes_s[k] + options.period_s + 0.1)
          << "pass " << k;
    }
  }
}

TEST(Scenario, HeadOnGivesOneAlert) { ExpectDocumentedEncounters(Make("head-on")); }
TEST(Scenario, CrossingGivesOneWarning) { ExpectDocumentedEncounters(Make("crossing")); }
TEST(Scenario, ClimbThroughGivesOneWarning) { ExpectDocumentedEncounters(Make("climb-through")); }
TEST(Scenario, FormationIsOneLongWarning) { ExpectDocumentedEncounters(Make("formation")); }
TEST(Scenario, OvertakingGivesOneWarning) { ExpectDocumentedEncounters(Make("overtaking")); }
TEST(Scenario, MediterraneanInterceptGivesThreeAlertsWithEightPasses) {
  ExpectDocumentedEncounters(Make("mediterranean-intercept"));
}

TEST(Scenario, DocumentedEncountersHoldAtOtherPhasesPeriodsAndStartTimes) {
  for (const auto& info : Catalog()) {
    const Scenario s = Make(info.name);
    for (std::uint32_t seed : {7u, 8u}) {
      for (double period : {0.5, 1.0, 2.0}) {
        GenerateOptions o;
        o.seed = seed;
        o.period_s = period;
        o.start_time_s = 1600000000.25 + seed;
        ExpectDocumentedEncounters(s, o);
      }
    }
  }
}

TEST(Scenario, MediterraneanAirlinersStayClearButClose) {
  const Scenario s = Make("mediterranean-intercept");
  const std::set<std::string> airliners = {"46a8c3", "0101f7", "4bb1c6", "738a2c"};
  // The detector never puts them in an encounter ...
  for (const auto& o : Detect(Generate(s), kDefaultStartTimeS)) {
    EXPECT_FALSE(airliners.count(o.a) || airliners.count(o.b)) << o.a << "-" << o.b;
  }
  // ... because, every second, each is at least 7.5 NM or 1900 ft from everyone, while coming
  // within 10 NM of the P-8 and its fighters: close enough to be checked.
  for (const Flight& airliner : s.flights) {
    if (!airliners.count(airliner.track_id)) continue;
    double nearest_nm = 1e300;
    for (double t = airliner.first_report_s; t <= airliner.last_report_s; t += 1) {
      const FlightState a = airliner.At(t);
      for (const Flight& other : s.flights) {
        if (other.track_id == airliner.track_id || t < other.first_report_s ||
            t > other.last_report_s)
          continue;
        const FlightState b = other.At(t);
        const double nm = GeodesicNm(a, b), ft = std::abs(a.alt_ft - b.alt_ft);
        EXPECT_TRUE(nm >= 7.5 || ft >= 1900) << airliner.callsign << " and " << other.callsign
                                             << " at " << t << ": " << nm << " NM, " << ft << " ft";
        if (!airliners.count(other.track_id)) nearest_nm = std::min(nearest_nm, nm);
      }
    }
    EXPECT_LT(nearest_nm, 10.0) << airliner.callsign << " passes within 10 NM of the intercept";
  }
}

TEST(Scenario, FightersPassEveryTimeAsDocumented) {
  // Each documented pass is a local closest approach of the fighter and the P-8, inside the nmac
  // cylinder, with successive passes closer.
  const Scenario s = Make("mediterranean-intercept");
  for (const ExpectedEncounter& e : s.expected) {
    double previous_nm = 1;
    for (double pass : e.nmac_passes_s) {
      const TrueClosest c =
          ClosestBetween(FlightAt(s, e.a, pass), FlightAt(s, e.b, pass), pass - 10, pass + 10);
      EXPECT_NEAR(c.t_s, pass, 0.1) << e.a << " pass at " << pass;
      EXPECT_LT(units::nm_to_m(c.nm), units::ft_to_m(500)) << e.a << " pass at " << pass;
      EXPECT_LT(c.ft, 100) << e.a << " pass at " << pass;
      EXPECT_LT(c.nm, previous_nm) << "each pass closer";
      previous_nm = c.nm;
    }
  }
}

TEST(Scenario, GenerationIsDeterministicAndSorted) {
  for (const auto& info : Catalog()) {
    const Scenario s = Make(info.name);
    const auto first = Generate(s), again = Generate(*MakeScenario(info.name));
    ASSERT_EQ(first.size(), again.size()) << info.name;
    for (std::size_t i = 0; i < first.size(); ++i) {
      ASSERT_EQ(first[i].track_id, again[i].track_id);
      ASSERT_EQ(first[i].time_s, again[i].time_s);
      ASSERT_EQ(first[i].lat_deg, again[i].lat_deg);
      ASSERT_EQ(first[i].lon_deg, again[i].lon_deg);
    }
    EXPECT_TRUE(
        std::is_sorted(first.begin(), first.end(),
                       [](const Position& a, const Position& b) { return a.time_s < b.time_s; }));
    EXPECT_GE(first.front().time_s, kDefaultStartTimeS);
    EXPECT_LE(first.back().time_s, kDefaultStartTimeS + s.duration_s);
  }
}

TEST(Scenario, ReportsAreQuantizedAndConsistentWithTheMotion) {
  for (const auto& info : Catalog()) {
    SCOPED_TRACE(std::string(info.name));
    const GenerateOptions o;
    const auto reports = Generate(Make(info.name), o);
    std::map<std::string, const Position*> previous;
    for (const Position& p : reports) {
      ASSERT_TRUE(ValidatePosition(p).ok()) << ValidatePosition(p).message();
      EXPECT_EQ(std::fmod(*p.alt_ft, 25.0), 0.0);
      const Position* q = previous[p.track_id];
      previous[p.track_id] = &p;
      if (q == nullptr || std::abs(p.time_s - q->time_s - o.period_s) > 0.01)
        continue;  // a new sortie
      double s12 = 0, azi1 = 0, azi2 = 0;
      GeographicLib::Geodesic::WGS84().Inverse(q->lat_deg, q->lon_deg, p.lat_deg, p.lon_deg, s12,
                                               azi1, azi2);
      const double dt = p.time_s - q->time_s;
      // The mean speed between fixes lies between the reported speeds at both ends (speeds change
      // monotonically within a second; 0.1 kt rounding, 1 cm positions, chords of turns).
      const double kt = units::m_to_nm(s12) / dt * units::kSecondsPerHour;
      EXPECT_GE(kt, std::min(*p.ground_speed_kt, *q->ground_speed_kt) - 0.5)
          << p.track_id << " at " << p.time_s;
      EXPECT_LE(kt, std::max(*p.ground_speed_kt, *q->ground_speed_kt) + 0.5)
          << p.track_id << " at " << p.time_s;
      // The chord's direction lies between the reported tracks (turns of up to a few degrees per
      // second), within rounding.
      auto diff = [](double x, double y) { return std::remainder(x - y, 360.0); };
      const double lo = std::min(0.0, diff(*p.track_deg, *q->track_deg)) - 0.2;
      const double hi = std::max(0.0, diff(*p.track_deg, *q->track_deg)) + 0.2;
      const double chord = diff(azi1, *q->track_deg);
      EXPECT_TRUE(chord >= lo && chord <= hi)
          << p.track_id << " at " << p.time_s << ": chord " << azi1 << ", tracks " << *q->track_deg
          << " -> " << *p.track_deg;
      // Altitude changes by the vertical rate (25 ft steps).
      const double expected_ft = (*p.vertical_rate_fpm + *q->vertical_rate_fpm) / 2 / 60 * dt;
      EXPECT_NEAR(*p.alt_ft - *q->alt_ft, expected_ft, 25 + std::abs(expected_ft) / 2)
          << p.track_id << " at " << p.time_s;
    }
  }
}

TEST(Scenario, UnknownNameIsNothing) { EXPECT_FALSE(MakeScenario("no-such-scenario").has_value()); }

}  // namespace
}  // namespace airprox::scenario
