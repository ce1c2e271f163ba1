#include "server/core/geo.h"

#include "server/core/units.h"

namespace airprox::geo {

SurfacePoint ToSurfacePoint(double lat_deg, double lon_deg) {
  constexpr double e2 = kFlattening * (2.0 - kFlattening);  // first eccentricity squared
  const double lat = units::deg_to_rad(lat_deg);
  const double lon = units::deg_to_rad(lon_deg);
  const double sin_lat = std::sin(lat), cos_lat = std::cos(lat);
  const double sin_lon = std::sin(lon), cos_lon = std::cos(lon);
  const double n = kEquatorialRadiusM / std::sqrt(1.0 - e2 * sin_lat * sin_lat);  // prime vertical
  SurfacePoint p;
  p.ecef_m = {n * cos_lat * cos_lon, n * cos_lat * sin_lon, n * (1.0 - e2) * sin_lat};
  p.east = {-sin_lon, cos_lon, 0.0};
  p.north = {-sin_lat * cos_lon, -sin_lat * sin_lon, cos_lat};
  return p;
}

double HorizontalDistanceM(double lat1_deg, double lon1_deg, double lat2_deg, double lon2_deg) {
  return HorizontalOffset(ToSurfacePoint(lat1_deg, lon1_deg), ToSurfacePoint(lat2_deg, lon2_deg))
      .Length();
}

Vec3 HorizontalVelocity(const SurfacePoint& frame, double ground_speed_mps, double track_deg) {
  const double trk = units::deg_to_rad(track_deg);
  return HorizontalVelocity(frame, ground_speed_mps, std::sin(trk), std::cos(trk));
}

}  // namespace airprox::geo
