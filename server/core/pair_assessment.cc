#include "server/core/pair_assessment.h"

#include <algorithm>
#include <cmath>

#include "server/core/units.h"

namespace airprox {
namespace {

// Motion of `other` relative to `self` between self's previous fix and t_s: self along the
// straight line between its fixes, other along its velocity. Empty when there is no such fix.
struct PastMotion {
  RelativeMotion motion;
  geo::Vec3 self_velocity_mps;
  double from_s = 0;  // relative to t_s, <= 0
};

std::optional<PastMotion> MotionSincePreviousFix(const Track& self, const Track& other,
                                                 const RelativeMotion& now, double t_s,
                                                 const PairCheckOptions& o) {
  if (!self.previous) return std::nullopt;
  const PreviousFix& prev = *self.previous;
  const double fix_dt = self.last.time_s - prev.time_s;
  const double from = std::max({o.past_from_s, prev.time_s, t_s - o.max_interpolation_s});
  if (fix_dt <= 0 || fix_dt > o.max_interpolation_s || from >= t_s) return std::nullopt;
  PastMotion past;
  past.self_velocity_mps = (self.surface.ecef_m - prev.ecef_m) * (1.0 / fix_dt);
  const geo::EastNorth v =
      geo::ProjectOnTangent(self.surface, other.velocity_mps - past.self_velocity_mps);
  past.motion = now;
  past.motion.east_mps = v.east;
  past.motion.north_mps = v.north;
  const double self_fps =
      prev.alt_ft ? (*self.last.alt_ft - *prev.alt_ft) / fix_dt : self.vertical_fps;
  past.motion.vertical_fps = other.vertical_fps - self_fps;
  past.from_s = from - t_s;
  return past;
}

// RelativeMotionAt with self's extrapolated point and altitude at t_s given.
RelativeMotion RelativeMotionGiven(const Track& self, const geo::Vec3& self_at, double self_alt_ft,
                                   const Track& other, double t_s) {
  const geo::EastNorth s = geo::ProjectOnTangent(self.surface, other.EcefAt(t_s) - self_at);
  const geo::EastNorth v =
      geo::ProjectOnTangent(self.surface, other.velocity_mps - self.velocity_mps);
  RelativeMotion m;
  m.east_m = s.east;
  m.north_m = s.north;
  m.east_mps = v.east;
  m.north_mps = v.north;
  m.vertical_ft = other.AltitudeFtAt(t_s) - self_alt_ft;
  m.vertical_fps = other.vertical_fps - self.vertical_fps;
  return m;
}

bool MoreSevere(const std::vector<Rule>& rules, std::size_t i, const std::optional<std::size_t>& than) {
  return !than || rules[i].severity > rules[*than].severity;
}

// Squared horizontal separation at its smallest within [t0, t1], from offset s moving at v.
double MinHorizontal2(const geo::EastNorth& s, const geo::EastNorth& v, double t0, double t1) {
  const double v2 = v.east * v.east + v.north * v.north;
  const double sv = s.east * v.east + s.north * v.north;
  const double th = std::clamp(v2 > 0 ? -sv / v2 : t0, t0, t1);
  const double e = s.east + v.east * th, n = s.north + v.north * th;
  return e * e + n * n;
}

}  // namespace

RuleReach ReachOf(const std::vector<Rule>& rules) {
  RuleReach r;
  for (const Rule& rule : rules) {
    r.radius_m = std::max(r.radius_m, units::nm_to_m(rule.horizontal_nm));
    r.half_height_ft = std::max(r.half_height_ft, rule.vertical_ft);
    r.lookahead_s = std::max(r.lookahead_s, rule.lookahead_s);
  }
  return r;
}

bool MayViolate(const Track& self, const Track& other, double t_s, const RuleReach& reach,
                const PairCheckOptions& options) {
  return PairPrefilter(self, t_s, reach, options).Test(other);
}

PairPrefilter::PairPrefilter(const Track& self, double t_s, const RuleReach& reach,
                             const PairCheckOptions& options)
    : east_(self.surface.east),
      north_(self.surface.north),
      self_vertical_fps_(self.vertical_fps),
      t_s_(t_s),
      lookahead_s_(reach.lookahead_s) {
  // Slack over the exact predicate's rounding: a metre, a hundredth of a foot. (Projecting each
  // velocity on its own before subtracting rounds differently from AssessPair, by ~1e-9 m here.)
  radius_m_ = reach.radius_m + 1.0;
  half_height_exact_ft_ = reach.half_height_ft;
  half_height_ft_ = reach.half_height_ft + 0.01;
  r2_ = radius_m_ * radius_m_;
  self_at_ = self.EcefAt(t_s);
  self_alt_ft_ = self.AltitudeFtAt(t_s);
  self_velocity_ = geo::ProjectOnTangent(self.surface, self.velocity_mps);
  // What MotionSincePreviousFix computes from self alone.
  if (!self.previous) return;
  const PreviousFix& prev = *self.previous;
  const double fix_dt = self.last.time_s - prev.time_s;
  const double from = std::max({options.past_from_s, prev.time_s, t_s - options.max_interpolation_s});
  if (fix_dt <= 0 || fix_dt > options.max_interpolation_s || from >= t_s) return;
  past_ = true;
  past_velocity_ =
      geo::ProjectOnTangent(self.surface, (self.surface.ecef_m - prev.ecef_m) * (1.0 / fix_dt));
  past_fps_ = prev.alt_ft ? (*self.last.alt_ft - *prev.alt_ft) / fix_dt : self.vertical_fps;
  past_from_s_ = from - t_s;
}

bool PairPrefilter::Test(const TrackMotion& other) const {
  // Vertical first: it is cheap, and it clears most pairs flying at other levels. Over each part of
  // the span, the pair can only violate where both its horizontal and its vertical minimum (each
  // taken on its own) are under the reach.
  const double dv = other.AltitudeFtAt(t_s_) - self_alt_ft_;  // as AssessPair computes it
  auto vertically_close = [&](double rate_fps, double from_s, double to_s) {
    // With no relative vertical rate the separation is |dv| throughout, the very value AssessPair
    // compares with each minimum (VerticalViolation): no rounding slack, so that level pairs
    // exactly at the largest minimum (1000 ft between flight levels) are cleared here. (Bit for bit
    // the same: both sides evaluate the same expressions, and the build turns off fused
    // multiply-add contraction, -ffp-contract=off, so neither side is rounded differently.)
    if (rate_fps == 0) return std::abs(dv) < half_height_exact_ft_;
    const double tv = std::clamp(-dv / rate_fps, from_s, to_s);
    return std::abs(dv + rate_fps * tv) < half_height_ft_;
  };
  const bool ahead_close = vertically_close(other.vertical_fps - self_vertical_fps_, 0.0, lookahead_s_);
  const bool past_close = past_ && vertically_close(other.vertical_fps - past_fps_, past_from_s_, 0.0);
  if (!ahead_close && !past_close) return false;
  // As geo::ProjectOnTangent on self's frame.
  const geo::Vec3 offset = other.EcefAt(t_s_) - self_at_;
  const geo::EastNorth s{geo::Dot(offset, east_), geo::Dot(offset, north_)};
  const geo::EastNorth v{geo::Dot(other.velocity_mps, east_), geo::Dot(other.velocity_mps, north_)};
  if (ahead_close &&
      MinHorizontal2(s, {v.east - self_velocity_.east, v.north - self_velocity_.north}, 0.0,
                     lookahead_s_) < r2_) {
    return true;
  }
  if (!past_close) return false;
  // MotionSincePreviousFix's motion.
  const geo::EastNorth past_v{v.east - past_velocity_.east, v.north - past_velocity_.north};
  // Over the past interval the separation changes by at most the relative speed times its
  // length: a pair farther apart than the radius plus that (a millimetre of rounding over) now
  // stays clear of it.
  const double speed_mps = std::sqrt(past_v.east * past_v.east + past_v.north * past_v.north);
  const double reach_m = radius_m_ + speed_mps * -past_from_s_ + 1e-3;
  if (s.east * s.east + s.north * s.north > reach_m * reach_m) return false;
  return MinHorizontal2(s, past_v, past_from_s_, 0.0) < r2_;
}

RelativeMotion RelativeMotionAt(const Track& self, const Track& other, double t_s) {
  return RelativeMotionGiven(self, self.EcefAt(t_s), self.AltitudeFtAt(t_s), other, t_s);
}

PairAssessment AssessPair(const Track& self, const Track& other, double t_s,
                          const std::vector<Rule>& rules, const PairCheckOptions& options) {
  const RelativeMotion m = RelativeMotionAt(self, other, t_s);
  const std::optional<PastMotion> past = MotionSincePreviousFix(self, other, m, t_s, options);
  PairAssessment out;
  out.horizontal_m = std::hypot(m.east_m, m.north_m);
  out.vertical_ft = std::abs(m.vertical_ft);
  out.cpa = ComputeClosestApproach(m);

  out.closest = {t_s, out.horizontal_m, out.vertical_ft, self.EcefAt(t_s), other.EcefAt(t_s)};
  if (past) {
    const ClosestApproach c = ClosestApproachDuring(past->motion, past->from_s, 0.0);
    if (c.horizontal_m < out.closest.horizontal_m) {
      const geo::Vec3 self_at = self.surface.ecef_m + past->self_velocity_mps * c.time_s;
      out.closest = {t_s + c.time_s, c.horizontal_m, c.vertical_ft, self_at,
                     other.EcefAt(t_s + c.time_s)};
    }
  }

  for (std::size_t i = 0; i < rules.size(); ++i) {
    const Rule& r = rules[i];
    if (!RuleApplies(r, self.last, other.last)) continue;
    const Cylinder c{units::nm_to_m(r.horizontal_nm), r.vertical_ft};
    if (MoreSevere(rules, i, out.rule_index) || MoreSevere(rules, i, out.now_rule_index) ||
        MoreSevere(rules, i, out.between_fixes_rule_index)) {
      const bool now = ViolationWithin(m, c, r.lookahead_s).has_value();
      if (now && MoreSevere(rules, i, out.now_rule_index)) out.now_rule_index = i;
      const std::optional<TimeWindow> before =
          past ? ViolationDuring(past->motion, c, past->from_s, 0.0) : std::nullopt;
      if ((now || before) && MoreSevere(rules, i, out.rule_index)) out.rule_index = i;
      if (before && before->begin_s > past->from_s && before->end_s < 0 &&
          MoreSevere(rules, i, out.between_fixes_rule_index)) {
        out.between_fixes_rule_index = i;
      }
    }
    if (MoreSevere(rules, i, out.held_rule_index)) {
      const Cylinder wide{c.radius_m * options.hold_factor, c.half_height_ft * options.hold_factor};
      if (ViolationWithin(m, wide, r.lookahead_s)) out.held_rule_index = i;
    }
  }
  return out;
}

}  // namespace airprox
