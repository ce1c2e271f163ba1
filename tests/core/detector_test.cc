#include "server/core/detector.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <memory>
#include <tuple>
#include <random>
#include <set>

#include "server/core/pair_assessment.h"

#include "tests/core/detector_fixture.h"

namespace airprox {
namespace {

using testing::DefaultRules;
using testing::Flight;
using testing::Offset;

std::vector<EncounterEvent> Fly(Detector& d, const std::vector<Flight>& flights, double t0,
                                double t1, double step = 1.0) {
  std::vector<EncounterEvent> out;
  for (double t = t0; t <= t1; t += step) {
    for (const Flight& f : flights) EXPECT_TRUE(d.Ingest(f.At(t), out).ok());
  }
  return out;
}

// Alerting on the first violation: these tests are about geometry, not confirmation.
DetectorOptions Options() {
  DetectorOptions o;
  o.rules = DefaultRules();
  o.alerting.confirm_hits = 1;
  o.alerting.confirm_window = 1;
  o.alerting.end_hold_s = 0;
  o.alerting.end_margin = 0;
  return o;
}

Detector MakeDetector() { return Detector(Options()); }

// Two aircraft at FL300 converging head-on with 1 NM lateral offset, 420 kt each.
std::vector<Flight> HeadOn(double lat = 47.0, double lon = 8.0) {
  const auto [lat_b, lon_b] = Offset(lat, lon, 90, units::nm_to_m(40));
  const auto [lat_b2, lon_b2] = Offset(lat_b, lon_b, 0, units::nm_to_m(1));
  return {Flight{"aaaaaa", lat, lon, 0, 90, 420, 30000, 0, "AAA1"},
          Flight{"bbbbbb", lat_b2, lon_b2, 0, 270, 420, 30000, 0, "BBB2"}};
}

TEST(Detector, ConvergingPairStartsEscalatesAndEnds) {
  Detector d = MakeDetector();
  const auto events = Fly(d, HeadOn(), 0, 600);
  // Predicted conflict first, then loss of separation; diverging through 5 NM ends both rules
  // at once (a prediction never looks backwards), so the encounter ends from WARNING.
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].kind, EncounterKind::kUpdated);
  EXPECT_EQ(events.front().kind, EncounterKind::kStarted);
  EXPECT_EQ(events.front().rule, "conflict");
  EXPECT_EQ(events.front().severity, Severity::kAdvisory);
  EXPECT_EQ(events.back().kind, EncounterKind::kEnded);
  EXPECT_EQ(events.back().end_reason, "separated");
  bool warned = false;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& e = events[i];
    EXPECT_EQ(e.encounter_id, events.front().encounter_id) << "one encounter per pair episode";
    EXPECT_EQ(e.a.track_id, "aaaaaa");
    EXPECT_EQ(e.b.track_id, "bbbbbb");
    if (i > 0) {
      EXPECT_GT(e.sequence, events[i - 1].sequence);
    }
    if (e.rule == "loss-of-separation" && e.kind == EncounterKind::kUpdated) {
      warned = true;
      EXPECT_LT(e.horizontal_nm, 5.0);
      // Reported at the first report inside: closing 840 kt, 1 s steps.
      EXPECT_GE(e.horizontal_nm, 5.0 - 840.0 / 3600 - 0.01);
    }
  }
  EXPECT_TRUE(warned);
  // Closing at 840 kt from 40 NM: the conflict must be predicted about 120 s before the 5 NM
  // boundary, i.e. at about 5 + 840/3600*120 = 33 NM.
  EXPECT_NEAR(events.front().horizontal_nm, 33.0, 0.5);
  EXPECT_NEAR(events.front().time_to_cpa_s, events.front().horizontal_nm / 840 * 3600, 3);
  const auto flights = HeadOn();
  const double truth = testing::TrueClosestNm(flights[0], flights[1], 0, 600);
  EXPECT_NEAR(events.front().cpa_horizontal_nm, truth, 0.1) << "straight-line prediction 2 min ahead";
  EXPECT_NEAR(events.back().closest.horizontal_nm, truth, 0.01);
  EXPECT_TRUE(d.ActiveEncounters().empty());
}

TEST(Detector, VerticallySeparatedPairIsNotAnEncounter) {
  auto flights = HeadOn();
  flights[1].alt_ft = 31000;  // exactly 1000 ft: not a loss of separation
  Detector d = MakeDetector();
  EXPECT_TRUE(Fly(d, flights, 0, 600).empty());
}

TEST(Detector, AcrossTheAntimeridian) {
  Detector d = MakeDetector();
  const auto flights = HeadOn(-17.0, 179.5);  // meet near 179.9E / 179.9W
  const auto events = Fly(d, flights, 0, 600);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front().kind, EncounterKind::kStarted);
  EXPECT_EQ(events.back().kind, EncounterKind::kEnded);
  EXPECT_NEAR(events.back().closest.horizontal_nm,
              testing::TrueClosestNm(flights[0], flights[1], 0, 600), 0.01);
}

TEST(Detector, NearTheNorthPole) {
  // Both 2 NM from the pole on opposite meridians, flying toward it, 300 ft apart vertically.
  const auto [lat_a, lon_a] = Offset(90, 0, 180, units::nm_to_m(2));
  Flight a{"polar1", lat_a, 0, 0, 0, 200, 30000, 0, ""};
  Flight b{"polar2", lat_a, 180, 0, 0, 200, 30300, 0, ""};
  Detector d = MakeDetector();
  std::vector<EncounterEvent> out;
  ASSERT_TRUE(d.Ingest(a.At(0), out).ok());
  ASSERT_TRUE(d.Ingest(b.At(0), out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].rule, "loss-of-separation");
  EXPECT_NEAR(out[0].horizontal_nm, 4.0, 0.01);
  EXPECT_NEAR(out[0].vertical_ft, 300, 1e-9);
  EXPECT_NEAR(out[0].time_to_cpa_s, 2.0 / 200 * 3600, 1.0);
}

TEST(Detector, StaleTrackIsDroppedAndItsEncounterEnds) {
  DetectorOptions o = Options();
  o.stale_after_s = 30;
  Detector d(o);
  // Two aircraft flying in formation, 0.5 NM apart; then only one keeps reporting.
  Flight a{"aaaaaa", 46.0, 7.0, 0, 45, 250, 10000, 0, ""};
  const auto [lb, lob] = Offset(46.0, 7.0, 135, units::nm_to_m(0.5));
  Flight b{"bbbbbb", lb, lob, 0, 45, 250, 10200, 0, ""};
  std::vector<EncounterEvent> out;
  for (int t = 0; t < 10; ++t) {
    ASSERT_TRUE(d.Ingest(a.At(t), out).ok());
    ASSERT_TRUE(d.Ingest(b.At(t), out).ok());
  }
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, EncounterKind::kStarted);
  for (int t = 10; t <= 45; ++t) ASSERT_TRUE(d.Ingest(a.At(t), out).ok());
  ASSERT_EQ(out.size(), 2u) << "b is dropped when it is 30 s behind the newest data";
  EXPECT_EQ(out[1].kind, EncounterKind::kEnded);
  EXPECT_EQ(out[1].end_reason, "track_dropped");
  EXPECT_NEAR(out[1].time_s, testing::kT0 + 40, 1.0);
  EXPECT_EQ(d.tracks().Find("bbbbbb"), nullptr);
  EXPECT_EQ(d.tracks().size(), 1u);
  EXPECT_EQ(d.counters().tracks_dropped, 1u);
  // A report that old is refused, not resurrected.
  const Status st = d.Ingest(b.At(5), out);
  EXPECT_EQ(st.reason(), "too_old") << st.message();
}

TEST(Detector, GroundTrafficAndTracksWithoutAltitudeAreNotChecked) {
  Detector d = MakeDetector();
  std::vector<EncounterEvent> out;
  Position a = Flight{"aaaaaa", 47.45, 8.56, 0, 0, 0, 1400, 0, ""}.At(0);
  Position b = a;
  b.track_id = "bbbbbb";
  a.on_ground = true;
  ASSERT_TRUE(d.Ingest(a, out).ok());
  ASSERT_TRUE(d.Ingest(b, out).ok());
  EXPECT_TRUE(out.empty());
  Position c = b;
  c.track_id = "cccccc";
  c.alt_ft.reset();
  ASSERT_TRUE(d.Ingest(c, out).ok());
  EXPECT_TRUE(out.empty());
  // a takes off: now it conflicts with b.
  a.on_ground = false;
  a.time_s += 1;
  ASSERT_TRUE(d.Ingest(a, out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].rule, "nmac");
  // b lands: the encounter ends as not checkable.
  b.on_ground = true;
  b.time_s += 2;
  ASSERT_TRUE(d.Ingest(b, out).ok());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].kind, EncounterKind::kEnded);
  EXPECT_EQ(out[1].end_reason, "not_checkable");
}

TEST(Detector, ARuleAppliesOnTheGroundOnlyWhenItSaysSo) {
  // A runway rule for aircraft on the ground (with an altitude): 300 ft apart, 0 ft vertically.
  DetectorOptions o = Options();
  Rule runway;
  runway.name = "runway";
  runway.severity = Severity::kAlert;
  runway.horizontal_nm = units::m_to_nm(units::ft_to_m(500));
  runway.vertical_ft = 100;
  runway.scope.on_ground = true;
  o.rules.push_back(runway);
  Detector d(o);
  std::vector<EncounterEvent> out;
  Position a = Flight{"aaaaaa", 47.45, 8.56, 0, 0, 0, 1400, 0, ""}.At(0);
  const auto [lat_b, lon_b] = Offset(47.45, 8.56, 90, units::ft_to_m(300));
  Position b = Flight{"bbbbbb", lat_b, lon_b, 0, 0, 0, 1400, 0, ""}.At(0);
  a.on_ground = b.on_ground = true;
  ASSERT_TRUE(d.Ingest(a, out).ok());
  ASSERT_TRUE(d.Ingest(b, out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, EncounterKind::kStarted);
  EXPECT_EQ(out[0].rule, "runway") << "the default rules never apply on the ground";
  // On the ground without an altitude: still out of checks, whatever the rules.
  Position c = b;
  c.track_id = "cccccc";
  c.alt_ft.reset();
  ASSERT_TRUE(d.Ingest(c, out).ok());
  EXPECT_EQ(out.size(), 1u);
  // b takes off: airborne beside a on the ground, only the runway rule could apply, and it does.
  b.on_ground = false;
  b.time_s += 2;
  ASSERT_TRUE(d.Ingest(b, out).ok());
  EXPECT_EQ(out.size(), 1u) << "the runway encounter goes on";
  EXPECT_TRUE(d.tracks().Find("aaaaaa")->Checkable());
  EXPECT_FALSE(d.tracks().Find("cccccc")->Checkable());
  // a's next ground report has no altitude: the one carried over (extrapolated from a's last
  // vertical rate) does not count on the ground; a leaves the checks and its encounter ends.
  a.alt_ft.reset();
  a.time_s += 3;
  ASSERT_TRUE(d.Ingest(a, out).ok());
  EXPECT_TRUE(d.tracks().Find("aaaaaa")->altitude_carried);
  EXPECT_FALSE(d.tracks().Find("aaaaaa")->Checkable());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].kind, EncounterKind::kEnded);
  EXPECT_EQ(out[1].end_reason, "not_checkable");
}

TEST(Detector, InvalidReportIsRejectedWithAReason) {
  Detector d = MakeDetector();
  std::vector<EncounterEvent> out;
  Position p = HeadOn()[0].At(0);
  p.lat_deg = 91;
  const Status st = d.Ingest(p, out);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.reason(), "lat_out_of_range");
  EXPECT_EQ(d.tracks().size(), 0u);
  EXPECT_EQ(d.counters().rejected, 1u);
}

TEST(Detector, SameInputSameEvents) {
  // Determinism: detection depends on data only.
  Detector d1 = MakeDetector(), d2 = MakeDetector();
  const auto e1 = Fly(d1, HeadOn(), 0, 600, 2.0);
  const auto e2 = Fly(d2, HeadOn(), 0, 600, 2.0);
  ASSERT_EQ(e1.size(), e2.size());
  for (std::size_t i = 0; i < e1.size(); ++i) {
    EXPECT_EQ(e1[i].sequence, e2[i].sequence);
    EXPECT_EQ(e1[i].encounter_id, e2[i].encounter_id);
    EXPECT_EQ(e1[i].rule, e2[i].rule);
    EXPECT_EQ(e1[i].time_s, e2[i].time_s);
  }
}

// Rules without prediction, so that only current separation (and the time since the last
// evaluation) counts.
std::vector<Rule> CurrentOnlyRules() {
  auto rules = DefaultRules();
  rules.erase(rules.begin());  // drop "conflict"
  return rules;
}

TEST(Detector, LossBetweenFixesIsFoundWithItsInterpolatedClosestApproach) {
  // Crossing at right angles at 600 kt, same level, reports every 60 s. At every fix they are
  // 7.1 NM apart; they pass through the same point 30 s after a fix.
  DetectorOptions o = Options();
  o.rules = CurrentOnlyRules();
  o.alerting.confirm_hits = 2;  // a loss between fixes needs no confirmation
  o.alerting.confirm_window = 3;
  o.stale_after_s = 120;
  Detector d(o);
  const auto [lat_a, lon_a] = Offset(40, -100, 270, units::nm_to_m(5));
  const auto [lat_b, lon_b] = Offset(40, -100, 180, units::nm_to_m(5));
  const Flight a{"aaaaaa", lat_a, lon_a, 0, 90, 600, 20000, 0, ""};
  const Flight b{"bbbbbb", lat_b, lon_b, 0, 0, 600, 20000, 0, ""};
  std::vector<EncounterEvent> out;
  for (double t : {0.0, 60.0}) {
    ASSERT_TRUE(d.Ingest(a.At(t), out).ok());
    ASSERT_TRUE(d.Ingest(b.At(t), out).ok());
  }
  ASSERT_GE(out.size(), 1u);
  const EncounterEvent& e = out[0];
  EXPECT_EQ(e.kind, EncounterKind::kStarted);
  EXPECT_EQ(e.rule, "nmac");
  if (out.size() > 1) {  // no hold in these options: b's report at 60 s finds them apart
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[1].kind, EncounterKind::kEnded);
    EXPECT_EQ(out[1].closest.time_s, e.closest.time_s);
  }
  EXPECT_GT(e.horizontal_nm, 7.0) << "not violated at the fix itself";
  EXPECT_LT(e.closest.horizontal_nm, 0.05);
  EXPECT_NEAR(e.closest.time_s, testing::kT0 + 30, 0.5);
  EXPECT_NEAR(e.closest.a_lat_deg, 40, 0.01);
  EXPECT_NEAR(e.closest.a_lon_deg, -100, 0.01);
  EXPECT_NEAR(e.closest.b_lat_deg, 40, 0.01);
  // Sampling only at the fixes would have seen nothing.
  Detector sampled([&] {
    DetectorOptions s = o;
    s.max_interpolation_s = 0;
    return s;
  }());
  std::vector<EncounterEvent> none;
  for (double t : {0.0, 60.0}) {
    ASSERT_TRUE(sampled.Ingest(a.At(t), none).ok());
    ASSERT_TRUE(sampled.Ingest(b.At(t), none).ok());
  }
  EXPECT_TRUE(none.empty());
}

TEST(Detector, CrossingOvertakingAndVerticalOnlyGeometries) {
  struct Case {
    const char* name;
    Flight a, b;
    double closest_nm;  // expected closest horizontal approach, NM
    const char* max_rule;
  };
  const auto [lat_n, lon_n] = Offset(50, 10, 0, units::nm_to_m(20));
  const auto [lat_w, lon_w] = Offset(50, 10, 270, units::nm_to_m(20));
  double s12 = 0, azi_w = 0, azi2 = 0;  // A's initial azimuth to reach (50, 10) exactly
  GeographicLib::Geodesic::WGS84().Inverse(lat_w, lon_w, 50, 10, s12, azi_w, azi2);
  const auto [lat_e, lon_e] = Offset(50, 10, 90, units::nm_to_m(0.3));
  const Case cases[] = {
      // A from 20 NM west flying east, B from 20 NM north flying south, both at 300 kt and the
      // same level: both reach the crossing point after 4 minutes.
      {"crossing", Flight{"aaaaaa", lat_w, lon_w, 0, azi_w, 300, 30000, 0, ""},
       Flight{"bbbbbb", lat_n, lon_n, 0, 180, 300, 30000, 0, ""}, 0.0, "nmac"},
      // B 0.3 NM east, same track, 100 kt faster, 500 ft above: stays 0.3 NM abeam.
      {"overtaking", Flight{"aaaaaa", 50, 10, 0, 0, 300, 30000, 0, ""},
       Flight{"bbbbbb", lat_e, lon_e, 0, 0, 400, 30500, 0, ""}, 0.3, "loss-of-separation"},
      // Same position, B climbing through A's level from 3000 ft below at 3000 fpm.
      {"vertical-only", Flight{"aaaaaa", 50, 10, 0, 0, 0, 30000, 0, ""},
       Flight{"bbbbbb", 50, 10, 0, 0, 0, 27000, 3000, ""}, 0.0, "nmac"},
  };
  for (const Case& c : cases) {
    Detector d = MakeDetector();
    const auto events = Fly(d, {c.a, c.b}, 0, 300, 4);
    ASSERT_FALSE(events.empty()) << c.name;
    Severity max = Severity::kAdvisory;
    std::string max_rule;
    for (const auto& e : events) {
      if (e.severity > max || max_rule.empty()) {
        max = e.severity;
        max_rule = e.rule;
      }
    }
    EXPECT_EQ(max_rule, c.max_rule) << c.name;
    EXPECT_NEAR(events.back().closest.horizontal_nm, c.closest_nm, 0.02) << c.name;
    EXPECT_NEAR(events.back().closest.horizontal_nm, testing::TrueClosestNm(c.a, c.b, 0, 300), 0.01)
        << c.name;
  }
}

TEST(Detector, LevelTrafficExactly1000FtApartWith25FtJitterDoesNotFlap) {
  // Parallel tracks 3 NM apart at FL300 and FL310, reports every 5 s for 30 minutes; the upper
  // aircraft's altitude reads 30975 ft now and then, as 25 ft altitude steps do.
  DetectorOptions o;  // the defaults: confirmation and hysteresis on
  o.rules = DefaultRules();
  Detector d(o);
  const auto [lat_b, lon_b] = Offset(46, 7, 90, units::nm_to_m(3));
  const Flight a{"aaaaaa", 46, 7, 0, 0, 450, 30000, 0, ""};
  const Flight b{"bbbbbb", lat_b, lon_b, 0, 0, 450, 31000, 0, ""};
  std::mt19937 rng(11);
  std::bernoulli_distribution jitter(0.15);
  std::vector<EncounterEvent> events;
  for (double t = 0; t < 1800; t += 5) {
    ASSERT_TRUE(d.Ingest(a.At(t), events).ok());
    Position pb = b.At(t + 2.5);
    if (jitter(rng)) pb.alt_ft = 30975;
    ASSERT_TRUE(d.Ingest(pb, events).ok());
  }
  int started = 0;
  for (const auto& e : events) started += e.kind == EncounterKind::kStarted;
  EXPECT_LE(started, 1) << "at most one steady encounter, never a new one per jitter";
  EXPECT_LE(events.size(), 3u);
}

TEST(Detector, SpatialIndexChangesNothing) {
  // Differential check of the candidate search: 2000 aircraft over a 4x4 degree box (fewer in
  // sanitizer builds, below), each reporting at its own period (1 to 40 s), some turning, climbing,
  // without velocity, or reporting up to 8 s behind the others. The detector with its usual 100 km grid and its prefilters must give
  // exactly the events of one where every track is a candidate of every other, with no prefilter.
  DetectorOptions usual = Options();
  usual.alerting = AlertingOptions{};  // confirmation and hysteresis on: more state to compare
  DetectorOptions everything = usual;
  everything.spatial_prefilter = false;
  everything.vertical_prefilter = false;
  everything.pair_prefilter = false;
  everything.neighbour_lists = false;
  // The index without neighbour lists, and lists with tiny margins (rebuilt nearly every report):
  // the same candidates as the neighbour lists, not only the same events.
  DetectorOptions lists = usual;
  lists.certificates = false;
  DetectorOptions no_lists = lists, tiny_margins = lists;
  no_lists.neighbour_lists = false;
  tiny_margins.neighbours = {500.0, 40.0};
  // Pair certificates (the usual detector), with short epochs and small budgets (many anchorings,
  // many watched pairs), and with long epochs and large budgets (few anchorings, tracks that turn
  // or climb keep their anchors for a while): the same events.
  DetectorOptions short_epochs = usual, long_epochs = usual;
  short_epochs.certificate = {3.0, 20.0, 5.0};
  long_epochs.certificate = {60.0, 2000.0, 300.0};
  Detector d1(usual), d2(everything), d3(no_lists), d4(tiny_margins), d5(lists), d6(short_epochs),
      d7(long_epochs);
  std::mt19937 rng(3);
  // Sanitizer builds run this all-pairs check some 25 times slower: a quarter of the aircraft on a
  // quarter of the area there, the same density.
#ifdef AIRPROX_SANITIZE_BUILD
  const int aircraft = 500;
  const double side_deg = 2;
#else
  const int aircraft = 2000;
  const double side_deg = 4;
#endif
  std::uniform_real_distribution<double> lat(45, 45 + side_deg), lon(5, 5 + side_deg), trk(0, 360),
      gs(150, 550), alt(28000, 32000), period(1, 40), unit(0, 1);
  struct Plane {
    Flight f;
    double period, next, turn_at;
    bool no_velocity;
    double lag_s;  // reports this much behind the others' (a slow feed): out of order across tracks
  };
  std::vector<Plane> planes;
  for (int i = 0; i < aircraft; ++i) {
    Flight f{fmt::format("{:06x}", i), lat(rng), lon(rng), 0, trk(rng), gs(rng),
             std::round(alt(rng) / 100) * 100, unit(rng) < 0.2 ? 1500.0 : 0.0, ""};
    planes.push_back({f, period(rng), 0, 30 + 90 * unit(rng), unit(rng) < 0.15,
                      unit(rng) < 0.3 ? 8 * unit(rng) : 0.0});
  }
  std::vector<EncounterEvent> e1, e2, e3, e4, e5, e6, e7;
  for (double t = 0; t < 150; t += 0.5) {
    for (Plane& p : planes) {
      if (p.next > t) continue;
      p.next = t + p.period;
      if (t >= p.turn_at) {  // one 90 degree turn: straight-line prediction is wrong after it
        const Position here = p.f.At(t - p.lag_s);
        p.f = Flight{p.f.id, here.lat_deg, here.lon_deg, t - p.lag_s, std::fmod(*here.track_deg + 90, 360),
                     p.f.gs_kt, *here.alt_ft, p.f.vrate_fpm, ""};
        p.turn_at = 1e9;
      }
      Position r = p.f.At(t - p.lag_s);
      if (p.no_velocity) r.ground_speed_kt.reset(), r.track_deg.reset(), r.vertical_rate_fpm.reset();
      ASSERT_TRUE(d1.Ingest(r, e1).ok());
      ASSERT_TRUE(d2.Ingest(r, e2).ok());
      ASSERT_TRUE(d3.Ingest(r, e3).ok());
      ASSERT_TRUE(d4.Ingest(r, e4).ok());
      ASSERT_TRUE(d5.Ingest(r, e5).ok());
      ASSERT_TRUE(d6.Ingest(r, e6).ok());
      ASSERT_TRUE(d7.Ingest(r, e7).ok());
    }
  }
  EXPECT_EQ(d5.counters().candidates, d3.counters().candidates);
  EXPECT_EQ(d5.counters().pair_checks, d3.counters().pair_checks);
  EXPECT_EQ(d4.counters().candidates, d3.counters().candidates);
  EXPECT_EQ(d4.counters().pair_checks, d3.counters().pair_checks);
  // Certificates skip pairs the prefilter would clear, never one it would pass.
  for (const Detector* d : {&d1, &d6, &d7}) {
    EXPECT_EQ(d->counters().pair_checks, d3.counters().pair_checks);
    EXPECT_GT(d->counters().anchorings, 0u);
    EXPECT_GT(d->counters().pairs_certified, 0u);
  }
  for (const auto* e : {&e3, &e4, &e5, &e6, &e7}) {
    ASSERT_EQ(e->size(), e1.size());
    for (std::size_t i = 0; i < e1.size(); ++i) {
      EXPECT_EQ((*e)[i].encounter_id, e1[i].encounter_id) << i;
      EXPECT_EQ((*e)[i].kind, e1[i].kind) << i;
      EXPECT_EQ((*e)[i].time_s, e1[i].time_s) << i;
    }
  }
  ASSERT_GT(e1.size(), 20u) << "the scenario must contain encounters to be meaningful";
  ASSERT_EQ(e1.size(), e2.size());
  for (std::size_t i = 0; i < e1.size(); ++i) {
    EXPECT_EQ(e1[i].encounter_id, e2[i].encounter_id) << i;
    EXPECT_EQ(e1[i].kind, e2[i].kind) << i;
    EXPECT_EQ(e1[i].rule, e2[i].rule) << i;
    EXPECT_EQ(e1[i].time_s, e2[i].time_s) << i;
  }
}

TEST(Detector, ExcludedFormationIsQuietOthersAreNot) {
  DetectorOptions o = Options();
  for (Rule& r : o.rules) r.exclude = {{"AAA*", "bbbbbb"}};  // callsign pattern and id
  Detector d(o);
  const auto flights = HeadOn();  // AAA1 (aaaaaa) and BBB2 (bbbbbb)
  EXPECT_TRUE(Fly(d, flights, 0, 600).empty());
  Flight c = flights[1];
  c.id = "cccccc";
  c.callsign = "CCC3";
  Detector d2(o);
  EXPECT_FALSE(Fly(d2, {flights[0], c}, 0, 600).empty());
}

TEST(Detector, ALossBetweenFixesIsReportedOnceNotAgainByTheSlowerAircraft) {
  // A flies east and B north at 420 kt, both at FL300, crossing at 17 s. A reports often, B
  // rarely; the encounter ends (short hold) before B's next report, whose fix-to-fix line also
  // contains the crossing: that must not start a second encounter.
  const double d = units::nm_to_m(420.0 / 3600 * 17);
  const auto [lat_a, lon_a] = Offset(47, 8, 270, d);
  const auto [lat_b, lon_b] = Offset(47, 8, 180, d);
  const Flight a{"aaaaaa", lat_a, lon_a, 0, 90, 420, 30000, 0, ""};
  const Flight b{"bbbbbb", lat_b, lon_b, 0, 0, 420, 30000, 0, ""};
  DetectorOptions o = Options();
  o.rules = {{"near", Severity::kWarning, 0.5, 1000, 0}};
  o.alerting.end_hold_s = 5;
  Detector det(o);
  std::vector<EncounterEvent> out;
  for (auto [f, t] : std::vector<std::pair<const Flight*, double>>{
           {&a, -5}, {&b, 0}, {&a, 25}, {&a, 26}, {&a, 32}, {&b, 50}}) {
    ASSERT_TRUE(det.Ingest(f->At(t), out).ok());
  }
  int started = 0;
  for (const auto& e : out) started += e.kind == EncounterKind::kStarted;
  EXPECT_EQ(started, 1);
}

TEST(Detector, PrefilterChangesNothingForTracksPastTheStaleCutoff) {
  // B hovers at 10000 ft climbing 6000 fpm and stops reporting; a far track moves the data time
  // on; A reports at B's place at 20000 ft 100 s later, where B would be if extrapolated that far,
  // but B is past the stale cutoff (60 s): no pair, with or without the prefilter.
  for (bool prefilter : {true, false}) {
    DetectorOptions o = Options();
    o.rules = {{"los", Severity::kWarning, 5, 1000, 0}};
    o.vertical_prefilter = prefilter;
    o.pair_prefilter = prefilter;
    o.spatial_prefilter = prefilter;
    Detector d(o);
    std::vector<EncounterEvent> out;
    ASSERT_TRUE(d.Ingest(Flight{"bbbbbb", 47, 8, 100, 0, 0, 10000, 6000, ""}.At(100), out).ok());
    ASSERT_TRUE(d.Ingest(Flight{"cccccc", 10, 100, 0, 0, 0, 10000, 0, ""}.At(159), out).ok());
    ASSERT_TRUE(d.Ingest(Flight{"aaaaaa", 47, 8, 0, 0, 0, 20000, 0, ""}.At(200), out).ok());
    EXPECT_TRUE(out.empty()) << "prefilter " << prefilter;
  }
}

TEST(Detector, OneRecordWithAWrongClockAgesNothingOut) {
  Detector d = MakeDetector();
  const auto flights = HeadOn();
  std::vector<EncounterEvent> out;
  for (double t = 0; t < 150; ++t) {
    for (const Flight& f : flights) ASSERT_TRUE(d.Ingest(f.At(t), out).ok());
  }
  ASSERT_EQ(d.ActiveEncounters().size(), 1u);
  Position bad = flights[0].At(150);
  bad.time_s *= 1000;  // milliseconds sent as seconds
  EXPECT_EQ(d.Ingest(bad, out).reason(), "time_jump");
  for (const Flight& f : flights) ASSERT_TRUE(d.Ingest(f.At(151), out).ok());
  EXPECT_EQ(d.tracks().size(), 2u);
  EXPECT_EQ(d.ActiveEncounters().size(), 1u);
  EXPECT_EQ(d.counters().time_jumps, 1u);
  // A new recording, much later: after ten refusals in a row the data time moves on.
  Position later = flights[0].At(0);
  later.track_id = "cccccc";
  for (int i = 0; i < 9; ++i) {
    later.time_s = testing::kT0 + 1e6 + i;
    EXPECT_EQ(d.Ingest(later, out).reason(), "time_jump");
  }
  later.time_s += 1;
  EXPECT_TRUE(d.Ingest(later, out).ok());
  EXPECT_EQ(d.newest_time_s(), later.time_s);
}

TEST(Detector, LossBetweenFixesIsFoundWhicheverAircraftReportsFirst) {
  // Crossing at 240 kt, same level, both reporting at 0 and 60 s: 2.8 NM apart at the fixes (a loss
  // of separation, already active), 0 NM at 30 s (a near mid-air collision between fixes).
  const auto [lat_a, lon_a] = Offset(40, -100, 270, units::nm_to_m(2));
  const auto [lat_b, lon_b] = Offset(40, -100, 180, units::nm_to_m(2));
  const Flight a{"aaaaaa", lat_a, lon_a, 0, 90, 240, 20000, 0, ""};
  const Flight b{"bbbbbb", lat_b, lon_b, 0, 0, 240, 20000, 0, ""};
  for (bool a_first : {true, false}) {
    DetectorOptions o = Options();
    o.rules = CurrentOnlyRules();
    o.alerting.end_hold_s = 60;
    Detector d(o);
    std::vector<EncounterEvent> out;
    for (double t : {0.0, 60.0}) {
      const Flight& first = a_first ? a : b;
      const Flight& second = a_first ? b : a;
      ASSERT_TRUE(d.Ingest(first.At(t), out).ok());
      ASSERT_TRUE(d.Ingest(second.At(t), out).ok());
    }
    ASSERT_EQ(out.size(), 2u) << "a first: " << a_first;
    EXPECT_EQ(out[0].rule, "loss-of-separation");
    EXPECT_EQ(out[1].kind, EncounterKind::kUpdated);
    EXPECT_EQ(out[1].rule, "nmac");
    EXPECT_LT(out[1].closest.horizontal_nm, 0.05);
    EXPECT_NEAR(out[1].closest.time_s, testing::kT0 + 30, 0.5);
  }
}

// Pair certificates (track_anchor.h, pair_certificate.h) may skip only the pairs the pair
// prefilter would clear: fed the same reports, a detector with them and one without evaluate the
// same pairs (pair_checks) and emit the same events. Each test below aims at one way a skipped
// pair could slip past; the last one throws all of them together.
class CertificateDifferential {
 public:
  explicit CertificateDifferential(const DetectorOptions& o) : with_(o), without_(Without(o)) {}

  const DetectorCounters& counters() const { return with_.counters(); }

  // Feeds p to both detectors, which must accept or refuse it alike; true when accepted.
  bool Ingest(const Position& p) {
    const Status a = with_.Ingest(p, with_events_);
    const Status b = without_.Ingest(p, without_events_);
    EXPECT_EQ(a.reason(), b.reason()) << p.track_id << " at " << p.time_s;
    return a.ok();
  }

  // The same pair checks and events so far; returns the events (of the detector without
  // certificates) for the test to check that its scenario has encounters.
  const std::vector<EncounterEvent>& ExpectSame(bool certificates_in_use = true) const {
    if (certificates_in_use) {
      EXPECT_GT(with_.counters().anchorings + with_.counters().certificate_suspensions, 0u)
          << "certificates in use";
    }
    EXPECT_EQ(with_.counters().pair_checks, without_.counters().pair_checks);
    EXPECT_EQ(with_events_.size(), without_events_.size());
    for (std::size_t i = 0; i < std::min(with_events_.size(), without_events_.size()); ++i) {
      const EncounterEvent& x = with_events_[i];
      const EncounterEvent& y = without_events_[i];
      if (x.sequence != y.sequence || x.encounter_id != y.encounter_id || x.kind != y.kind ||
          x.rule != y.rule || x.time_s != y.time_s || x.end_reason != y.end_reason) {
        ADD_FAILURE() << "event " << i << " differs: with certificates " << x.encounter_id << " "
                      << x.rule << " at " << x.time_s << ", without " << y.encounter_id << " "
                      << y.rule << " at " << y.time_s;
        break;
      }
    }
    return without_events_;
  }
  const Detector& with() const { return with_; }

 private:
  static DetectorOptions Without(DetectorOptions o) {
    o.certificates = false;
    return o;
  }
  Detector with_, without_;
  std::vector<EncounterEvent> with_events_, without_events_;
};

int Started(const std::vector<EncounterEvent>& events) {
  return static_cast<int>(std::count_if(events.begin(), events.end(), [](const EncounterEvent& e) {
    return e.kind == EncounterKind::kStarted;
  }));
}

// Head-on at FL300, 1 NM lateral offset, 420 kt each, `apart_nm` apart at time 0.
std::vector<Flight> HeadOnFrom(double apart_nm, double lat = 47.0, double lon = 8.0) {
  const auto [lat_b, lon_b] = Offset(lat, lon, 90, units::nm_to_m(apart_nm));
  const auto [lat_b2, lon_b2] = Offset(lat_b, lon_b, 0, units::nm_to_m(1));
  return {Flight{"aaaaaa", lat, lon, 0, 90, 420, 30000, 0, ""},
          Flight{"bbbbbb", lat_b2, lon_b2, 0, 270, 420, 30000, 0, ""}};
}

// Data times count from kT0, a multiple of the default 40 s epoch: epochs start at t = 0, 40, 80...
static_assert(static_cast<long long>(testing::kT0) % 40 == 0);

TEST(Detector, CertificatesMissNothingWithTheLongestLookahead) {
  // A rule that looks 600 s ahead (ValidateRules allows up to 600 s) makes the anchorings' reach
  // hundreds of kilometres. (Once the out-of-plane bound was checked over chords four times that,
  // found too loose, and the infinite radius made the index return no track at all: this head-on
  // pair was never checked, 0 pair checks against 287.)
  DetectorOptions o = Options();
  o.rules[0].lookahead_s = 600;  // "conflict"
  CertificateDifferential d(o);
  const auto flights = HeadOnFrom(40);
  for (double t = 0; t <= 600; ++t) {
    for (const Flight& f : flights) ASSERT_TRUE(d.Ingest(f.At(t)));
  }
  EXPECT_EQ(Started(d.ExpectSame()), 1);
  // At 420 kt the reach of a 600 s lookahead is still bounded: certificates in use throughout.
  EXPECT_GT(d.counters().anchorings, 0u);
  EXPECT_EQ(d.counters().certificate_suspensions, 0u);
}

TEST(Detector, CertificatesMissNothingAfterAReportWithAGlitchedGroundSpeed) {
  // One report of an aircraft far away gives 4000 kt (a plausible record: ValidatePosition allows
  // up to 4000 kt, and its position moves at 450 kt, no teleport). Just after it, at the start of
  // an epoch, the pair re-anchors with the largest ground speed at 4000 kt: the enumeration radius
  // is infinite and every track must be found (when none was, the conflict predicted from 90 s on
  // was not seen before the next epoch, 120 s).
  CertificateDifferential d(Options());
  const auto pair = HeadOnFrom(33 + 420.0 * 2 / 3600 * 90);
  const Flight far{"cccccc", 20, 60, 0, 0, 450, 35000, 0, ""};
  for (double t = 0; t <= 200; ++t) {
    Position c = far.At(t);
    if (t == 80) c.ground_speed_kt = 4000;
    ASSERT_TRUE(d.Ingest(c));
    for (const Flight& f : pair) ASSERT_TRUE(d.Ingest(f.At(t)));
  }
  const auto& events = d.ExpectSame();
  ASSERT_FALSE(events.empty());
  EXPECT_NEAR(events.front().time_s, testing::kT0 + 90, 3);
  // At 4000 kt the anchorings' reach cannot be bounded: certificates were given up for the epoch.
  EXPECT_GT(d.counters().certificate_suspensions, 0u);
}

TEST(Detector, CertificatesWithReportsOfAnEarlierEpochArrivingLate) {
  // One feed runs 7 s behind, another stalls for 12 s now and then and delivers its backlog at
  // once: near each epoch's start, reports of the previous epoch arrive after the newest data
  // time has moved on (checked in full, their tracks unanchored), in between the other tracks'.
  // The pair's conflict starts at different times around the epochs' starts.
  for (double start_s = 75; start_s <= 125; start_s += 5) {
    CertificateDifferential d(Options());
    auto flights = HeadOnFrom(33 + 420.0 * 2 / 3600 * start_s);
    // A third aircraft crossing their path, level between them and the next level.
    const auto [lat_c, lon_c] = Offset(47, 8, 90, units::nm_to_m(20));
    const auto [lat_c2, lon_c2] = Offset(lat_c, lon_c, 180, units::nm_to_m(20));
    flights.push_back(Flight{"cccccc", lat_c2, lon_c2, 0, 0, 400, 30500, 0, ""});
    std::deque<Position> backlog;
    for (double t = 0; t <= 300; ++t) {
      ASSERT_TRUE(d.Ingest(flights[0].At(t)));
      if (t >= 7) {
        ASSERT_TRUE(d.Ingest(flights[1].At(t - 7)));
      }
      backlog.push_back(flights[2].At(t));
      if (std::fmod(t, 30) < 12) continue;  // stalled
      for (; !backlog.empty(); backlog.pop_front()) d.Ingest(backlog.front());
    }
    const auto& events = d.ExpectSame();
    EXPECT_GE(Started(events), 1) << start_s;
  }
}

TEST(Detector, CertificatesWhenALateReportIsFollowedByOneLookingBackPastTheEpochStart) {
  // Current separation rules only: the window is the epoch, [40 s, 80 s). H's first report, of
  // 5 s, arrives late, after O's report of 41 s; H's next, of 45 s, looks back over [5 s, 45 s],
  // before the window, where H and O passed each other head-on at 22 s, 0.3 NM apart (out of
  // reach of each other at 5 s and from 40 s on). Only that report can see the loss between
  // fixes: it must not skip O because H's late line, anchored, would clear it over the window.
  DetectorOptions o = Options();
  o.rules = CurrentOnlyRules();
  CertificateDifferential d(o);
  const double closing_mps = 2 * units::kt_to_mps(600);
  const auto [lat_h, lon_h] = Offset(47, 8, 90, closing_mps * 22);
  const auto [lat_h2, lon_h2] = Offset(lat_h, lon_h, 0, units::nm_to_m(0.3));
  const Flight other{"oooooo", 47, 8, 0, 90, 600, 30000, 0, ""};
  const Flight h{"hhhhhh", lat_h2, lon_h2, 0, 270, 600, 30000, 0, ""};
  for (double t = 0; t <= 60; ++t) {
    ASSERT_TRUE(d.Ingest(other.At(t)));
    if (t == 41 || t == 45) {
      ASSERT_TRUE(d.Ingest(h.At(t == 41 ? 5 : 45)));
    }
  }
  const auto& events = d.ExpectSame();
  ASSERT_EQ(Started(events), 1);
  EXPECT_EQ(events.front().time_s, testing::kT0 + 45);
  EXPECT_NEAR(events.front().closest.time_s, testing::kT0 + 22, 1);
}

TEST(Detector, CertificatesWhenAReportLeavesItsAnchorsLineAndHeadsBackToIt) {
  // X anchors at 40 s (an epoch's start; window [40 s, 200 s]) flying east, and is cleared against
  // Z, 10 km north on a parallel track at its level. X's next report is 1 km north of its line,
  // heading back to meet it at the window's end: within the budget of the anchor there, but not at
  // the window's start, so it does not follow its anchor. It is 9 km from Z: a loss of
  // separation, now.
  CertificateDifferential d(Options());
  const Flight x{"xxxxxx", 47, 8, 0, 90, 420, 30000, 0, ""};
  const auto [lat_z, lon_z] = Offset(47, 8, 0, 10000);
  const Flight z{"zzzzzz", lat_z, lon_z, 0, 90, 420, 30000, 0, ""};
  const Position on_line = x.At(41), rejoin = x.At(200);
  const auto [lat_x, lon_x] = Offset(on_line.lat_deg, on_line.lon_deg, 0, 1000);
  double to_rejoin_m = 0, azimuth = 0, azimuth2 = 0;
  GeographicLib::Geodesic::WGS84().Inverse(lat_x, lon_x, rejoin.lat_deg, rejoin.lon_deg,
                                           to_rejoin_m, azimuth, azimuth2);
  const Flight back{"xxxxxx", lat_x, lon_x, 41, azimuth, units::mps_to_kt(to_rejoin_m / 159), 30000,
                    0, ""};
  for (double t = 0; t <= 60; ++t) {
    ASSERT_TRUE(d.Ingest(z.At(t)));
    ASSERT_TRUE(d.Ingest((t <= 40 ? x : back).At(t)));
  }
  const auto& events = d.ExpectSame();
  ASSERT_GE(Started(events), 1);
  EXPECT_EQ(events.front().time_s, testing::kT0 + 41);
}

TEST(Detector, CertificatesWithTracksLeavingTheChecksAndComingBack) {
  // Reports without an altitude after a gap longer than max_derive_gap_s (nothing carried over)
  // and reports on the ground take a track out of the checks and bring it back: its anchor goes
  // and comes back. B, level 2000 ft above A (cleared on altitude), starts descending towards A's
  // level at 100 s while its reports alternate between such states.
  DetectorOptions o = Options();
  o.tracks.max_derive_gap_s = 2;
  for (int pattern = 0; pattern < 3; ++pattern) {
    CertificateDifferential d(o);
    auto flights = HeadOnFrom(60);
    flights[1].alt_ft = 32000;
    for (double t = 0; t <= 300; t += 3) {
      ASSERT_TRUE(d.Ingest(flights[0].At(t)));
      if (t == 99) {  // B starts its descent: 1000 ft per minute
        const Position here = flights[1].At(t);
        flights[1] = Flight{"bbbbbb", here.lat_deg, here.lon_deg, t, *here.track_deg, 420,
                            *here.alt_ft, -1000, ""};
      }
      Position b = flights[1].At(t);
      const int k = static_cast<int>(t / 3);
      if (pattern == 0 && k % 2 == 1) b.alt_ft.reset();
      if (pattern == 1 && k % 3 == 1) b.on_ground = true;
      if (pattern == 2 && k % 4 == 1) b.alt_ft.reset();
      if (pattern == 2 && k % 4 == 2) b.on_ground = true;
      ASSERT_TRUE(d.Ingest(b));
    }
    const auto& events = d.ExpectSame();
    EXPECT_GE(Started(events), 1) << pattern;
  }
}

TEST(Detector, CertificatesWithARuleForTrafficOnTheGround) {
  // A runway rule (on the ground only, current separation): aircraft taxiing head-on along the
  // same line, one whose reports go airborne and back (a take-off roll rejected), one whose
  // reports on the ground come without an altitude (carried over: out of the checks on the
  // ground), and airborne traffic above that only the default rules could flag.
  DetectorOptions o = Options();
  Rule runway;
  runway.name = "runway";
  runway.severity = Severity::kAlert;
  runway.horizontal_nm = units::m_to_nm(150);
  runway.vertical_ft = 100;
  runway.scope.on_ground = true;
  o.rules.push_back(runway);
  CertificateDifferential d(o);
  const auto [lat_b, lon_b] = Offset(47.45, 8.56, 90, 3000);
  const Flight a{"aaaaaa", 47.45, 8.56, 0, 90, 20, 1400, 0, ""};
  const Flight b{"bbbbbb", lat_b, lon_b, 0, 270, 25, 1400, 0, ""};
  const auto [lat_c, lon_c] = Offset(47.45, 8.56, 0, 1500);
  const Flight c{"cccccc", lat_c, lon_c, 0, 180, 15, 1400, 0, ""};
  const Flight over{"dddddd", 47.45, 8.50, 0, 90, 140, 1900, 0, ""};
  for (double t = 0; t <= 300; t += 2) {
    Position pa = a.At(t), pb = b.At(t), pc = c.At(t), pd = over.At(t);
    pa.on_ground = pb.on_ground = pc.on_ground = true;
    if (std::fmod(t, 50) < 10) pb.on_ground = false;
    if (std::fmod(t, 14) < 4) pc.alt_ft.reset();
    for (const Position& p : {pa, pb, pc, pd}) ASSERT_TRUE(d.Ingest(p));
  }
  const auto& events = d.ExpectSame();
  EXPECT_GE(Started(events), 2);
}

TEST(Detector, CertificatesAfterAStaleTrackIsDroppedAndItsHandleReused) {
  // Stale after 10 s: a track is dropped within the epoch of its anchor. X, 5000 ft above Z and
  // cleared against it, stops reporting at 8 s and is dropped; Y, new, takes X's handle in the
  // same epoch and flies at Z head-on at Z's level. X's id comes back later too.
  DetectorOptions o = Options();
  o.stale_after_s = 10;
  for (double y_from : {20.0, 25.0, 30.0}) {
    CertificateDifferential d(o);
    const auto zy = HeadOnFrom(45);
    const Flight z = zy[0];
    Flight y = zy[1];
    y.id = "yyyyyy";
    const Flight x{"xxxxxx", 47.0, 8.3, 0, 270, 420, 35000, 0, ""};
    Flight x_back = x;
    x_back.alt_ft = 30000;
    for (double t = 0; t <= 250; ++t) {
      ASSERT_TRUE(d.Ingest(z.At(t)));
      if (t < 8) {
        ASSERT_TRUE(d.Ingest(x.At(t)));
      }
      if (t >= y_from) {
        ASSERT_TRUE(d.Ingest(y.At(t)));
      }
      if (t >= 150) {
        ASSERT_TRUE(d.Ingest(x_back.At(t)));
      }
    }
    ASSERT_TRUE(d.with().tracks().HandleOf("yyyyyy").has_value());
    EXPECT_EQ(*d.with().tracks().HandleOf("yyyyyy"), 1u) << "X's handle";
    EXPECT_EQ(d.with().counters().tracks_dropped, 1u);
    const auto& events = d.ExpectSame();
    EXPECT_GE(Started(events), 1) << y_from;
  }
}

TEST(Detector, CertificatesWithATrackRemadeAfterTeleports) {
  // X flies 100 km from Z; then its reports jump onto Z's path, head-on at Z's level: refused
  // twice as teleports, the third re-makes the track there (no previous fix), within the epoch of
  // X's anchor far away.
  CertificateDifferential d(Options());
  const auto pair = HeadOnFrom(40);
  const Flight& z = pair[0];
  Flight x = pair[1];
  x.id = "xxxxxx";
  Flight far = x;
  far.lat += 0.9;  // 100 km north
  for (double t = 0; t <= 250; ++t) {
    ASSERT_TRUE(d.Ingest(z.At(t)));
    const bool ok = d.Ingest((t < 20 ? far : x).At(t));
    EXPECT_EQ(ok, t < 20 || t >= 22) << t;
  }
  EXPECT_EQ(d.with().counters().teleports, 2u);
  EXPECT_EQ(Started(d.ExpectSame()), 1);
}

TEST(Detector, CertificatesWithReportsWithoutVelocity) {
  // Velocities derived from fixes (at least 1 s apart), none (fixes 0.5 s apart), and vertical
  // rates derived from altitudes: a climb through the other's level, at changing report rates.
  for (double step : {0.5, 1.0, 1.5, 4.0}) {
    CertificateDifferential d(Options());
    auto flights = HeadOnFrom(60);
    flights[1].alt_ft = 28000;
    flights[1].vrate_fpm = 600;
    for (double t = 0; t <= 300; t += step) {
      for (Flight& f : flights) {
        Position p = f.At(t);
        const int k = static_cast<int>(t / step);
        if (f.id == "bbbbbb" || k % 3 == 0) {
          p.ground_speed_kt.reset();
          p.track_deg.reset();
          p.vertical_rate_fpm.reset();
        }
        ASSERT_TRUE(d.Ingest(p));
      }
    }
    EXPECT_GE(Started(d.ExpectSame()), 1) << step;
  }
}

TEST(Detector, CertificatesAcrossTimeJumps) {
  // A pair flies; one report 100 s ahead (accepted, within max_time_jump_s) ages everything
  // out; later a new recording starts 10^6 s on (accepted after ten refusals in a row), in which
  // a pair converges in the epoch where the reset happened.
  CertificateDifferential d(Options());
  const auto first = HeadOnFrom(60);
  for (double t = 0; t <= 60; ++t) {
    for (const Flight& f : first) ASSERT_TRUE(d.Ingest(f.At(t)));
  }
  ASSERT_TRUE(d.Ingest(Flight{"jumper", 10, 10, 0, 0, 300, 20000, 0, ""}.At(161)));
  for (double t = 162; t <= 200; ++t) {
    for (const Flight& f : first) d.Ingest(f.At(t));
  }
  auto second = HeadOnFrom(45, 50, 2);
  second[0].t0 = second[1].t0 = 1e6;
  for (double t = 1e6; t <= 1e6 + 200; ++t) {
    for (const Flight& f : second) d.Ingest(f.At(t));
  }
  EXPECT_EQ(d.with().counters().time_jumps, 9u);
  EXPECT_GE(Started(d.ExpectSame()), 2);
}

TEST(Detector, NoCertificatesForDataTimesBeyondTheirResolution) {
  // Data times are valid up to any finite value (the fuzzer gave 1e299 s, whose epoch does not fit
  // an integer); epochs and windows are only computed finely enough up to 1e11 s. Beyond, every
  // report is checked against its candidate radius, and the events are the same.
  CertificateDifferential d(Options());
  auto pair = HeadOnFrom(45);
  pair[0].t0 = pair[1].t0 = 1e12;
  for (double t = 1e12; t <= 1e12 + 200; ++t) {
    for (const Flight& f : pair) ASSERT_TRUE(d.Ingest(f.At(t)));
  }
  EXPECT_EQ(Started(d.ExpectSame(/*certificates_in_use=*/false)), 1);
  EXPECT_EQ(d.counters().anchorings, 0u);
}

TEST(Detector, CertificatesWithCurrentSeparationRulesOnly) {
  // No lookahead: the window is the epoch alone. Crossings at 600 kt at the same level whose
  // losses of separation fall between fixes 10 to 55 s apart, the crossing time moved around the
  // epochs' starts.
  DetectorOptions o = Options();
  o.rules = CurrentOnlyRules();
  for (double period : {10.0, 25.0, 55.0}) {
    for (double cross_s = 70; cross_s <= 130; cross_s += 15) {
      CertificateDifferential d(o);
      const double to_cross_m = units::kt_to_mps(600) * cross_s;
      const auto [lat_a, lon_a] = Offset(40, -100, 270, to_cross_m);
      const auto [lat_b, lon_b] = Offset(40, -100, 180, to_cross_m);
      const Flight a{"aaaaaa", lat_a, lon_a, 0, 90, 600, 20000, 0, ""};
      const Flight b{"bbbbbb", lat_b, lon_b, 0, 0, 600, 20000, 0, ""};
      for (double t = 0; t <= 250; t += 1) {
        if (std::fmod(t, period) == 0) {
          ASSERT_TRUE(d.Ingest(a.At(t)));
        }
        if (std::fmod(t + 3, period) == 0) {
          ASSERT_TRUE(d.Ingest(b.At(t)));
        }
      }
      EXPECT_GE(Started(d.ExpectSame()), 1) << period << " " << cross_s;
    }
  }
}

// A swarm of `n` aircraft within 30 km of (lat, lon), at random tracks and speeds, within a few
// hundred feet of FL300, some climbing or descending, reporting every second for 200 s.
std::vector<EncounterEvent> SwarmDifferential(double lat, double lon, int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<Flight> flights;
  for (int i = 0; i < n; ++i) {
    const auto [la, lo] = Offset(lat, lon, 360 * unit(rng), 30000 * unit(rng));
    flights.push_back(Flight{fmt::format("s{:05d}", i), la, lo, 0, 360 * unit(rng),
                             150 + 450 * unit(rng), 29500 + 100 * std::floor(10 * unit(rng)),
                             unit(rng) < 0.3 ? 3000 * (unit(rng) - 0.5) : 0.0, ""});
  }
  CertificateDifferential d(Options());
  for (double t = 0; t <= 200; ++t) {
    for (const Flight& f : flights) EXPECT_TRUE(d.Ingest(f.At(t)));
  }
  return d.ExpectSame();
}

TEST(Detector, CertificatesNearThePoleAndAcrossTheAntimeridian) {
  EXPECT_GT(Started(SwarmDifferential(89.9, 0, 40, 1)), 3) << "at the north pole";
  EXPECT_GT(Started(SwarmDifferential(-89.8, 100, 40, 2)), 3) << "at the south pole";
  EXPECT_GT(Started(SwarmDifferential(65, 180, 40, 3)), 3) << "on the antimeridian";
  EXPECT_GT(Started(SwarmDifferential(0, -180, 40, 4)), 3) << "on the antimeridian, equator";
}

TEST(Detector, CertificatesWithHugeVerticalRates) {
  // Vertical rates up to the 100,000 ft/min ValidatePosition allows: a glitch on one report of a
  // level aircraft far above, and a real (if implausible) zoom climb from far below.
  for (double glitch_at : {41.0, 79.0, 80.0}) {
    CertificateDifferential d(Options());
    auto flights = HeadOnFrom(60);
    Flight high = flights[1];
    high.id = "hhhhhh";
    high.alt_ft = 45000;
    Flight zoom = flights[0];
    zoom.id = "zzzzzz";
    zoom.alt_ft = 2000;
    zoom.lat += 0.05;
    for (double t = 0; t <= 200; ++t) {
      for (const Flight& f : flights) ASSERT_TRUE(d.Ingest(f.At(t)));
      Position h = high.At(t);
      if (t == glitch_at) h.vertical_rate_fpm = -100000;
      ASSERT_TRUE(d.Ingest(h));
      if (t == glitch_at + 5) {  // the zoom climb starts
        const Position here = zoom.At(t);
        zoom = Flight{"zzzzzz", here.lat_deg, here.lon_deg, t, *here.track_deg, 420, 2000, 30000, ""};
      }
      Position z = zoom.At(t);
      z.alt_ft = std::min(*z.alt_ft, 60000.0);
      ASSERT_TRUE(d.Ingest(z));
    }
    EXPECT_GE(Started(d.ExpectSame()), 2) << glitch_at;
  }
}

TEST(Detector, CertificatesChangeNothingInHarshTraffic) {
  // Randomized: 600 aircraft over 3 x 3 degrees and 60 taxiing at an airport (fewer in sanitizer
  // builds, below), for 300 s. They turn, climb, descend, level off and change speed at random;
  // reports every 1 to 12 s, some without velocity, some without altitude (out of the checks
  // after gaps over max_derive_gap_s = 8 s), some with glitched vertical rates; feeds behind by up
  // to 8 s that also stall for up to 18 s and then deliver their backlog at once (reports of
  // earlier epochs, some refused as too old); aircraft falling silent past the stale cutoff (20 s,
  // shorter than an epoch) and coming back, some under a new id (handles reused); bursts of
  // teleports (tracks re-made). Three certificate settings: the default, short epochs and small
  // budgets, long epochs and large budgets. (Speeds stay under 550 kt: faster ones hit the bug
  // of the two skipped tests above.)
  DetectorOptions base = Options();
  base.alerting = AlertingOptions{};
  base.stale_after_s = 20;
  base.tracks.max_derive_gap_s = 8;
  Rule runway;
  runway.name = "runway";
  runway.severity = Severity::kAlert;
  runway.horizontal_nm = units::m_to_nm(200);
  runway.vertical_ft = 100;
  runway.lookahead_s = 10;
  runway.scope.on_ground = true;
  base.rules.push_back(runway);
  std::vector<std::unique_ptr<CertificateDifferential>> detectors;
  for (const CertificateOptions& c :
       {CertificateOptions{}, CertificateOptions{3.0, 20.0, 5.0}, CertificateOptions{60.0, 2000.0, 300.0}}) {
    DetectorOptions o = base;
    o.certificate = c;
    detectors.push_back(std::make_unique<CertificateDifferential>(o));
  }
  std::mt19937 rng(17);
  std::uniform_real_distribution<double> unit(0, 1);
  struct Plane {
    int index, generation = 0;
    bool ground;
    double lat, lon, alt_ft, trk, gs_kt, vs_fpm = 0, turn_dps = 0;
    double state_s = 0;  // data time of the state above
    double period, next_report = 0, next_change;
    bool no_velocity;
    double lag_s, stalled_until = 0, silent_until = 0;
    int teleports = 0;  // reports left in a burst of jumps
    std::deque<std::pair<double, Position>> backlog;  // reports and when they are delivered
    std::string Id() const { return fmt::format("{:c}{:05d}", 'a' + generation, index); }
  };
  // Sanitizer builds run some 25 times slower: a quarter of the aircraft on a quarter of the
  // area there, the same density.
#ifdef AIRPROX_SANITIZE_BUILD
  const int airborne = 150, ground = 15;
  const double side_deg = 1.5;
#else
  const int airborne = 600, ground = 60;
  const double side_deg = 3;
#endif
  std::vector<Plane> planes;
  for (int i = 0; i < airborne + ground; ++i) {
    Plane p;
    p.index = i;
    p.ground = i >= airborne;
    if (p.ground) {
      std::tie(p.lat, p.lon) = Offset(47.45, 8.56, 360 * unit(rng), 2000 * unit(rng));
      p.alt_ft = 1400;
      p.gs_kt = 30 * unit(rng);
    } else {
      p.lat = 45 + side_deg * unit(rng);
      p.lon = 5 + side_deg * unit(rng);
      p.alt_ft = 100 * std::round(280 + 40 * unit(rng));
      p.gs_kt = 150 + 400 * unit(rng);
    }
    p.trk = 360 * unit(rng);
    p.period = 1 + 11 * unit(rng);
    p.next_change = 60 * unit(rng);
    p.no_velocity = unit(rng) < 0.15;
    p.lag_s = unit(rng) < 0.3 ? 8 * unit(rng) : 0.0;
    planes.push_back(p);
  }
  auto advance = [](Plane& p, double t) {  // the state at data time t
    const double dt = t - p.state_s;
    if (dt <= 0) return;
    double azi2 = 0;
    GeographicLib::Geodesic::WGS84().Direct(p.lat, p.lon, p.trk, units::kt_to_mps(p.gs_kt) * dt,
                                            p.lat, p.lon, azi2);
    p.trk = std::fmod(azi2 + p.turn_dps * dt + 720, 360);
    p.alt_ft = std::clamp(p.alt_ft + p.vs_fpm / 60 * dt, p.ground ? 1400.0 : 2000.0, 45000.0);
    p.state_s = t;
  };
  std::uint64_t delivered = 0;
  for (double t = 0; t <= 300; t += 0.5) {
    for (Plane& p : planes) {
      advance(p, t);
      if (t >= p.next_change) {  // a new manoeuvre
        p.next_change = t + 5 + 40 * unit(rng);
        const double u = unit(rng);
        p.turn_dps = u < 0.4 ? 0.0 : (u < 0.7 ? 3 : 1.5) * (unit(rng) < 0.5 ? -1 : 1);
        if (!p.ground) {
          const double v = unit(rng);
          p.vs_fpm = v < 0.5 ? 0.0 : (v < 0.8 ? 1500 : 4000) * (unit(rng) < 0.5 ? -1 : 1);
          if (unit(rng) < 0.2) p.gs_kt = 150 + 400 * unit(rng);
        }
      }
      if (t >= p.silent_until && unit(rng) < 0.0005) {  // silent past the stale cutoff
        p.silent_until = t + 15 + 30 * unit(rng);
        if (unit(rng) < 0.5) ++p.generation;  // back under a new id
      }
      if (t >= p.stalled_until && unit(rng) < 0.002) p.stalled_until = t + 3 + 15 * unit(rng);
      // A burst of teleports: one report (refused), or four (two refused, the track re-made there
      // at the third, then re-made back at the third report after them).
      if (p.teleports == 0 && unit(rng) < 0.0003) p.teleports = unit(rng) < 0.5 ? 1 : 4;
      if (t >= p.next_report && t >= p.silent_until) {
        p.next_report = t + p.period;
        Position r;
        r.track_id = p.Id();
        r.time_s = testing::kT0 + t;
        double lat = p.lat;
        if (p.teleports > 0) {  // 60 km north
          lat += 0.55;
          --p.teleports;
        }
        r.lat_deg = std::min(lat, 90.0);
        r.lon_deg = p.lon;
        r.alt_ft = p.alt_ft;
        r.ground_speed_kt = p.gs_kt;
        r.track_deg = p.trk;
        r.vertical_rate_fpm = p.vs_fpm;
        if (p.ground) r.on_ground = unit(rng) < 0.9;
        if (p.no_velocity || unit(rng) < 0.03) {
          r.ground_speed_kt.reset(), r.track_deg.reset(), r.vertical_rate_fpm.reset();
        }
        if (unit(rng) < 0.05) r.alt_ft.reset();
        if (unit(rng) < 0.01) r.vertical_rate_fpm = (unit(rng) < 0.5 ? -1 : 1) * 100000;
        p.backlog.emplace_back(t + p.lag_s, r);
      }
      if (t < p.stalled_until) continue;
      for (; !p.backlog.empty() && p.backlog.front().first <= t; p.backlog.pop_front()) {
        for (auto& d : detectors) d->Ingest(p.backlog.front().second);
        ++delivered;
      }
    }
  }
  EXPECT_GT(delivered, 30u * static_cast<unsigned>(airborne + ground));
  for (auto& d : detectors) {
    const auto& events = d->ExpectSame();
    EXPECT_GT(Started(events), airborne / 12);
    EXPECT_GT(d->with().counters().pairs_certified, 0u);
    EXPECT_GT(d->with().counters().tracks_dropped, static_cast<unsigned>(airborne / 60));
    EXPECT_GT(d->with().counters().teleports, 0u);
    EXPECT_GT(d->with().counters().rejected, d->with().counters().teleports) << "some too old";
  }
}

}  // namespace
}  // namespace airprox
