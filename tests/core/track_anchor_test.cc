#include "server/core/track_anchor.h"

#include <gtest/gtest.h>

#include "tests/core/detector_fixture.h"

namespace airprox {
namespace {

using testing::Flight;
using testing::kT0;

constexpr double kEpochS = 20.0;
const CertificateOptions kBudget{kEpochS, 250.0, 50.0};

CertificateWindow Window() {
  return WindowOf(EpochOf(kT0, kEpochS), kEpochS, /*lookahead_s=*/120.0);
}

TEST(TrackAnchor, EpochsAndTheirWindows) {
  EXPECT_EQ(EpochOf(39.9, 20.0), 1);
  EXPECT_EQ(EpochOf(40.0, 20.0), 2);
  EXPECT_EQ(EpochOf(-0.1, 20.0), -1);
  const CertificateWindow w = WindowOf(1, 20.0, 120.0);
  EXPECT_DOUBLE_EQ(w.from_s, 20.0);
  EXPECT_DOUBLE_EQ(w.to_s, 160.0);
  EXPECT_DOUBLE_EQ(w.length_s(), 140.0);
}

TEST(TrackAnchor, LaterReportsOfAStraightFlightFollowIt) {
  // A geodesic at 480 kt with a steady climb: each report's tangent line turns with the Earth, by
  // 0.07 degrees over 20 s, and stays well within the budget over the 140 s window.
  const Flight f{"a", 47.0, 8.0, 0, 75, 480, 30000, 1000};
  Track t = MakeTrack(f.At(0));
  const TrackAnchor a = AnchorOf(t, EpochOf(kT0, kEpochS), 7);
  EXPECT_TRUE(a.valid);
  EXPECT_EQ(a.serial, 7u);
  EXPECT_TRUE(FollowsAnchor(a, t, Window(), kBudget));
  for (double s = 5; s < kEpochS; s += 5) {
    t = FollowTrack(t, f.At(s), 10.0);
    EXPECT_TRUE(FollowsAnchor(a, t, Window(), kBudget)) << s;
  }
}

TEST(TrackAnchor, ATurnAClimbOrAJumpBreaksIt) {
  const Flight f{"a", 47.0, 8.0, 0, 75, 480, 30000, 0};
  const Track t = MakeTrack(f.At(0));
  const TrackAnchor a = AnchorOf(t, EpochOf(kT0, kEpochS), 1);
  // Two degrees of turn: 247 m/s x 0.035 rad x up to 140 s, over 1 km off the line.
  Flight turned = f;
  turned.track_deg += 2;
  EXPECT_FALSE(FollowsAnchor(a, MakeTrack(turned.At(0)), Window(), kBudget));
  // 30 ft/min: 70 ft off at the window's end; 10 ft/min: 23 ft.
  Flight climbing = f;
  climbing.vrate_fpm = 30;
  EXPECT_FALSE(FollowsAnchor(a, MakeTrack(climbing.At(0)), Window(), kBudget));
  climbing.vrate_fpm = 10;
  EXPECT_TRUE(FollowsAnchor(a, MakeTrack(climbing.At(0)), Window(), kBudget));
  // Half a kilometre to the side, on a parallel line.
  Position p = f.At(0);
  p.lat_deg += 0.0045;
  EXPECT_FALSE(FollowsAnchor(a, MakeTrack(p), Window(), kBudget));
  p.lat_deg = f.At(0).lat_deg + 0.0018;  // 200 m
  EXPECT_TRUE(FollowsAnchor(a, MakeTrack(p), Window(), kBudget));
}

}  // namespace
}  // namespace airprox
