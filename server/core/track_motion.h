// What candidate filtering reads of a live track, as one flat record per track: its indexed point
// and altitude, its velocities and the time of its latest report. The neighbour lists keep these
// records by handle, so that filtering a list and the pair prefilter read one 72-byte record per
// track instead of the index's copy of the point and, scattered over three cache lines, the track.
#pragma once

#include <limits>

#include "server/core/geo.h"
#include "server/core/track.h"

namespace airprox {

struct TrackMotion {
  geo::Vec3 ecef_m;        // surface point of the latest report (Track::surface.ecef_m)
  geo::Vec3 velocity_mps;  // horizontal ECEF velocity (Track::velocity_mps)
  // Altitude of the latest report; NaN when the track takes no part in checks (not Checkable()),
  // so that every altitude test fails.
  double alt_ft = std::numeric_limits<double>::quiet_NaN();
  double vertical_fps = 0;  // Track::vertical_fps
  double time_s = 0;        // of the latest report

  // As Track::EcefAt and Track::AltitudeFtAt, bit for bit.
  geo::Vec3 EcefAt(double t_s) const { return ecef_m + velocity_mps * (t_s - time_s); }
  double AltitudeFtAt(double t_s) const { return alt_ft + vertical_fps * (t_s - time_s); }
};

inline TrackMotion MotionOf(const Track& t) {
  TrackMotion m;
  m.ecef_m = t.surface.ecef_m;
  m.velocity_mps = t.velocity_mps;
  if (t.Checkable()) m.alt_ft = *t.last.alt_ft;
  m.vertical_fps = t.vertical_fps;
  m.time_s = t.last.time_s;
  return m;
}

}  // namespace airprox
