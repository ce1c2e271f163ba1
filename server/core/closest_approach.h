// The exact, pure predicate of detection: relative straight-line motion of two aircraft, the
// closest point of approach, and the time window in which a cylinder (horizontal radius,
// vertical half-height) is violated. See the geometry glossary in the README.
//
// Separation exactly equal to a minimum is not a violation: a minimum is violated when the
// separation is strictly less than it, horizontally and vertically at the same time.
#pragma once

#include <optional>

namespace airprox {

// Motion of aircraft B relative to aircraft A, in A's local tangent plane.
struct RelativeMotion {
  double east_m = 0, north_m = 0;              // horizontal offset B - A, metres
  double east_mps = 0, north_mps = 0;          // horizontal velocity B - A, metres per second
  double vertical_ft = 0;                      // altitude B - A, feet
  double vertical_fps = 0;                     // vertical rate B - A, feet per second
};

struct ClosestApproach {
  double time_s = 0;        // from now; 0 when the aircraft are not closing horizontally
  double horizontal_m = 0;  // horizontal separation at that time
  double vertical_ft = 0;   // absolute vertical separation at that time
};

// Closest horizontal approach in the future (or now, when diverging or relatively at rest: under
// 0.1 kt of relative ground speed, aircraft keeping station).
ClosestApproach ComputeClosestApproach(const RelativeMotion& m);
// Closest horizontal approach within [from_s, to_s] (from_s <= to_s; may be in the past).
ClosestApproach ClosestApproachDuring(const RelativeMotion& m, double from_s, double to_s);

// An open time interval (begin_s, end_s), seconds from now; may be infinite on either side.
struct TimeWindow {
  double begin_s = 0, end_s = 0;
  bool empty() const { return !(begin_s < end_s); }
};

// The times at which the horizontal separation is below radius_m (empty if never).
TimeWindow HorizontalViolation(const RelativeMotion& m, double radius_m);
// The times at which the vertical separation is below half_height_ft (empty if never).
TimeWindow VerticalViolation(const RelativeMotion& m, double half_height_ft);

struct Cylinder {
  double radius_m = 0;
  double half_height_ft = 0;
};

// When the pair is inside the cylinder at some instant of [from_s, to_s], the window of
// violation (intersection of the horizontal and vertical windows, unclipped). With from_s == to_s
// only that instant counts.
std::optional<TimeWindow> ViolationDuring(const RelativeMotion& m, const Cylinder& c,
                                          double from_s, double to_s);

// ViolationDuring [0, lookahead_s]: with lookahead_s == 0 only the current separation counts.
inline std::optional<TimeWindow> ViolationWithin(const RelativeMotion& m, const Cylinder& c,
                                                 double lookahead_s) {
  return ViolationDuring(m, c, 0.0, lookahead_s);
}

}  // namespace airprox
