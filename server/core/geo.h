// WGS84 geometry for the hot path.
//
// Every fix is turned once into a point on the WGS84 ellipsoid in Earth-centred Earth-fixed (ECEF)
// coordinates, with the east and north unit vectors of its local tangent plane. The horizontal
// offset between two fixes is the ECEF chord between their surface points projected on the tangent
// plane of the first. There is no latitude/longitude arithmetic, so nothing special happens at the
// antimeridian or the poles. Within 50 NM the offset's length differs from the geodesic (ellipsoid)
// distance by less than 0.01% (tests/core/geo_test.cc checks it against GeographicLib).
#pragma once

#include <cmath>
#include <vector>

namespace airprox::geo {

struct Vec3 {
  double x = 0, y = 0, z = 0;
};
inline Vec3 operator+(Vec3 a, Vec3 b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
inline Vec3 operator-(Vec3 a, Vec3 b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
inline Vec3 operator*(Vec3 a, double k) { return {a.x * k, a.y * k, a.z * k}; }
inline double Dot(Vec3 a, Vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
inline double Norm(Vec3 a) { return std::sqrt(Dot(a, a)); }

// WGS84 ellipsoid.
inline constexpr double kEquatorialRadiusM = 6378137.0;
inline constexpr double kFlattening = 1.0 / 298.257223563;

// A point on the ellipsoid surface (height 0) and its local tangent frame.
struct SurfacePoint {
  Vec3 ecef_m;  // metres
  Vec3 east;    // unit vector
  Vec3 north;   // unit vector
};

SurfacePoint ToSurfacePoint(double lat_deg, double lon_deg);

// Horizontal vector (east, north) in metres.
struct EastNorth {
  double east = 0, north = 0;
  double Length() const { return std::hypot(east, north); }
};

// Projects an ECEF vector on the tangent plane of `frame`.
inline EastNorth ProjectOnTangent(const SurfacePoint& frame, Vec3 v) {
  return {Dot(v, frame.east), Dot(v, frame.north)};
}

// Horizontal offset from `from` to `to` in `from`'s tangent plane, metres.
inline EastNorth HorizontalOffset(const SurfacePoint& from, const SurfacePoint& to) {
  return ProjectOnTangent(from, to.ecef_m - from.ecef_m);
}

// Convenience for tests and tools: horizontal distance between two fixes, metres.
double HorizontalDistanceM(double lat1_deg, double lon1_deg, double lat2_deg, double lon2_deg);

// Whether (lat, lon) is inside the polygon given by its vertices (degrees, in order; closed
// implicitly). Longitudes are unwrapped around the first vertex, so a polygon may straddle the
// antimeridian; it must not contain a pole nor span 180 degrees of longitude or more (it would be
// read as its complement).
template <typename V>
bool InsidePolygon(double lat_deg, double lon_deg, const std::vector<V>& polygon) {
  auto unwrap = [&](double lon) {
    double d = lon - polygon.front().lon_deg;
    while (d > 180) d -= 360;
    while (d < -180) d += 360;
    return d;
  };
  const double x = unwrap(lon_deg), y = lat_deg;
  bool inside = false;
  for (std::size_t i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
    const double xi = unwrap(polygon[i].lon_deg), yi = polygon[i].lat_deg;
    const double xj = unwrap(polygon[j].lon_deg), yj = polygon[j].lat_deg;
    if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

// ECEF velocity of a horizontal motion at `frame` (ground speed m/s along true track).
Vec3 HorizontalVelocity(const SurfacePoint& frame, double ground_speed_mps, double track_deg);
// The same, given the sine and cosine of the track angle.
inline Vec3 HorizontalVelocity(const SurfacePoint& frame, double ground_speed_mps,
                               double sin_track, double cos_track) {
  return frame.east * (ground_speed_mps * sin_track) + frame.north * (ground_speed_mps * cos_track);
}

}  // namespace airprox::geo
