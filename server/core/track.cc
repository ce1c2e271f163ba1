#include "server/core/track.h"

#include "server/core/units.h"

namespace airprox {

Track MakeTrack(const Position& p) {
  Track t;
  t.last = p;
  t.surface = geo::ToSurfacePoint(p.lat_deg, p.lon_deg);
  if (p.ground_speed_kt && p.track_deg) {
    t.ground_speed_mps = units::kt_to_mps(*p.ground_speed_kt);
    t.velocity_mps = geo::HorizontalVelocity(t.surface, t.ground_speed_mps, *p.track_deg);
  }
  if (p.vertical_rate_fpm) t.vertical_fps = units::fpm_to_fps(*p.vertical_rate_fpm);
  return t;
}

}  // namespace airprox
