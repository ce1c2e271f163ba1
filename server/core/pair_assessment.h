// The exact check of one candidate pair against every rule.
#pragma once

#include <optional>
#include <vector>

#include "server/core/closest_approach.h"
#include "server/core/geo.h"
#include "server/core/rule.h"
#include "server/core/track.h"
#include "server/core/track_motion.h"

namespace airprox {

// Motion of `other` relative to `self` at data time t_s, in self's tangent plane; both tracks are
// extrapolated in a straight line from their latest reports to t_s with their velocities.
RelativeMotion RelativeMotionAt(const Track& self, const Track& other, double t_s);

struct PairCheckOptions {
  // Start of the past interval to cover, absolute data time (<= t_s): losses of separation that
  // began and ended between fixes inside it are found too. Over it, `self` moves in a straight
  // line from its previous fix to its latest one, `other` along its reported velocity. Clipped to
  // self's previous fix and to max_interpolation_s before t_s; equal to t_s: no past interval.
  // The default covers everything since self's previous fix.
  double past_from_s = 0;
  double max_interpolation_s = 60.0;
  // Hysteresis: the factor (> 1) by which minima are enlarged to compute held_rule_index.
  double hold_factor = 1.1;
};

struct PairAssessment {
  double horizontal_m = 0;  // current separation at t_s
  double vertical_ft = 0;   // absolute
  ClosestApproach cpa;      // predicted, from t_s on
  // Index in the rule list of the most severe rule violated within [past interval, lookahead]
  // (first in list order among equals); absent when none.
  std::optional<std::size_t> rule_index;
  // The most severe rule violated only between fixes: its loss began after the past interval's
  // start and ended before t_s. Later evaluations cannot see it again, so it needs no confirmation.
  std::optional<std::size_t> between_fixes_rule_index;
  // The same within [t_s, lookahead] only: what the pair violates from now on.
  std::optional<std::size_t> now_rule_index;
  // The same within [t_s, lookahead] with every minimum multiplied by hold_factor: a rule that is
  // not "held" is clear by the hysteresis margin.
  std::optional<std::size_t> held_rule_index;
  // Closest horizontal approach within [past interval start, t_s], interpolated between fixes.
  struct Closest {
    double time_s = 0;  // absolute data time
    double horizontal_m = 0;
    double vertical_ft = 0;
    geo::Vec3 self_ecef_m, other_ecef_m;  // surface positions at that time
  } closest;
};

// The largest extents over a rule list: what the cheap pair prefilter needs.
struct RuleReach {
  double radius_m = 0;        // largest horizontal minimum
  double half_height_ft = 0;  // largest vertical minimum
  double lookahead_s = 0;     // longest lookahead
};
RuleReach ReachOf(const std::vector<Rule>& rules);

// A cheap, conservative test with no rule loop: false only when no rule of `reach` can be violated
// by the pair in the span AssessPair examines (the past interval of `options`, then t_s to
// t_s + lookahead), because over each part of that span the pair stays at least the largest radius
// apart horizontally or the largest half-height apart vertically. When false, AssessPair would
// report no rule_index.
bool MayViolate(const Track& self, const Track& other, double t_s, const RuleReach& reach,
                const PairCheckOptions& options = {});

// MayViolate for one `self` against many others: what depends on self alone is computed once
// (self's point and altitude at t_s, its velocities projected on its tangent plane), and the past
// interval is skipped for pairs too far apart now to come within the radius during it.
// MayViolate(self, other, t_s, reach, options) is Test(other).
class PairPrefilter {
 public:
  PairPrefilter(const Track& self, double t_s, const RuleReach& reach,
                const PairCheckOptions& options = {});
  bool Test(const Track& other) const { return Test(MotionOf(other)); }
  // The same on other's motion record (MotionOf(other)).
  bool Test(const TrackMotion& other) const;

 private:
  geo::Vec3 east_, north_;  // self's tangent frame
  double self_vertical_fps_;
  double t_s_;
  double lookahead_s_, radius_m_, r2_, half_height_ft_;
  double half_height_exact_ft_;  // the largest vertical minimum, without slack
  geo::Vec3 self_at_;      // self.EcefAt(t_s)
  double self_alt_ft_;     // self.AltitudeFtAt(t_s)
  geo::EastNorth self_velocity_;  // self.velocity_mps on self's tangent plane
  bool past_ = false;      // MotionSincePreviousFix applies
  geo::EastNorth past_velocity_;  // self along its fix-to-fix line, on self's tangent plane
  double past_fps_ = 0;
  double past_from_s_ = 0;  // relative to t_s, <= 0
};

// Both tracks must be Checkable(); self.last.time_s is normally t_s (self just reported).
PairAssessment AssessPair(const Track& self, const Track& other, double t_s,
                          const std::vector<Rule>& rules, const PairCheckOptions& options = {});

}  // namespace airprox
