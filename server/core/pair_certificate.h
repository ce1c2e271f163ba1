// Pair certificates, part two: clearing a pair for a whole epoch. Two anchored tracks
// (track_anchor.h) are cleared when their anchors' lines stay apart, with room for each track to
// stray by its budget, over the whole window of the epoch; then every evaluation of the pair in the
// epoch, by either track's reports that follow their anchors, is one the pair prefilter
// (pair_assessment.h) would clear, and the detector skips it.
//
// Why this is exact. The prefilter clears a pair when, over each part of the span it examines, the
// pair stays at least the largest horizontal minimum plus a metre apart horizontally, or the
// largest vertical minimum (plus 0.01 ft) apart vertically. An evaluation by a report that
// follows its anchor looks at data times within the window (track_anchor.h: its previous fix is
// the anchor's report or a later one), at the evaluating track's line and the line between its
// last two fixes, and at the other track's line, each within its budget of its anchor's line; so
// the pair's vertical and chord distances are within twice the budget of the anchors'. What remains is the horizontal distance: the prefilter projects the chord between the
// two surface points (each extrapolated along a velocity tangent at its own report's point) onto
// the evaluating track's tangent plane at its report's point o, with up vector u, so
//   horizontal^2 = chord^2 - (d.u)^2.
// |d.u| is bounded by the geometry of the WGS84 ellipsoid, whose normal curvature is at most
// 1 / rho, rho = a (1 - e^2) (the meridional radius at the equator, its smallest): a surface point
// at chord D from o lies between o's tangent plane and D^2 / (2 rho) below it, and the normals at
// two points a chord D apart differ by at most 1.01 D / rho in angle (an arc of length <= 1.01 D for
// D up to thousands of km). The other track's surface point is at most chord + extent from o, and
// its velocity (at most `speed`) is tangent there, extrapolated over at most `span`; the evaluating
// track's own point is o (its velocity tangent at o), or on the chord back to its previous fix
// (made in the window), at most `past` away. Hence
//   |d.u| <= U(chord) = (chord + extent)^2 / (2 rho) + span * speed * 1.01 (chord + extent) / rho
//                       + past^2 / (2 rho),
// and horizontal^2 >= chord^2 - U(chord)^2, which increases with the chord wherever
// chord > U(chord) U'(chord) (checked, not assumed).
#pragma once

#include "server/core/pair_assessment.h"
#include "server/core/track_anchor.h"

namespace airprox {

// The bound U above on how far, across a pair's chord, the evaluating track's tangent plane can
// be from the chord. Metres, metres per second, seconds.
struct OutOfPlaneBound {
  double extent_m = 0;   // how far the two tracks' report points can be beyond the pair's chord
  double speed_mps = 0;  // the faster track's speed
  double span_s = 0;     // the longest extrapolation from a report's time
  double past_m = 0;     // the longest chord between the evaluating track's last two fixes
  double BoundM(double chord_m) const;
  // An upper bound of BoundM's derivative at chord_m (and below it).
  double SlopeBound(double chord_m) const;
};

// The smallest Earth radius of curvature (WGS84), metres.
inline constexpr double kSmallestCurvatureRadiusM = 6335439.0;
// The horizontal separation a cleared pair keeps at least over its largest radius: the prefilter
// tests its radius plus a metre; another metre for rounding. Metres.
inline constexpr double kCertificateClearanceM = 2.0;

// Whether the pair of anchors a and b (valid, of the window's epoch) is cleared for the window:
// every evaluation of the two tracks by a report that follows its anchor, while the other's latest
// report follows its own (within `o`'s budgets), is cleared by the pair prefilter with `reach`.
bool CertifiedClear(const TrackAnchor& a, const TrackAnchor& b, const CertificateWindow& w,
                    const RuleReach& reach, const CertificateOptions& o);

// The largest chord a pair can have while its horizontal separation (in the evaluating track's
// tangent plane) is under radius_m + kCertificateClearanceM, under bound p, among chords up to that
// chord plus beyond_m; infinity when the bound is too loose to tell (speeds of thousands of knots).
double ChordReachM(double radius_m, const OutOfPlaneBound& p, double beyond_m);

}  // namespace airprox
