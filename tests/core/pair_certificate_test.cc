#include "server/core/pair_certificate.h"

#include <GeographicLib/Geodesic.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "tests/core/detector_fixture.h"

namespace airprox {
namespace {

using testing::Flight;
using testing::kT0;

constexpr double kEpochS = 20.0;
constexpr double kMaxInterpolationS = 60.0;
const CertificateOptions kBudget{kEpochS, 250.0, 50.0};
const RuleReach kReach{9260.0, 1000.0, 120.0};  // the default rules' reach: 5 NM, 1000 ft, 120 s

CertificateWindow Window() {
  return WindowOf(EpochOf(kT0, kEpochS), kEpochS, kReach.lookahead_s);
}

TrackAnchor AnchorAt(const Flight& f, double t) {
  return AnchorOf(MakeTrack(f.At(t)), EpochOf(kT0, kEpochS), 1);
}

// A flight `distance_m` from (47N, 8E) at `bearing_deg`.
Flight Away(const char* id, double bearing_deg, double distance_m, double track_deg, double gs_kt,
            double alt_ft, double vrate_fpm = 0) {
  double lat = 0, lon = 0;
  GeographicLib::Geodesic::WGS84().Direct(47.0, 8.0, bearing_deg, distance_m, lat, lon);
  return {id, lat, lon, 0, track_deg, gs_kt, alt_ft, vrate_fpm};
}

bool Clear(const Flight& a, const Flight& b) {
  return CertifiedClear(AnchorAt(a, 0), AnchorAt(b, 0), Window(), kReach, kBudget);
}

TEST(PairCertificate, LevelPairsFarApartVerticallyAreCleared) {
  const Flight a{"a", 47.0, 8.0, 0, 90, 450, 30000};
  // Head-on, at the same point, 2000 ft apart: cleared on altitude alone.
  EXPECT_TRUE(Clear(a, Away("b", 0, 0, 270, 450, 32000)));
  // 1000 ft apart (adjacent flight levels) is not enough on its own: the budgets may close it.
  EXPECT_FALSE(Clear(a, Away("b", 0, 0, 270, 450, 31000)));
  EXPECT_TRUE(Clear(a, Away("b", 0, 0, 270, 450, 31000 + 2 * kBudget.budget_ft + 0.02)));
  // A descent through the other's level within the window (140 s after the anchors): not cleared;
  // a slower one that stays 1600 ft above it to the window's end: cleared.
  EXPECT_FALSE(Clear(a, Away("b", 0, 0, 270, 450, 34000, -2000)));
  EXPECT_TRUE(Clear(a, Away("b", 0, 0, 270, 450, 34000, -1000)));
}

TEST(PairCertificate, HorizontalSeparationOverTheWholeWindow) {
  const Flight a{"a", 47.0, 8.0, 0, 90, 450, 30000};
  // Parallel, same level: 10 km apart is cleared; 9.6 km is within the reach (9,260 m) plus both
  // budgets.
  EXPECT_TRUE(Clear(a, Away("b", 0, 10000, 90, 450, 30000)));
  EXPECT_FALSE(Clear(a, Away("b", 0, 9600, 90, 450, 30000)));
  // Head-on, closing at 463 m/s, the window ending 140 s after the anchors: 80 km apart they meet
  // after it; 50 km apart, within it.
  EXPECT_TRUE(Clear(a, Away("b", 90, 80000, 270, 450, 30000)));
  EXPECT_FALSE(Clear(a, Away("b", 90, 50000, 270, 450, 30000)));
  // The window starts with the epoch: the reports it spares look back no further than their
  // previous fix, which follows the anchor. Two aircraft that passed each other head-on 30 s before
  // it, now 14 km apart and opening, are cleared.
  EXPECT_TRUE(Clear(a, Away("b", 270, 14000, 270, 450, 30000)));
}

TEST(PairCertificate, ChordReachCoversTheProjectionOntoTheTangentPlane) {
  OutOfPlaneBound p;
  p.extent_m = 100000;
  p.speed_mps = 300;
  p.span_s = 200;
  p.past_m = 20000;
  const double chord = ChordReachM(9260, p, 400000);
  // The bound at 10 km is about 2 km out of the plane: the chord reach is a few hundred metres
  // more than the radius.
  EXPECT_GT(chord, 9260 + kCertificateClearanceM);
  EXPECT_LT(chord, 9260 * 1.1);
  const double u = p.BoundM(chord);
  EXPECT_GE(chord * chord - u * u, std::pow(9260 + kCertificateClearanceM, 2));
  // Chords of thousands of kilometres: the bound cannot tell.
  EXPECT_TRUE(std::isinf(ChordReachM(9260, p, 2e7)));
}

TEST(PairCertificate, ClearedPairsAreClearedByThePrefilterWheneverBothFollowTheirAnchors) {
  // Random pairs around the reach's edge, anywhere on Earth (antimeridian and high latitudes
  // included), anchored at random times in the epoch; later reports of each, on slightly different
  // lines, taken only when they follow their anchors. Whenever the anchors are cleared, the pair prefilter must clear every such
  // evaluation, from either side, with the evaluating track's interval back to its previous fix.
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> unit(0, 1), lat(-85, 85), lon(-180, 180), deg(0, 360),
      gs(120, 600), in_epoch(0, kEpochS);
  std::normal_distribution<double> wobble(0, 1);
  const double alt_offsets[] = {0, 300, 900, 1000, 1100, 1150, 1500, 2500};
  int cleared = 0, evaluations = 0, passed_uncleared = 0;
  for (int i = 0; i < 20000; ++i) {
    const double vr_a = unit(rng) < 0.5 ? 0 : 3000 * (unit(rng) - 0.5);
    const double vr_b = unit(rng) < 0.5 ? 0 : 3000 * (unit(rng) - 0.5);
    Flight a{"a", lat(rng), lon(rng), 0, deg(rng), gs(rng), 30000, vr_a};
    double lat_b = 0, lon_b = 0;
    GeographicLib::Geodesic::WGS84().Direct(a.lat, a.lon, deg(rng), 3000 + 120000 * std::pow(unit(rng), 2),
                                            lat_b, lon_b);
    const double sign = unit(rng) < 0.5 ? -1 : 1;
    Flight b{"b", lat_b, lon_b, 0, deg(rng), gs(rng), 30000 + sign * alt_offsets[i % 8], vr_b};
    const double ta = in_epoch(rng), tb = in_epoch(rng);
    const TrackAnchor anchor_a = AnchorAt(a, ta), anchor_b = AnchorAt(b, tb);
    const bool clear =
        CertifiedClear(anchor_a, anchor_b, Window(), kReach, kBudget);
    cleared += clear;
    // Later lines of each: off their anchors' by up to most of the budget (moved aside by up to
    // 240 m, turned, faster or slower, higher or lower).
    auto varied = [&](Flight f) {
      GeographicLib::Geodesic::WGS84().Direct(f.lat, f.lon, f.track_deg + 90,
                                              240 * (2 * unit(rng) - 1), f.lat, f.lon);
      f.track_deg += 0.02 * wobble(rng);
      f.gs_kt += 0.5 * wobble(rng);
      f.alt_ft += 45 * (2 * unit(rng) - 1);
      f.vrate_fpm += 5 * wobble(rng);
      return f;
    };
    for (int k = 0; k < 4; ++k) {
      const Flight a2 = varied(a), b2 = varied(b);
      const double ta2 = ta + (kEpochS - ta) * unit(rng), tb2 = tb + (kEpochS - tb) * unit(rng);
      const double ta1 = ta + (ta2 - ta) * unit(rng);  // a's previous fix, on a's anchor line
      const Track prev_a = MakeTrack(a.At(ta1));
      const Track self = FollowTrack(prev_a, a2.At(ta2), 60.0);
      const Track other = MakeTrack(b2.At(tb2));
      if (!FollowsAnchor(anchor_a, prev_a, Window(), kBudget) ||
          !FollowsAnchor(anchor_a, self, Window(), kBudget) ||
          !FollowsAnchor(anchor_b, other, Window(), kBudget)) {
        continue;
      }
      ++evaluations;
      PairCheckOptions check;
      check.max_interpolation_s = kMaxInterpolationS;
      const bool passes = PairPrefilter(self, self.last.time_s, kReach, check).Test(other) ||
                          PairPrefilter(other, other.last.time_s, kReach, check).Test(self);
      if (clear) {
        EXPECT_FALSE(passes) << "pair " << i << " evaluation " << k;
      } else {
        passed_uncleared += passes;
      }
    }
  }
  // The sample has both outcomes in number.
  EXPECT_GT(cleared, 5000);
  EXPECT_GT(evaluations, 40000);
  EXPECT_GT(passed_uncleared, 2000);
}

}  // namespace
}  // namespace airprox
