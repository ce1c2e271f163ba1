#include "server/core/neighbour_lists.h"

#include <algorithm>
#include <cmath>

namespace airprox {
namespace {

// Rounding allowance on the triangle inequalities of the proof (coordinates are ~6.4e6 m, whose
// doubles are exact to ~1e-9 m): a metre, a foot.
constexpr double kSlackM = 1.0;
constexpr double kSlackFt = 1.0;

}  // namespace

NeighbourLists::NeighbourLists(SpatialIndex& index, NeighbourListOptions options)
    : index_(index),
      margin_m_(options.margin_m),
      margin_ft_(options.margin_ft),
      drift_m_(options.margin_m / 4),
      drift_ft_(options.margin_ft / 4) {}

void NeighbourLists::Drop(List& l) {
  if (!l.live) return;
  l.live = false;
  l.members.clear();  // keeps its capacity for the next build
  --live_;
}

void NeighbourLists::Update(TrackHandle h, const TrackMotion& m) {
  index_.Update(h, m.ecef_m, m.alt_ft);
  if (h >= lists_.size()) {
    lists_.resize(h + 1);
    motion_.resize(h + 1);
    motion_[h] = m;
    return;
  }
  motion_[h] = m;
  List& l = lists_[h];
  if (!l.live) return;
  const geo::Vec3 d = m.ecef_m - l.centre;
  // NaN altitude fails the comparison: the list goes.
  if (!(geo::Dot(d, d) <= drift_m_ * drift_m_ && std::abs(m.alt_ft - l.alt_ft) <= drift_ft_)) Drop(l);
}

void NeighbourLists::Erase(TrackHandle h) {
  index_.Erase(h);
  if (h < lists_.size()) {
    Drop(lists_[h]);
    motion_[h] = TrackMotion{};
  }
}

void NeighbourLists::Build(TrackHandle h, double radius_m, double altitude_reach_ft) {
  List& l = lists_[h];
  Drop(l);
  l.centre = motion_[h].ecef_m;
  l.alt_ft = motion_[h].alt_ft;
  l.radius_m = reach_m_ = std::max(reach_m_, radius_m + margin_m_);
  l.reach_ft = reach_ft_ = std::max(reach_ft_, altitude_reach_ft + margin_ft_);
  index_.Query(l.centre, l.radius_m, l.members, l.alt_ft, l.reach_ft);
  l.live = true;
  ++live_;
  ++builds_;
  // Every track found may have a list made before h came this close: h joins it.
  for (TrackHandle o : l.members) {
    if (o == h) continue;
    List& other = lists_[o];
    if (other.live && std::find(other.members.begin(), other.members.end(), h) == other.members.end()) {
      other.members.push_back(h);
    }
  }
}

bool NeighbourLists::NeedsBuild(const List& l, double radius_m, double altitude_reach_ft) const {
  return !l.live || radius_m + 3 * drift_m_ + kSlackM > l.radius_m ||
         altitude_reach_ft + 3 * drift_ft_ + kSlackFt > l.reach_ft;
}

void NeighbourLists::RecomputeReach() {
  reach_m_ = reach_ft_ = 0;
  for (const List& l : lists_) {
    if (!l.live) continue;
    reach_m_ = std::max(reach_m_, l.radius_m);
    reach_ft_ = std::max(reach_ft_, l.reach_ft);
  }
}

}  // namespace airprox
