// The exact check of one candidate pair against every rule.
#pragma once

#include <optional>
#include <vector>

#include "server/core/closest_approach.h"
#include "server/core/rule.h"
#include "server/core/track.h"

namespace airprox {

// Motion of `other` relative to `self` at data time t_s, in self's tangent plane; both tracks are
// extrapolated in a straight line from their latest reports to t_s.
RelativeMotion RelativeMotionAt(const Track& self, const Track& other, double t_s);

struct PairAssessment {
  double horizontal_m = 0;  // current separation at t_s
  double vertical_ft = 0;   // absolute
  ClosestApproach cpa;
  // Index in the rule list of the most severe rule violated (first in list order among equals);
  // absent when no rule is violated.
  std::optional<std::size_t> rule_index;
};

// Both tracks must be Checkable().
PairAssessment AssessPair(const Track& self, const Track& other, double t_s,
                          const std::vector<Rule>& rules);

}  // namespace airprox
