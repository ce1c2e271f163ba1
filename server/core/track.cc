#include "server/core/track.h"

#include <cmath>

#include "server/core/units.h"

namespace airprox {

Track MakeTrack(const Position& p, double level_flight_max_fps) {
  Track t;
  t.last = p;
  t.surface = geo::ToSurfacePoint(p.lat_deg, p.lon_deg);
  if (p.ground_speed_kt && p.track_deg) {
    t.ground_speed_mps = units::kt_to_mps(*p.ground_speed_kt);
    t.velocity_mps = geo::HorizontalVelocity(t.surface, t.ground_speed_mps, *p.track_deg);
  }
  if (p.vertical_rate_fpm) t.vertical_fps = units::fpm_to_fps(*p.vertical_rate_fpm);
  if (std::abs(t.vertical_fps) <= level_flight_max_fps) t.vertical_fps = 0;
  return t;
}

Track FollowTrack(const Track& before, const Position& p, double max_derive_gap_s,
                  double level_flight_max_fps) {
  Track t = MakeTrack(p, level_flight_max_fps);
  if (p.callsign.empty()) t.last.callsign = before.last.callsign;
  if (p.category.empty()) t.last.category = before.last.category;
  t.previous = PreviousFix{before.surface.ecef_m, before.last.alt_ft, before.last.time_s};
  const double dt = p.time_s - before.last.time_s;
  if (dt <= 0 || dt > max_derive_gap_s) return t;
  if (!p.alt_ft && before.last.alt_ft) {
    // A report without altitude (a position-only message) keeps the track's altitude,
    // extrapolated, instead of taking the track out of separation checks.
    t.last.alt_ft = *before.last.alt_ft + before.vertical_fps * dt;
    t.vertical_fps = before.vertical_fps;
    t.altitude_carried = true;
  }
  // Fixes closer in time than kMinDeriveGapS give no velocity: position noise (tens of metres)
  // over a fraction of a second reads as any speed, and an unbounded speed would make every
  // candidate radius, and detection with it, unbounded (found by the detector fuzzer).
  const bool derive = dt >= kMinDeriveGapS;
  if (derive && !(p.ground_speed_kt && p.track_deg)) {
    // Straight line between the fixes, in the tangent plane of the new one.
    const geo::EastNorth d = geo::ProjectOnTangent(t.surface, t.surface.ecef_m - before.surface.ecef_m);
    t.velocity_mps = t.surface.east * (d.east / dt) + t.surface.north * (d.north / dt);
    t.ground_speed_mps = std::hypot(d.east, d.north) / dt;
    t.velocity_derived = true;
  }
  if (derive && !p.vertical_rate_fpm && p.alt_ft && before.last.alt_ft) {  // from the two fixes
    t.vertical_fps = (*p.alt_ft - *before.last.alt_ft) / dt;
    if (std::abs(t.vertical_fps) <= level_flight_max_fps) t.vertical_fps = 0;
    // Beyond any aircraft: an altitude glitch, not a climb.
    if (std::abs(t.vertical_fps) > kMaxDerivedVerticalFps) t.vertical_fps = 0;
    t.velocity_derived = true;
  }
  return t;
}

}  // namespace airprox
