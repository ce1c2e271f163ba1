#include "server/core/track.h"

#include <bit>
#include <cmath>
#include <cstdint>

#include "server/core/units.h"

namespace airprox {

namespace {

// The report's own geometry (MakeTrack's part): t.last must already hold p's numbers.
void SetReportedMotion(Track& t, const Position& p, double level_flight_max_fps) {
  t.velocity_mps = {};
  t.ground_speed_mps = 0;
  t.vertical_fps = 0;
  if (p.ground_speed_kt && p.track_deg) {
    t.ground_speed_mps = units::kt_to_mps(*p.ground_speed_kt);
    t.velocity_mps = geo::HorizontalVelocity(t.surface, t.ground_speed_mps, t.track_sin, t.track_cos);
  }
  if (p.vertical_rate_fpm) t.vertical_fps = units::fpm_to_fps(*p.vertical_rate_fpm);
  if (std::abs(t.vertical_fps) <= level_flight_max_fps) t.vertical_fps = 0;
}

void SetTrackAngle(Track& t, double track_deg) {
  const double trk = units::deg_to_rad(track_deg);
  t.track_sin = std::sin(trk);
  t.track_cos = std::cos(trk);
}

}  // namespace

Track MakeTrack(const Position& p, double level_flight_max_fps) {
  Track t;
  t.last = p;
  t.surface = geo::ToSurfacePoint(p.lat_deg, p.lon_deg);
  if (p.track_deg) SetTrackAngle(t, *p.track_deg);
  SetReportedMotion(t, p, level_flight_max_fps);
  return t;
}

Track FollowTrack(const Track& before, const Position& p, double max_derive_gap_s,
                  double level_flight_max_fps) {
  Track t = before;
  t.last.track_id = p.track_id;
  AdvanceTrack(t, p, geo::ToSurfacePoint(p.lat_deg, p.lon_deg), max_derive_gap_s,
               level_flight_max_fps);
  return t;
}

void AdvanceTrack(Track& t, const Position& p, const geo::SurfacePoint& surface,
                  double max_derive_gap_s, double level_flight_max_fps) {
  // What is kept of the track before: its fix, and what derivation and carrying over read.
  const geo::Vec3 before_ecef_m = t.surface.ecef_m;
  const std::optional<double> before_alt_ft = t.last.alt_ft;
  const double before_time_s = t.last.time_s;
  const double before_vertical_fps = t.vertical_fps;
  // The same track angle, bit for bit, has the same sine and cosine.
  const bool same_track_angle =
      p.track_deg && t.last.track_deg &&
      std::bit_cast<std::uint64_t>(*p.track_deg) == std::bit_cast<std::uint64_t>(*t.last.track_deg);

  // The new report, with the callsign and category carried over when it has none.
  Position& last = t.last;
  last.time_s = p.time_s;
  last.on_ground = p.on_ground;
  last.alt_ft = p.alt_ft;
  last.lat_deg = p.lat_deg;
  last.lon_deg = p.lon_deg;
  last.ground_speed_kt = p.ground_speed_kt;
  last.track_deg = p.track_deg;
  last.vertical_rate_fpm = p.vertical_rate_fpm;
  if (!p.callsign.empty()) last.callsign = p.callsign;
  if (!p.category.empty()) last.category = p.category;
  t.surface = surface;
  if (p.track_deg && !same_track_angle) SetTrackAngle(t, *p.track_deg);
  SetReportedMotion(t, p, level_flight_max_fps);
  t.velocity_derived = false;
  t.altitude_carried = false;
  t.consecutive_teleports = 0;
  t.previous = PreviousFix{before_ecef_m, before_alt_ft, before_time_s};

  const double dt = p.time_s - before_time_s;
  if (dt <= 0 || dt > max_derive_gap_s) return;
  if (!p.alt_ft && before_alt_ft) {
    // A report without altitude (a position-only message) keeps the track's altitude,
    // extrapolated, instead of taking the track out of separation checks.
    last.alt_ft = *before_alt_ft + before_vertical_fps * dt;
    t.vertical_fps = before_vertical_fps;
    t.altitude_carried = true;
  }
  // Fixes closer in time than kMinDeriveGapS give no velocity: position noise (tens of metres)
  // over a fraction of a second reads as any speed, and an unbounded speed would make every
  // candidate radius, and detection with it, unbounded (found by the detector fuzzer).
  const bool derive = dt >= kMinDeriveGapS;
  if (derive && !(p.ground_speed_kt && p.track_deg)) {
    // Straight line between the fixes, in the tangent plane of the new one.
    const geo::EastNorth d = geo::ProjectOnTangent(t.surface, t.surface.ecef_m - before_ecef_m);
    t.velocity_mps = t.surface.east * (d.east / dt) + t.surface.north * (d.north / dt);
    t.ground_speed_mps = std::hypot(d.east, d.north) / dt;
    t.velocity_derived = true;
  }
  if (derive && !p.vertical_rate_fpm && p.alt_ft && before_alt_ft) {  // from the two fixes
    t.vertical_fps = (*p.alt_ft - *before_alt_ft) / dt;
    if (std::abs(t.vertical_fps) <= level_flight_max_fps) t.vertical_fps = 0;
    // Beyond any aircraft: an altitude glitch, not a climb.
    if (std::abs(t.vertical_fps) > kMaxDerivedVerticalFps) t.vertical_fps = 0;
    t.velocity_derived = true;
  }
}

}  // namespace airprox
