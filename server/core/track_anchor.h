// Pair certificates, part one: a track's anchor. Most aircraft fly straight, and their reports
// repeat the same straight line. A track is anchored to the line of one of its reports, for one
// epoch of data time; while its later reports in the epoch stay within a budget of that line over
// the epoch's window, every pair the detector cleared against the anchor (pair_certificate.h)
// stays cleared, and the report is checked against the few pairs that were not, instead of
// against every track in reach.
#pragma once

#include <cmath>
#include <cstdint>

#include "server/core/geo.h"
#include "server/core/track.h"

namespace airprox {

struct CertificateOptions {
  // Pairs are cleared for an epoch of data time at once. Seconds, >= 1 (else no certificates are
  // used). Longer: fewer re-anchorings
  // (a track re-anchors at its first report in each epoch) but longer windows to clear, so fewer
  // pairs cleared and more tracks in reach when anchoring.
  double epoch_s = 40.0;
  // How far a report's line may stray from its track's anchor over the window before the track
  // re-anchors: metres horizontally (3D distance of the surface points), feet vertically, > 0.
  double budget_m = 250.0;
  double budget_ft = 50.0;
};

// The span of data time that certificates cover: from the epoch's start to its end plus the
// longest lookahead. The checks they spare are those of reports that follow their track's anchor
// (made in the epoch, by an earlier report), whose interval back to the previous fix (losses
// between fixes) therefore starts in the epoch too.
struct CertificateWindow {
  double from_s = 0, to_s = 0;
  double length_s() const { return to_s - from_s; }
};

inline std::int64_t EpochOf(double t_s, double epoch_s) {
  return static_cast<std::int64_t>(std::floor(t_s / epoch_s));
}
inline CertificateWindow WindowOf(std::int64_t epoch, double epoch_s, double lookahead_s) {
  return {static_cast<double>(epoch) * epoch_s, static_cast<double>(epoch + 1) * epoch_s + lookahead_s};
}

// The straight lines of one report: surface point and altitude, at `time_s`, moving at constant
// velocity (as Track::EcefAt and Track::AltitudeFtAt).
struct TrackAnchor {
  geo::Vec3 ecef_m, velocity_mps;
  double alt_ft = 0, vertical_fps = 0, time_s = 0;
  std::int64_t epoch = 0;
  // Changes whenever the track anchors again, loses its anchor or is dropped: what other tracks
  // remember of this one (watched pairs) is void once it changes.
  std::uint64_t serial = 0;
  bool valid = false;

  geo::Vec3 EcefAt(double t_s) const { return ecef_m + velocity_mps * (t_s - time_s); }
  double AltitudeFtAt(double t_s) const { return alt_ft + vertical_fps * (t_s - time_s); }
};

// The anchor of checkable track t's latest report.
TrackAnchor AnchorOf(const Track& t, std::int64_t epoch, std::uint64_t serial);

// Whether checkable track t's latest report keeps within the budget of the anchor's lines over
// the whole window: its surface point extrapolated along its velocity within budget_m of the
// anchor's, its altitude within budget_ft. (Both differences are linear in time, so their largest
// magnitudes are at the window's ends.) Each report that follows its anchor has its fix within the
// budget too, so the line between two such fixes (the motion between fixes) is also within it.
bool FollowsAnchor(const TrackAnchor& a, const Track& t, const CertificateWindow& w,
                   const CertificateOptions& o);

}  // namespace airprox
