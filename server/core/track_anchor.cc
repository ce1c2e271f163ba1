#include "server/core/track_anchor.h"

namespace airprox {

TrackAnchor AnchorOf(const Track& t, std::int64_t epoch, std::uint64_t serial) {
  TrackAnchor a;
  a.ecef_m = t.surface.ecef_m;
  a.velocity_mps = t.velocity_mps;
  a.alt_ft = *t.last.alt_ft;
  a.vertical_fps = t.vertical_fps;
  a.time_s = t.last.time_s;
  a.epoch = epoch;
  a.serial = serial;
  a.valid = true;
  return a;
}

bool FollowsAnchor(const TrackAnchor& a, const Track& t, const CertificateWindow& w,
                   const CertificateOptions& o) {
  const double b2 = o.budget_m * o.budget_m;
  for (const double at : {w.from_s, w.to_s}) {
    const geo::Vec3 d = t.EcefAt(at) - a.EcefAt(at);
    if (!(geo::Dot(d, d) <= b2)) return false;
    if (!(std::abs(t.AltitudeFtAt(at) - a.AltitudeFtAt(at)) <= o.budget_ft)) return false;
  }
  return true;
}

}  // namespace airprox
