#include "server/core/pair_assessment.h"

#include <cmath>

#include "server/core/units.h"

namespace airprox {

RelativeMotion RelativeMotionAt(const Track& self, const Track& other, double t_s) {
  const geo::EastNorth s =
      geo::ProjectOnTangent(self.surface, other.EcefAt(t_s) - self.EcefAt(t_s));
  const geo::EastNorth v =
      geo::ProjectOnTangent(self.surface, other.velocity_mps - self.velocity_mps);
  RelativeMotion m;
  m.east_m = s.east;
  m.north_m = s.north;
  m.east_mps = v.east;
  m.north_mps = v.north;
  m.vertical_ft = other.AltitudeFtAt(t_s) - self.AltitudeFtAt(t_s);
  m.vertical_fps = other.vertical_fps - self.vertical_fps;
  return m;
}

PairAssessment AssessPair(const Track& self, const Track& other, double t_s,
                          const std::vector<Rule>& rules) {
  const RelativeMotion m = RelativeMotionAt(self, other, t_s);
  PairAssessment out;
  out.horizontal_m = std::hypot(m.east_m, m.north_m);
  out.vertical_ft = std::abs(m.vertical_ft);
  out.cpa = ComputeClosestApproach(m);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const Rule& r = rules[i];
    if (out.rule_index && rules[*out.rule_index].severity >= r.severity) continue;
    const Cylinder c{units::nm_to_m(r.horizontal_nm), r.vertical_ft};
    if (ViolationWithin(m, c, r.lookahead_s)) out.rule_index = i;
  }
  return out;
}

}  // namespace airprox
