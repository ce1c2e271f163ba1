#include "server/core/spatial_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

namespace airprox {
namespace {

TEST(SpatialIndex, QueryIsASupersetOfBruteForce) {
  std::mt19937 rng(1);
  // Clusters at ordinary places, on the antimeridian and at both poles.
  const std::vector<std::pair<double, double>> centres = {
      {47, 8}, {0, 180}, {0, -179.99}, {89.99, 0}, {-89.99, 45}, {-33, 151}};
  std::normal_distribution<double> jitter(0, 0.8);
  std::vector<geo::Vec3> points;
  SpatialIndex index(50000);
  for (TrackHandle h = 0; h < 3000; ++h) {
    const auto& [lat, lon] = centres[h % centres.size()];
    double la = std::clamp(lat + jitter(rng), -90.0, 90.0);
    double lo = lon + jitter(rng);
    if (lo > 180) lo -= 360;
    if (lo < -180) lo += 360;
    points.push_back(geo::ToSurfacePoint(la, lo).ecef_m);
    index.Update(h, points.back());
  }
  EXPECT_EQ(index.size(), points.size());
  for (int q = 0; q < 200; ++q) {
    const TrackHandle centre = q * 13 % points.size();
    const double radius = 10000.0 + q * 700.0;
    std::vector<TrackHandle> found;
    index.Query(points[centre], radius, found);
    const std::set<TrackHandle> got(found.begin(), found.end());
    EXPECT_EQ(got.size(), found.size()) << "no duplicates";
    for (TrackHandle h = 0; h < points.size(); ++h) {
      if (geo::Norm(points[h] - points[centre]) <= radius) {
        ASSERT_TRUE(got.count(h)) << "missed " << h << " within " << radius << " m of " << centre;
      }
    }
  }
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

}  // namespace
}  // namespace airprox
