// The kinematics of synthetic flights, exact on the WGS84 ellipsoid.
//
// A flight is three independent pieces: a Path (where it goes: geodesic segments and turns,
// parametrised by distance flown), a SpeedProfile (how far along the path it is at each time) and
// an AltitudeProfile. Every point is computed with GeographicLib's geodesic Direct problem, never
// with latitude/longitude arithmetic, so distances between generated aircraft are what
// GeographicLib's Inverse says they are, and the reported ground speed, track and vertical rate are
// the derivatives of the motion itself.
#pragma once

#include <string>
#include <vector>

namespace airprox::scenario {

// A point on the ellipsoid and a direction of travel: the true azimuth of the path there.
struct PathPoint {
  double lat_deg = 0, lon_deg = 0;
  double azimuth_deg = 0;
};

// The point `distance_m` along the geodesic leaving `p` at its azimuth (negative: backwards), with
// the geodesic's azimuth there.
PathPoint Advance(const PathPoint& p, double distance_m);

// The point `offset_m` to the right of `p` (negative: to the left), on the geodesic perpendicular
// to p's direction, travelling parallel to p: the geodesic through it with that azimuth is
// perpendicular to the connecting geodesic, so two aircraft passing p and Abeam(p, d) at the same
// time are at their closest, exactly d apart, when both fly straight at equal speeds or opposite
// directions.
PathPoint Abeam(const PathPoint& p, double offset_m);

// p travelling the other way.
PathPoint Reversed(const PathPoint& p);

// Geodesic distance in metres and the azimuth at `from` of the geodesic to `to`.
double DistanceM(double lat1_deg, double lon1_deg, double lat2_deg, double lon2_deg);
double AzimuthDeg(double lat1_deg, double lon1_deg, double lat2_deg, double lon2_deg);

// A route flown from `start`: geodesic legs and constant-radius turns, by distance flown. Before
// the start and past the end it goes straight on along the geodesic of the first or last azimuth.
class Path {
 public:
  explicit Path(PathPoint start);

  Path& Straight(double length_m);
  // A turn of `angle_deg` (positive: right, clockwise; negative: left) on a geodesic circle of
  // `radius_m` around a centre abeam the current point. A full 360 comes back to the same point and
  // direction exactly.
  Path& Turn(double angle_deg, double radius_m);

  PathPoint At(double distance_m) const;
  // The point reached by the segments added so far.
  const PathPoint& End() const { return end_; }
  double length_m() const { return length_m_; }

 private:
  struct Segment {
    double from_m = 0;  // distance flown at the segment's start
    double length_m = 0;
    PathPoint start;
    double radius_m = 0;  // 0 for a straight leg
    int sense = 0;        // +1 right, -1 left
    double center_lat_deg = 0, center_lon_deg = 0;
    double start_bearing_deg = 0;  // from the centre to the segment's start
  };
  PathPoint AtSegment(const Segment& s, double along_m) const;

  PathPoint start_, end_;
  std::vector<Segment> segments_;
  double length_m_ = 0;
};

// Distance along the path against time: constant speeds and constant accelerations. Distance 0 at
// `t0_s`; before it the first speed, after the last change the last speed.
class SpeedProfile {
 public:
  SpeedProfile(double t0_s, double speed_kt);

  // Changes speed linearly from `at_s` (not before the previous change ends) to `speed_kt`, at
  // `rate_kt_per_s` (> 0).
  SpeedProfile& Change(double at_s, double speed_kt, double rate_kt_per_s);

  double DistanceM(double t_s) const;
  double SpeedKt(double t_s) const;
  double t0_s() const { return t0_s_; }

 private:
  struct Piece {
    double t_s, distance_m, speed_mps, accel_mps2;  // state at t_s and the acceleration from then
  };
  const Piece& PieceAt(double t_s) const;
  double t0_s_;
  std::vector<Piece> pieces_;  // first at t0_s_, then one per change start and end
};

// Altitude against time: level, or climbing or descending at a constant rate.
class AltitudeProfile {
 public:
  explicit AltitudeProfile(double alt_ft) : initial_alt_ft_(alt_ft) {}

  // From `at_s` (not before the previous change ends), climbs or descends to `alt_ft` at `rate_fpm`
  // (> 0) and levels off.
  AltitudeProfile& Change(double at_s, double alt_ft, double rate_fpm);

  double AltFt(double t_s) const;
  double RateFpm(double t_s) const;

 private:
  struct Knot {
    double t_s, alt_ft;
  };
  double initial_alt_ft_;
  std::vector<Knot> knots_;  // piecewise linear; level before the first and after the last
};

// What a flight is doing at an instant, exactly (no quantization).
struct FlightState {
  double lat_deg = 0, lon_deg = 0, alt_ft = 0;
  double gs_kt = 0, track_deg = 0, vrate_fpm = 0;
};

// One aircraft's flight: identity, motion, and the span of scenario time in which it reports (its
// transponder is on). Times are seconds from the scenario's start.
struct Flight {
  std::string track_id;
  std::string callsign;
  std::string category;  // ADS-B emitter category, e.g. "A3" (large), "A6" (high performance)
  Path path;
  SpeedProfile speed;
  AltitudeProfile altitude;
  double first_report_s = 0;
  double last_report_s = 0;

  FlightState At(double t_s) const;
};

// A flight along the geodesic through `at`, in at's direction, at a constant ground speed: there at
// scenario time `at_s`.
Flight StraightFlight(std::string track_id, std::string callsign, std::string category,
                      const PathPoint& at, double at_s, double speed_kt, AltitudeProfile altitude,
                      double first_report_s, double last_report_s);

}  // namespace airprox::scenario
