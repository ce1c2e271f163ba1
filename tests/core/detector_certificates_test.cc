// The pair certificates of the detector (server/core/track_anchor.h, server/core/pair_certificate.h,
// Detector::CertifiedCandidates), tested against the same detector without them.
#include "server/core/detector.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "tests/core/detector_fixture.h"

namespace airprox {
namespace {

using testing::CurrentOnlyRules;
using testing::Flight;
using testing::Offset;

DetectorOptions Options() { return testing::FirstViolationOptions(); }

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
