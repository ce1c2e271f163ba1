#include "server/core/closest_approach.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace airprox {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr TimeWindow kAlways{-kInf, kInf};
constexpr TimeWindow kNever{0, 0};
// Below this relative ground speed (0.1 kt) a pair is keeping station: its closest approach is
// now. Without it, rounding noise in two parallel tracks' velocities (1e-6 m/s) puts the closest
// approach years ahead.
constexpr double kStationKeepingMps = 0.05;

}  // namespace

ClosestApproach ComputeClosestApproach(const RelativeMotion& m) {
  const double v2 = m.east_mps * m.east_mps + m.north_mps * m.north_mps;
  const double sv = m.east_m * m.east_mps + m.north_m * m.north_mps;
  const bool closing = v2 > kStationKeepingMps * kStationKeepingMps && sv < 0;
  const double t = closing ? -sv / v2 : 0.0;
  return {t, std::hypot(m.east_m + m.east_mps * t, m.north_m + m.north_mps * t),
          std::abs(m.vertical_ft + m.vertical_fps * t)};
}

ClosestApproach ClosestApproachDuring(const RelativeMotion& m, double from_s, double to_s) {
  const double v2 = m.east_mps * m.east_mps + m.north_mps * m.north_mps;
  const double sv = m.east_m * m.east_mps + m.north_m * m.north_mps;
  const double t = std::clamp(v2 > 0 ? -sv / v2 : to_s, from_s, to_s);
  return {t, std::hypot(m.east_m + m.east_mps * t, m.north_m + m.north_mps * t),
          std::abs(m.vertical_ft + m.vertical_fps * t)};
}

TimeWindow HorizontalViolation(const RelativeMotion& m, double radius_m) {
  // |s + v t|^2 < D^2  <=>  a t^2 + 2 b t + c < 0
  const double a = m.east_mps * m.east_mps + m.north_mps * m.north_mps;
  const double b = m.east_m * m.east_mps + m.north_m * m.north_mps;
  const double c = m.east_m * m.east_m + m.north_m * m.north_m - radius_m * radius_m;
  if (a == 0) return c < 0 ? kAlways : kNever;
  const double disc = b * b - a * c;
  if (disc <= 0) return kNever;  // never inside, or touching the circle at one instant
  const double root = std::sqrt(disc);
  // Numerically stable pair of roots.
  const double q = -(b + std::copysign(root, b));
  double t1 = q / a, t2 = c / q;
  if (q == 0) t1 = t2 = 0;
  if (t1 > t2) std::swap(t1, t2);
  return {t1, t2};
}

TimeWindow VerticalViolation(const RelativeMotion& m, double half_height_ft) {
  if (m.vertical_fps == 0) return std::abs(m.vertical_ft) < half_height_ft ? kAlways : kNever;
  double t1 = (-half_height_ft - m.vertical_ft) / m.vertical_fps;
  double t2 = (half_height_ft - m.vertical_ft) / m.vertical_fps;
  if (t1 > t2) std::swap(t1, t2);
  return {t1, t2};
}

std::optional<TimeWindow> ViolationDuring(const RelativeMotion& m, const Cylinder& c,
                                          double from_s, double to_s) {
  const TimeWindow h = HorizontalViolation(m, c.radius_m);
  if (h.empty()) return std::nullopt;
  const TimeWindow v = VerticalViolation(m, c.half_height_ft);
  const TimeWindow both{std::max(h.begin_s, v.begin_s), std::min(h.end_s, v.end_s)};
  if (both.empty()) return std::nullopt;
  // The open window must contain some instant of the closed interval [from_s, to_s].
  const bool hit = both.begin_s < to_s && from_s < both.end_s &&
                   (from_s < to_s || (both.begin_s < from_s && from_s < both.end_s));
  if (!hit) return std::nullopt;
  return both;
}

}  // namespace airprox
