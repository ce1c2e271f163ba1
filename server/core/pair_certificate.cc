#include "server/core/pair_certificate.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace airprox {
namespace {

constexpr double kRho = kSmallestCurvatureRadiusM;
constexpr double kArcOverChord = 1.01;

}  // namespace

double OutOfPlaneBound::BoundM(double chord_m) const {
  const double d = chord_m + extent_m;
  return d * d / (2 * kRho) + span_s * speed_mps * kArcOverChord * d / kRho +
         past_m * past_m / (2 * kRho);
}

double OutOfPlaneBound::SlopeBound(double chord_m) const {
  return (chord_m + extent_m) / kRho + span_s * speed_mps * kArcOverChord / kRho;
}

bool CertifiedClear(const TrackAnchor& a, const TrackAnchor& b, const CertificateWindow& w,
                    const RuleReach& reach, const CertificateOptions& o) {
  const double length_s = w.length_s();
  if (!(length_s > 0)) return false;
  // Vertically apart throughout: the altitude difference is linear in time.
  const double need_ft = reach.half_height_ft + 2 * o.budget_ft + 0.01;
  const double v0 = b.AltitudeFtAt(w.from_s) - a.AltitudeFtAt(w.from_s);
  const double v1 = b.AltitudeFtAt(w.to_s) - a.AltitudeFtAt(w.to_s);
  if ((v0 >= need_ft && v1 >= need_ft) || (v0 <= -need_ft && v1 <= -need_ft)) return true;
  // Horizontally apart throughout: the anchors' chord at its closest and farthest in the window.
  const geo::Vec3 d0 = b.EcefAt(w.from_s) - a.EcefAt(w.from_s);
  const geo::Vec3 dv = b.velocity_mps - a.velocity_mps;
  const double v2 = geo::Dot(dv, dv);
  const double at = v2 > 0 ? std::clamp(-geo::Dot(d0, dv) / v2, 0.0, length_s) : 0.0;
  const double closest = geo::Norm(d0 + dv * at);
  const double farthest = std::max(geo::Norm(d0), geo::Norm(d0 + dv * length_s));
  // The tracks' reports: each within its budget of its anchor's line.
  const double lo = closest - 2 * o.budget_m, hi = farthest + 2 * o.budget_m;
  if (!(lo > 0)) return false;
  // A report's velocity differs from its anchor's by at most 2 budgets over the window's length
  // (the difference of the two lines is within the budget at both ends).
  const double stray_mps = 2 * o.budget_m / length_s;
  const double va = geo::Norm(a.velocity_mps) + stray_mps, vb = geo::Norm(b.velocity_mps) + stray_mps;
  OutOfPlaneBound p;
  p.extent_m = (va + vb) * length_s + 2 * o.budget_m;
  p.speed_mps = std::max(va, vb);
  p.span_s = length_s;
  p.past_m = p.speed_mps * length_s + 2 * o.budget_m;  // both fixes within budget, in the window
  // horizontal^2 >= c^2 - U(c)^2 increases over [lo, hi]: its least value is at lo.
  if (!(p.BoundM(hi) * p.SlopeBound(hi) < lo)) return false;
  const double u = p.BoundM(lo);
  const double r = reach.radius_m + kCertificateClearanceM;
  return lo * lo - u * u >= r * r;
}

double ChordReachM(double radius_m, const OutOfPlaneBound& p, double beyond_m) {
  // The least fixed point of c = sqrt(r^2 + U(c)^2), from below; above it, while U U' < c (which
  // holds up to c + beyond_m when U U' < c there, both increasing), c^2 - U(c)^2 grows, so a
  // longer chord has a horizontal separation of at least r.
  const double r = radius_m + kCertificateClearanceM;
  double c = r;
  for (int i = 0; i < 100; ++i) {
    const double u = p.BoundM(c);
    const double next = std::sqrt(r * r + u * u);
    if (next - c < 1e-3) {
      c = next + 1.0;  // a metre over the fixed point
      const double longest_m = c + beyond_m;
      if (!(p.BoundM(longest_m) * p.SlopeBound(longest_m) < c)) break;
      return c;
    }
    c = next;
  }
  return std::numeric_limits<double>::infinity();
}

}  // namespace airprox
