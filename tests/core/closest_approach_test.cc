#include "server/core/closest_approach.h"

#include <gtest/gtest.h>

#include <cmath>

namespace airprox {
namespace {

constexpr double kD = 9260.0;   // 5 NM in metres
constexpr double kH = 1000.0;   // feet

RelativeMotion Static(double east_m, double north_m, double vertical_ft) {
  RelativeMotion m;
  m.east_m = east_m;
  m.north_m = north_m;
  m.vertical_ft = vertical_ft;
  return m;
}

TEST(ClosestApproach, HeadOnTimeAndMissDistance) {
  // B 20 km east and 1 km north of A, closing west at 200 m/s: CPA in 100 s, 1 km apart.
  RelativeMotion m = Static(20000, 1000, 0);
  m.east_mps = -200;
  const ClosestApproach c = ComputeClosestApproach(m);
  EXPECT_DOUBLE_EQ(c.time_s, 100.0);
  EXPECT_NEAR(c.horizontal_m, 1000.0, 1e-9);
}

TEST(ClosestApproach, DivergingIsNow) {
  RelativeMotion m = Static(5000, 0, 300);
  m.east_mps = 100;  // moving apart
  m.vertical_fps = 10;
  const ClosestApproach c = ComputeClosestApproach(m);
  EXPECT_EQ(c.time_s, 0.0);
  EXPECT_DOUBLE_EQ(c.horizontal_m, 5000.0);
  EXPECT_DOUBLE_EQ(c.vertical_ft, 300.0);
}

TEST(ClosestApproach, NoRelativeMotionIsNow) {
  const ClosestApproach c = ComputeClosestApproach(Static(3000, 4000, -200));
  EXPECT_EQ(c.time_s, 0.0);
  EXPECT_DOUBLE_EQ(c.horizontal_m, 5000.0);
  EXPECT_DOUBLE_EQ(c.vertical_ft, 200.0);
}

TEST(ClosestApproach, StationKeepingIsNowNotYearsAhead) {
  // Two parallel tracks 1 NM apart whose velocities differ by rounding noise only.
  RelativeMotion m = Static(0, 1852, 0);
  m.north_mps = -1e-7;
  EXPECT_EQ(ComputeClosestApproach(m).time_s, 0.0);
  m.north_mps = -0.06;  // 0.12 kt: closing, slowly
  EXPECT_NEAR(ComputeClosestApproach(m).time_s, 1852 / 0.06, 1e-6);
}

TEST(ViolationWithin, ExactlyOnHorizontalMinimumIsNotAViolation) {
  EXPECT_FALSE(ViolationWithin(Static(kD, 0, 0), {kD, kH}, 0));
  EXPECT_FALSE(ViolationWithin(Static(0, -kD, 0), {kD, kH}, 120));
  EXPECT_TRUE(ViolationWithin(Static(std::nextafter(kD, 0.0), 0, 0), {kD, kH}, 0));
}

TEST(ViolationWithin, ExactlyOnVerticalMinimumIsNotAViolation) {
  EXPECT_FALSE(ViolationWithin(Static(0, 0, kH), {kD, kH}, 0));
  EXPECT_FALSE(ViolationWithin(Static(0, 0, -kH), {kD, kH}, 120));
  EXPECT_TRUE(ViolationWithin(Static(0, 0, 999.999), {kD, kH}, 0));
}

TEST(ViolationWithin, TangentPathIsNotAViolation) {
  // Passes exactly 5 NM abeam: touches the circle at one instant only.
  RelativeMotion m = Static(20000, kD, 0);
  m.east_mps = -200;
  EXPECT_FALSE(ViolationWithin(m, {kD, kH}, 300));
  m.north_m = kD - 1;
  EXPECT_TRUE(ViolationWithin(m, {kD, kH}, 300));
}

TEST(ViolationWithin, HeadOnEntryAndExitTimes) {
  RelativeMotion m = Static(20000, 0, 0);
  m.east_mps = -200;
  const auto w = ViolationWithin(m, {kD, kH}, 120);
  ASSERT_TRUE(w);
  EXPECT_NEAR(w->begin_s, (20000 - kD) / 200, 1e-9);
  EXPECT_NEAR(w->end_s, (20000 + kD) / 200, 1e-9);
}

TEST(ViolationWithin, EntryAtLookaheadBoundary) {
  // Entry at exactly t = 50 s (all values exact in binary): violated with a lookahead of 50.1 s,
  // not with 50 s (the window is open).
  RelativeMotion m = Static(kD + 10000, 0, 0);
  m.east_mps = -200;
  const double entry = 50.0;
  ASSERT_EQ(HorizontalViolation(m, kD).begin_s, entry);
  EXPECT_FALSE(ViolationWithin(m, {kD, kH}, entry));
  EXPECT_TRUE(ViolationWithin(m, {kD, kH}, entry + 0.1));
  EXPECT_FALSE(ViolationWithin(m, {kD, kH}, 0));  // not violated now
}

TEST(ViolationWithin, ClimbThroughIsFoundEvenWhenVerticalAtCpaIsLarge) {
  // Horizontally inside the whole time, B climbs through A's level from 3000 ft below at 50 ft/s:
  // the vertical window is (40 s, 80 s). At the horizontal CPA (now, relative rest) vertical is
  // 3000 ft, so a check at CPA alone would miss it.
  RelativeMotion m = Static(1000, 0, -3000);
  m.vertical_fps = 50;
  const auto w = ViolationWithin(m, {kD, kH}, 120);
  ASSERT_TRUE(w);
  EXPECT_NEAR(w->begin_s, 40, 1e-9);
  EXPECT_NEAR(w->end_s, 80, 1e-9);
  EXPECT_FALSE(ViolationWithin(m, {kD, kH}, 40));
  EXPECT_EQ(ComputeClosestApproach(m).vertical_ft, 3000);
}

TEST(ViolationWithin, HorizontalAndVerticalWindowsMustOverlap) {
  // Horizontally inside during (53.7 s, 146.3 s), vertically inside only during (0 s, 20 s):
  // never both at once.
  RelativeMotion m = Static(20000, 0, 0);
  m.east_mps = -200;
  m.vertical_fps = 50;
  EXPECT_FALSE(ViolationWithin(m, {kD, kH}, 300));
}

TEST(ViolationWithin, PastViolationDoesNotCount) {
  // They were inside, and the window ended 10 s ago.
  RelativeMotion m = Static(kD + 2000, 0, 0);
  m.east_mps = 200;
  EXPECT_FALSE(ViolationWithin(m, {kD, kH}, 120));
}

TEST(HorizontalViolation, StaticInsideIsAlways) {
  const TimeWindow w = HorizontalViolation(Static(10, 10, 0), kD);
  EXPECT_TRUE(std::isinf(w.begin_s) && w.begin_s < 0);
  EXPECT_TRUE(std::isinf(w.end_s) && w.end_s > 0);
}

}  // namespace
}  // namespace airprox
