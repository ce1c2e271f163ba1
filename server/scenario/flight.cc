#include "server/scenario/flight.h"

#include <GeographicLib/Geodesic.hpp>
#include <algorithm>
#include <cmath>

#include "server/core/units.h"

namespace airprox::scenario {
namespace {

const GeographicLib::Geodesic& Wgs84() { return GeographicLib::Geodesic::WGS84(); }

double NormalizeDeg(double deg) {
  const double d = std::fmod(deg, 360.0);
  return d < 0 ? d + 360.0 : d;
}

}  // namespace

PathPoint Advance(const PathPoint& p, double distance_m) {
  PathPoint out;
  double azimuth = 0;
  Wgs84().Direct(p.lat_deg, p.lon_deg, p.azimuth_deg, distance_m, out.lat_deg, out.lon_deg,
                 azimuth);
  out.azimuth_deg = NormalizeDeg(azimuth);
  return out;
}

PathPoint Abeam(const PathPoint& p, double offset_m) {
  // Along the perpendicular to the right; a negative distance goes left on the same geodesic.
  const PathPoint side = Advance({p.lat_deg, p.lon_deg, p.azimuth_deg + 90.0}, offset_m);
  return {side.lat_deg, side.lon_deg, NormalizeDeg(side.azimuth_deg - 90.0)};
}

PathPoint Reversed(const PathPoint& p) {
  return {p.lat_deg, p.lon_deg, NormalizeDeg(p.azimuth_deg + 180.0)};
}

double DistanceM(double lat1_deg, double lon1_deg, double lat2_deg, double lon2_deg) {
  double s12 = 0;
  Wgs84().Inverse(lat1_deg, lon1_deg, lat2_deg, lon2_deg, s12);
  return s12;
}

double AzimuthDeg(double lat1_deg, double lon1_deg, double lat2_deg, double lon2_deg) {
  double azi1 = 0, azi2 = 0;
  Wgs84().Inverse(lat1_deg, lon1_deg, lat2_deg, lon2_deg, azi1, azi2);
  return NormalizeDeg(azi1);
}

Path::Path(PathPoint start) : start_(start), end_(start) {}

Path& Path::Straight(double length_m) {
  Segment s;
  s.from_m = length_m_;
  s.length_m = length_m;
  s.start = end_;
  segments_.push_back(s);
  length_m_ += length_m;
  end_ = AtSegment(s, length_m);
  return *this;
}

Path& Path::Turn(double angle_deg, double radius_m) {
  Segment s;
  s.from_m = length_m_;
  s.length_m = radius_m * units::deg_to_rad(std::abs(angle_deg));
  s.start = end_;
  s.radius_m = radius_m;
  s.sense = angle_deg >= 0 ? 1 : -1;
  // The centre is abeam on the inside; the bearing back from it to the start is the reverse of the
  // geodesic's azimuth on arrival there.
  const PathPoint center =
      Advance({end_.lat_deg, end_.lon_deg, end_.azimuth_deg + 90.0 * s.sense}, radius_m);
  s.center_lat_deg = center.lat_deg;
  s.center_lon_deg = center.lon_deg;
  s.start_bearing_deg = NormalizeDeg(center.azimuth_deg + 180.0);
  segments_.push_back(s);
  length_m_ += s.length_m;
  end_ = AtSegment(s, s.length_m);
  return *this;
}

PathPoint Path::AtSegment(const Segment& s, double along_m) const {
  if (s.radius_m == 0) return Advance(s.start, along_m);
  // On a geodesic circle the direction of motion is perpendicular to the radius (Gauss's lemma).
  // The arc is parametrised by radius times angle: its true length differs by (r/R)^2/6, 1e-7.
  const double bearing = s.start_bearing_deg + s.sense * units::rad_to_deg(along_m / s.radius_m);
  const PathPoint rim = Advance({s.center_lat_deg, s.center_lon_deg, bearing}, s.radius_m);
  return {rim.lat_deg, rim.lon_deg, NormalizeDeg(rim.azimuth_deg + 90.0 * s.sense)};
}

PathPoint Path::At(double distance_m) const {
  if (segments_.empty() || distance_m < 0) return Advance(start_, distance_m);
  if (distance_m >= length_m_) return Advance(end_, distance_m - length_m_);
  auto it = std::upper_bound(segments_.begin(), segments_.end(), distance_m,
                             [](double d, const Segment& s) { return d < s.from_m; });
  const Segment& s = *std::prev(it);
  return AtSegment(s, distance_m - s.from_m);
}

SpeedProfile::SpeedProfile(double t0_s, double speed_kt)
    : t0_s_(t0_s), pieces_{{t0_s, 0.0, units::kt_to_mps(speed_kt), 0.0}} {}

SpeedProfile& SpeedProfile::Change(double at_s, double speed_kt, double rate_kt_per_s) {
  const double at = std::max(at_s, pieces_.back().t_s);
  const Piece& last = pieces_.back();
  const double v0 = last.speed_mps, v1 = units::kt_to_mps(speed_kt);
  const double d0 = last.distance_m + v0 * (at - last.t_s);
  const double accel = std::copysign(units::kt_to_mps(rate_kt_per_s), v1 - v0);
  const double duration = v1 == v0 ? 0.0 : (v1 - v0) / accel;
  pieces_.push_back({at, d0, v0, accel});
  pieces_.push_back({at + duration, d0 + (v0 + v1) / 2 * duration, v1, 0.0});
  return *this;
}

const SpeedProfile::Piece& SpeedProfile::PieceAt(double t_s) const {
  auto it = std::upper_bound(pieces_.begin(), pieces_.end(), t_s,
                             [](double t, const Piece& p) { return t < p.t_s; });
  return it == pieces_.begin() ? pieces_.front() : *std::prev(it);
}

double SpeedProfile::DistanceM(double t_s) const {
  const Piece& p = PieceAt(t_s);
  const double dt = t_s - p.t_s;
  return p.distance_m + p.speed_mps * dt + 0.5 * p.accel_mps2 * dt * dt;
}

double SpeedProfile::SpeedKt(double t_s) const {
  const Piece& p = PieceAt(t_s);
  return units::m_to_nm(p.speed_mps + p.accel_mps2 * (t_s - p.t_s)) * units::kSecondsPerHour;
}

AltitudeProfile& AltitudeProfile::Change(double at_s, double alt_ft, double rate_fpm) {
  const double at = knots_.empty() ? at_s : std::max(at_s, knots_.back().t_s);
  const double from = AltFt(at);
  knots_.push_back({at, from});
  knots_.push_back({at + std::abs(alt_ft - from) / rate_fpm * units::kSecondsPerMinute, alt_ft});
  return *this;
}

double AltitudeProfile::AltFt(double t_s) const {
  if (knots_.empty() || t_s <= knots_.front().t_s)
    return knots_.empty() ? initial_alt_ft_ : knots_.front().alt_ft;
  if (t_s >= knots_.back().t_s) return knots_.back().alt_ft;
  auto it = std::upper_bound(knots_.begin(), knots_.end(), t_s,
                             [](double t, const Knot& k) { return t < k.t_s; });
  const Knot &a = *std::prev(it), &b = *it;
  return a.alt_ft + (b.alt_ft - a.alt_ft) * (t_s - a.t_s) / (b.t_s - a.t_s);
}

double AltitudeProfile::RateFpm(double t_s) const {
  if (knots_.empty() || t_s < knots_.front().t_s || t_s >= knots_.back().t_s) return 0.0;
  auto it = std::upper_bound(knots_.begin(), knots_.end(), t_s,
                             [](double t, const Knot& k) { return t < k.t_s; });
  const Knot &a = *std::prev(it), &b = *it;
  return (b.alt_ft - a.alt_ft) / (b.t_s - a.t_s) * units::kSecondsPerMinute;
}

FlightState Flight::At(double t_s) const {
  const PathPoint p = path.At(speed.DistanceM(t_s));
  FlightState s;
  s.lat_deg = p.lat_deg;
  s.lon_deg = p.lon_deg;
  s.track_deg = p.azimuth_deg;
  s.gs_kt = speed.SpeedKt(t_s);
  s.alt_ft = altitude.AltFt(t_s);
  s.vrate_fpm = altitude.RateFpm(t_s);
  return s;
}

Flight StraightFlight(std::string track_id, std::string callsign, std::string category,
                      const PathPoint& at, double at_s, double speed_kt, AltitudeProfile altitude,
                      double first_report_s, double last_report_s) {
  return Flight{.track_id = std::move(track_id),
                .callsign = std::move(callsign),
                .category = std::move(category),
                .path = Path(at),
                .speed = SpeedProfile(at_s, speed_kt),
                .altitude = std::move(altitude),
                .first_report_s = first_report_s,
                .last_report_s = last_report_s};
}

}  // namespace airprox::scenario
