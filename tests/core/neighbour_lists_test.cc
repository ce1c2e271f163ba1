#include "server/core/neighbour_lists.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <set>

namespace airprox {
namespace {

constexpr double kNoAltitude = std::numeric_limits<double>::quiet_NaN();

std::set<TrackHandle> AsSet(const std::vector<TrackHandle>& v) { return {v.begin(), v.end()}; }

// Tracks moving over a small area in steps of various sizes: mostly short moves (lists reused),
// some long jumps, climbs, altitude lost and regained, tracks leaving and coming back. Each track
// is queried right after its update, as the contract asks; every answer must equal the index's.
void CheckAgainstTheIndex(NeighbourListOptions options, double jump_m, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> lat(46.5, 47.5), lon(7.5, 8.5), unit(0, 1);
  std::normal_distribution<double> step(0, 1);
  SpatialIndex index(20000);
  NeighbourLists lists(index, options);
  constexpr TrackHandle kTracks = 600;
  std::vector<geo::Vec3> p(kTracks);
  std::vector<double> alt(kTracks, kNoAltitude);
  std::vector<bool> present(kTracks, false);
  std::uint64_t queries = 0;
  for (int round = 0; round < 60; ++round) {
    for (TrackHandle h = 0; h < kTracks; ++h) {
      const double u = unit(rng);
      if (u < 0.02) {
        lists.Erase(h);
        present[h] = false;
        continue;
      }
      if (!present[h] || u < 0.04) {  // (re)appears anywhere
        p[h] = geo::ToSurfacePoint(lat(rng), lon(rng)).ecef_m;
        alt[h] = std::round(unit(rng) * 20) * 500;
      } else if (u < 0.07) {  // a jump
        p[h] = p[h] + geo::Vec3{jump_m * step(rng), jump_m * step(rng), jump_m * step(rng)};
      } else {  // a short move, sometimes climbing
        p[h] = p[h] + geo::Vec3{800 * step(rng), 800 * step(rng), 800 * step(rng)};
        if (u > 0.8 && !std::isnan(alt[h])) alt[h] += 150 * step(rng);
      }
      if (u > 0.97) alt[h] = std::isnan(alt[h]) ? 10000 : kNoAltitude;  // altitude lost or back
      present[h] = true;
      lists.Update(h, p[h], alt[h]);
      if (std::isnan(alt[h])) continue;
      const double radius = 15000 + 10000 * unit(rng);
      const double reach = 500 + 1500 * unit(rng);
      std::vector<TrackHandle> got, expected;
      lists.Query(h, radius, reach, got);
      index.Query(p[h], radius, expected, alt[h], reach);
      ++queries;
      ASSERT_EQ(got.size(), AsSet(got).size()) << "no duplicates";
      ASSERT_EQ(AsSet(got), AsSet(expected)) << "round " << round << " track " << h;
    }
    if (round % 10 == 9) lists.RecomputeReach();
  }
  EXPECT_LT(lists.builds(), queries) << "lists must get reused";
  EXPECT_GT(lists.builds(), 600u) << "and rebuilt";
}

TEST(NeighbourLists, SameAnswersAsTheIndex) {
  CheckAgainstTheIndex({}, 30000, 1);
}

TEST(NeighbourLists, SameAnswersAsTheIndexWithTinyMargins) {
  // Lists outlived by almost every move: rebuilt all the time, tracks joining others' lists.
  CheckAgainstTheIndex({2000, 100}, 10000, 2);
}

TEST(NeighbourLists, SameAnswersAsTheIndexWithWideMargins) {
  CheckAgainstTheIndex({60000, 4000}, 80000, 3);
}

TEST(NeighbourLists, ALateComerJoinsTheListsOfTracksItFinds) {
  SpatialIndex index(100000);
  NeighbourLists lists(index, {10000, 1000});
  const geo::Vec3 a = geo::ToSurfacePoint(47, 8).ecef_m;
  lists.Update(0, a, 30000);
  std::vector<TrackHandle> out;
  lists.Query(0, 5000, 500, out);
  EXPECT_EQ(out, std::vector<TrackHandle>{0});
  EXPECT_EQ(lists.builds(), 1u);
  // Track 1 appears next to track 0, which does not rebuild its list: it must still find it.
  lists.Update(1, a + geo::Vec3{1000, 0, 0}, 30200);
  out.clear();
  lists.Query(1, 5000, 500, out);
  EXPECT_EQ(AsSet(out), (std::set<TrackHandle>{0, 1}));
  lists.Update(0, a + geo::Vec3{0, 100, 0}, 30000);  // a short move: the list stays
  out.clear();
  lists.Query(0, 5000, 500, out);
  EXPECT_EQ(AsSet(out), (std::set<TrackHandle>{0, 1}));
  EXPECT_EQ(lists.builds(), 2u);
  EXPECT_EQ(lists.live(), 2u);
}

TEST(NeighbourLists, MovingAQuarterMarginOrAskingForMoreRebuilds) {
  SpatialIndex index(100000);
  NeighbourLists lists(index, {8000, 400});
  const geo::Vec3 a = geo::ToSurfacePoint(47, 8).ecef_m;
  std::vector<TrackHandle> out;
  lists.Update(0, a, 30000);
  lists.Query(0, 5000, 500, out);
  lists.Update(0, a + geo::Vec3{1900, 0, 0}, 30000);
  lists.Query(0, 5000, 500, out);
  EXPECT_EQ(lists.builds(), 1u);
  lists.Update(0, a + geo::Vec3{2100, 0, 0}, 30000);  // beyond 8000 / 4 from the centre
  EXPECT_EQ(lists.live(), 0u);
  lists.Query(0, 5000, 500, out);
  EXPECT_EQ(lists.builds(), 2u);
  lists.Update(0, a + geo::Vec3{2100, 0, 0}, 30150);  // climbing beyond 400 / 4
  lists.Query(0, 5000, 500, out);
  EXPECT_EQ(lists.builds(), 3u);
  lists.Query(0, 9000, 500, out);  // a wider query than the list covers
  EXPECT_EQ(lists.builds(), 4u);
  lists.Update(0, a, kNoAltitude);  // no altitude: no list
  EXPECT_EQ(lists.live(), 0u);
}

TEST(NeighbourLists, ReachShrinksToTheLiveLists) {
  SpatialIndex index(100000);
  NeighbourLists lists(index, {10000, 1000});
  const geo::Vec3 a = geo::ToSurfacePoint(47, 8).ecef_m;
  const geo::Vec3 b = geo::ToSurfacePoint(10, 8).ecef_m;
  std::vector<TrackHandle> out;
  lists.Update(0, a, 30000);
  lists.Query(0, 90000, 500, out);  // a wide one
  lists.Erase(0);
  lists.Update(1, b, 30000);
  lists.Query(1, 5000, 500, out);  // built at least as wide as the widest live list (0's)
  lists.RecomputeReach();          // 1's list is now the only one
  lists.Update(2, b, 30000);
  lists.Query(2, 5000, 500, out);
  // 2's list is built with 1's radius (>= 100 km): 3 at 99 km from 2 is not in it, and joins
  // 2's list when it builds its own.
  lists.Update(3, b + geo::Vec3{0, 99000, 0}, 30000);
  out.clear();
  lists.Query(3, 100000, 500, out);
  EXPECT_EQ(AsSet(out), (std::set<TrackHandle>{1, 2, 3}));
  out.clear();
  lists.Query(2, 100000, 500, out);
  EXPECT_EQ(AsSet(out), (std::set<TrackHandle>{1, 2, 3}));
}

}  // namespace
}  // namespace airprox
