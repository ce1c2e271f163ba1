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

using testing::CurrentOnlyRules;
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
DetectorOptions Options() { return testing::FirstViolationOptions(); }

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

}  // namespace
}  // namespace airprox
