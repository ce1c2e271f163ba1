#include "server/core/spatial_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <tuple>

namespace airprox {
namespace {

TEST(SpatialIndex, QueryEqualsBruteForce) {
  std::mt19937 rng(1);
  // Clusters at ordinary places, on the antimeridian and at both poles.
  const std::vector<std::pair<double, double>> centres = {
      {47, 8}, {0, 180}, {0, -179.99}, {89.99, 0}, {-89.99, 45}, {-33, 151}};
  std::normal_distribution<double> jitter(0, 0.8);
  std::uniform_real_distribution<double> altitude(0, 40000);
  std::vector<geo::Vec3> points;
  std::vector<double> alts;
  SpatialIndex index(50000);
  for (TrackHandle h = 0; h < 3000; ++h) {
    const auto& [lat, lon] = centres[h % centres.size()];
    double la = std::clamp(lat + jitter(rng), -90.0, 90.0);
    double lo = lon + jitter(rng);
    if (lo > 180) lo -= 360;
    if (lo < -180) lo += 360;
    points.push_back(geo::ToSurfacePoint(la, lo).ecef_m);
    alts.push_back(altitude(rng));
    index.Update(h, points.back(), alts.back());
  }
  EXPECT_EQ(index.size(), points.size());
  for (int q = 0; q < 200; ++q) {
    const TrackHandle centre = q * 13 % points.size();
    const double radius = 10000.0 + q * 700.0;
    const double reach_ft = q % 2 ? 5000 : std::numeric_limits<double>::infinity();
    std::vector<TrackHandle> found;
    index.Query(points[centre], radius, found, alts[centre], reach_ft);
    const std::set<TrackHandle> got(found.begin(), found.end());
    EXPECT_EQ(got.size(), found.size()) << "no duplicates";
    std::set<TrackHandle> expected;
    for (TrackHandle h = 0; h < points.size(); ++h) {
      if (geo::Norm(points[h] - points[centre]) <= radius &&
          std::abs(alts[h] - alts[centre]) <= reach_ft) {
        expected.insert(h);
      }
    }
    ASSERT_EQ(got, expected) << "query " << q << ": " << radius << " m around " << centre;
    EXPECT_GT(expected.size(), 0u);
  }
}

TEST(SpatialIndex, RadiiWiderThanTheGridAndInfiniteOnes) {
  // A radius spanning more cubes than there are cells in use, up to an infinite one (a caller that
  // cannot bound its search), returns every track within reach: never nothing.
  SpatialIndex index(100000);
  const geo::Vec3 zurich = geo::ToSurfacePoint(47, 8).ecef_m;
  const geo::Vec3 sydney = geo::ToSurfacePoint(-33, 151).ecef_m;
  const geo::Vec3 pole = geo::ToSurfacePoint(90, 0).ecef_m;
  index.Update(0, zurich, 30000);
  index.Update(1, sydney, 31000);
  index.Update(2, pole, 36000);
  index.Update(3, zurich);  // no altitude
  auto query = [&](double radius_m, double reach_ft) {
    std::vector<TrackHandle> found;
    index.Query(zurich, radius_m, found, 30000, reach_ft);
    std::sort(found.begin(), found.end());
    return found;
  };
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(query(inf, inf), (std::vector<TrackHandle>{0, 1, 2, 3}));
  EXPECT_EQ(query(inf, 2000), (std::vector<TrackHandle>{0, 1}));
  EXPECT_EQ(query(1e300, 10000), (std::vector<TrackHandle>{0, 1, 2}));
  // The chord to Sydney is about 12,000 km: within 13,000, not 11,000.
  EXPECT_EQ(query(1.3e7, 2000), (std::vector<TrackHandle>{0, 1}));
  EXPECT_EQ(query(1.1e7, 2000), (std::vector<TrackHandle>{0}));
}

TEST(SpatialIndex, TracksWithoutAltitudeOnlyInQueriesOfAnyAltitude) {
  SpatialIndex index(10000);
  const geo::Vec3 zurich = geo::ToSurfacePoint(47.46, 8.55).ecef_m;
  index.Update(1, zurich);  // no altitude
  index.Update(2, zurich, 30000);
  std::vector<TrackHandle> out;
  index.Query(zurich, 1000, out, 30000, 1e9);
  EXPECT_EQ(out, std::vector<TrackHandle>{2});
  out.clear();
  index.Query(zurich, 1000, out);
  std::sort(out.begin(), out.end());
  EXPECT_EQ(out, (std::vector<TrackHandle>{1, 2}));
}

TEST(SpatialIndex, ErasingKeepsTheOthersFindable) {
  // Erase moves the cell's last entry into the hole: its handle must still be found and moved.
  SpatialIndex index(100000);
  const geo::Vec3 p = geo::ToSurfacePoint(47, 8).ecef_m;
  for (TrackHandle h = 0; h < 5; ++h) index.Update(h, p, 1000.0 * h);
  index.Erase(1);
  index.Update(4, p, 1500);  // in place, in its new slot
  std::vector<TrackHandle> out;
  index.Query(p, 10, out, 1500, 10);
  EXPECT_EQ(out, std::vector<TrackHandle>{4});
  index.Erase(4);
  index.Erase(0);
  out.clear();
  index.Query(p, 10, out);
  std::sort(out.begin(), out.end());
  EXPECT_EQ(out, (std::vector<TrackHandle>{2, 3}));
  EXPECT_EQ(index.size(), 2u);
}

TEST(SpatialIndex, UpdateMovesAndEraseRemoves) {
  SpatialIndex index(10000);
  const geo::Vec3 zurich = geo::ToSurfacePoint(47.46, 8.55).ecef_m;
  const geo::Vec3 sydney = geo::ToSurfacePoint(-33.9, 151.2).ecef_m;
  index.Update(7, zurich);
  std::vector<TrackHandle> out;
  index.Query(zurich, 1000, out);
  EXPECT_EQ(out, std::vector<TrackHandle>{7});
  index.Update(7, sydney);
  out.clear();
  index.Query(zurich, 1000, out);
  EXPECT_TRUE(out.empty());
  index.Query(sydney, 1000, out);
  EXPECT_EQ(out, std::vector<TrackHandle>{7});
  index.Erase(7);
  out.clear();
  index.Query(sydney, 1000, out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(index.size(), 0u);
}

TEST(SpatialIndex, CellsComeAndGoUnderChurn) {
  // Small cells and bands, tracks moving, jumping and leaving: cells are created, emptied and
  // erased by the thousand (the cell table grows and shifts runs back on erase). Every query must
  // still equal brute force, and the cell count must equal the distinct occupied cells.
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> lat(46, 48), lon(7, 9), altitude(0, 40000), unit(0, 1);
  SpatialIndex index(1000, 500);
  constexpr TrackHandle kTracks = 2000;
  std::vector<geo::Vec3> points(kTracks);
  std::vector<double> alts(kTracks);
  std::vector<bool> present(kTracks, false);
  auto cell_of = [](const geo::Vec3& p, double alt) {
    return std::make_tuple(std::floor(p.x / 1000), std::floor(p.y / 1000), std::floor(p.z / 1000),
                           std::floor(alt / 500));
  };
  for (int round = 0; round < 20; ++round) {
    for (TrackHandle h = 0; h < kTracks; ++h) {
      const double u = unit(rng);
      if (u < 0.1) {
        index.Erase(h);
        present[h] = false;
      } else if (u < 0.6 || !present[h]) {
        points[h] = geo::ToSurfacePoint(lat(rng), lon(rng)).ecef_m;  // anywhere
        alts[h] = altitude(rng);
        index.Update(h, points[h], alts[h]);
        present[h] = true;
      } else {
        points[h] = points[h] + geo::Vec3{300, -200, 100};  // a short move, often the same cell
        alts[h] += 100;
        index.Update(h, points[h], alts[h]);
      }
    }
    std::set<std::tuple<double, double, double, double>> occupied;
    std::size_t live = 0;
    for (TrackHandle h = 0; h < kTracks; ++h) {
      if (present[h]) ++live, occupied.insert(cell_of(points[h], alts[h]));
    }
    ASSERT_EQ(index.size(), live);
    ASSERT_EQ(index.cells(), occupied.size());
    for (int q = 0; q < 20; ++q) {
      const TrackHandle centre = (round * 101 + q * 37) % kTracks;
      if (!present[centre]) continue;
      const double radius = 2000.0 + 1500.0 * q;
      std::vector<TrackHandle> found;
      index.Query(points[centre], radius, found, alts[centre], 3000);
      const std::set<TrackHandle> got(found.begin(), found.end());
      ASSERT_EQ(got.size(), found.size()) << "no duplicates";
      std::set<TrackHandle> expected;
      for (TrackHandle h = 0; h < kTracks; ++h) {
        if (present[h] && geo::Norm(points[h] - points[centre]) <= radius &&
            std::abs(alts[h] - alts[centre]) <= 3000) {
          expected.insert(h);
        }
      }
      ASSERT_EQ(got, expected) << "round " << round << " query " << q;
    }
  }
}

}  // namespace
}  // namespace airprox
