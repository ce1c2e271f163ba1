#include "server/core/geo.h"

#include <GeographicLib/Geodesic.hpp>
#include <gtest/gtest.h>

#include <random>

#include "server/core/units.h"

namespace airprox::geo {
namespace {

double GeodesicM(double lat1, double lon1, double lat2, double lon2) {
  double s12 = 0;
  GeographicLib::Geodesic::WGS84().Inverse(lat1, lon1, lat2, lon2, s12);
  return s12;
}

// Random points within 50 NM of `lat, lon`, placed with GeographicLib's direct problem.
void ExpectCloseToGeodesic(double lat, double lon, std::mt19937& rng) {
  std::uniform_real_distribution<double> az(-180, 180), dist(1, units::nm_to_m(50));
  for (int i = 0; i < 200; ++i) {
    double lat2 = 0, lon2 = 0;
    const double s = dist(rng);
    GeographicLib::Geodesic::WGS84().Direct(lat, lon, az(rng), s, lat2, lon2);
    const double ours = HorizontalDistanceM(lat, lon, lat2, lon2);
    EXPECT_NEAR(ours, s, s * 1e-4) << "from " << lat << "," << lon << " to " << lat2 << "," << lon2;
  }
}

TEST(Geo, WithinOneInTenThousandOfGeodesicUpTo50Nm) {
  std::mt19937 rng(42);
  for (double lat : {0.0, 23.5, 45.0, 47.4, 60.0, -33.9, 75.0, -80.0}) {
    for (double lon : {-120.0, 0.0, 8.5, 150.0}) ExpectCloseToGeodesic(lat, lon, rng);
  }
}

TEST(Geo, AcrossTheAntimeridian) {
  std::mt19937 rng(7);
  ExpectCloseToGeodesic(0.0, 179.9, rng);
  ExpectCloseToGeodesic(52.0, -179.95, rng);
  // Two points 0.02 deg of longitude apart across the seam, at the equator: about 2.2 km.
  EXPECT_NEAR(HorizontalDistanceM(0, 179.99, 0, -179.99), GeodesicM(0, 179.99, 0, -179.99), 0.5);
}

TEST(Geo, NearAndAtThePoles) {
  std::mt19937 rng(9);
  ExpectCloseToGeodesic(89.9, 0.0, rng);
  ExpectCloseToGeodesic(-89.95, 100.0, rng);
  // Across the North Pole: 89.95N 0E to 89.95N 180E, 0.1 deg of arc apart.
  EXPECT_NEAR(HorizontalDistanceM(89.95, 0, 89.95, 180), GeodesicM(89.95, 0, 89.95, 180), 1.0);
  // At the pole every longitude is the same point.
  EXPECT_NEAR(HorizontalDistanceM(90, 0, 90, 123), 0.0, 1e-6);
}

TEST(Geo, TangentFrameIsNorthEastAtPoint) {
  // 1 km north of a point is along `north`, not `east`.
  const SurfacePoint a = ToSurfacePoint(46.0, 7.0);
  double lat2 = 0, lon2 = 0;
  GeographicLib::Geodesic::WGS84().Direct(46.0, 7.0, 0.0, 1000.0, lat2, lon2);
  const EastNorth d = HorizontalOffset(a, ToSurfacePoint(lat2, lon2));
  EXPECT_NEAR(d.north, 1000.0, 0.1);
  EXPECT_NEAR(d.east, 0.0, 0.1);
}

TEST(Geo, VelocityPointsAlongTrack) {
  const SurfacePoint a = ToSurfacePoint(10.0, 20.0);
  const EastNorth v = ProjectOnTangent(a, HorizontalVelocity(a, 100.0, 90.0));
  EXPECT_NEAR(v.east, 100.0, 1e-9);
  EXPECT_NEAR(v.north, 0.0, 1e-9);
}

}  // namespace
}  // namespace airprox::geo
