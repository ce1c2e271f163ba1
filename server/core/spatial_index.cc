#include "server/core/spatial_index.h"

#include <algorithm>
#include <cmath>

namespace airprox {

SpatialIndex::SpatialIndex(double cell_size_m) : cell_size_m_(cell_size_m) {}

SpatialIndex::Cell3 SpatialIndex::CellOf(const geo::Vec3& p) const {
  return {static_cast<std::int64_t>(std::floor(p.x / cell_size_m_)),
          static_cast<std::int64_t>(std::floor(p.y / cell_size_m_)),
          static_cast<std::int64_t>(std::floor(p.z / cell_size_m_))};
}

SpatialIndex::CellKey SpatialIndex::Key(const Cell3& c) {
  // 21 bits per axis, offset to be non-negative: enough for any cell size >= 10 m on Earth.
  constexpr std::int64_t kOffset = 1 << 20;
  constexpr std::uint64_t kMask = (1u << 21) - 1;
  return ((static_cast<std::uint64_t>(c.x + kOffset) & kMask) << 42) |
         ((static_cast<std::uint64_t>(c.y + kOffset) & kMask) << 21) |
         (static_cast<std::uint64_t>(c.z + kOffset) & kMask);
}

void SpatialIndex::Update(TrackHandle h, const geo::Vec3& p, double alt_ft) {
  const CellKey key = Key(CellOf(p));
  if (h >= where_.size()) where_.resize(h + 1);
  Where& w = where_[h];
  if (w.present) {
    if (w.key == key) {  // the common case: a few hundred metres on, in the same cell
      Entry& e = cells_.find(key)->second[w.slot];
      e.p = p;
      e.alt_ft = alt_ft;
      return;
    }
    Erase(h);
  }
  auto& cell = cells_[key];
  where_[h] = {key, static_cast<std::uint32_t>(cell.size()), true};
  cell.push_back({p, alt_ft, h});
  ++count_;
}

void SpatialIndex::Erase(TrackHandle h) {
  if (h >= where_.size() || !where_[h].present) return;
  Where& w = where_[h];
  auto it = cells_.find(w.key);
  auto& cell = it->second;
  if (w.slot + 1 != cell.size()) {
    cell[w.slot] = cell.back();
    where_[cell[w.slot].h].slot = w.slot;
  }
  cell.pop_back();
  if (cell.empty()) cells_.erase(it);
  w.present = false;
  --count_;
}

void SpatialIndex::Query(const geo::Vec3& center, double radius_m, std::vector<TrackHandle>& out,
                         double alt_ft, double altitude_reach_ft) const {
  const Cell3 lo = CellOf({center.x - radius_m, center.y - radius_m, center.z - radius_m});
  const Cell3 hi = CellOf({center.x + radius_m, center.y + radius_m, center.z + radius_m});
  const double r2 = radius_m * radius_m;
  const bool any_altitude = altitude_reach_ft == std::numeric_limits<double>::infinity();
  // Squared distance from the centre to a cell's cube along one axis.
  auto axis_gap2 = [&](std::int64_t i, double c) {
    const double lo_m = static_cast<double>(i) * cell_size_m_, hi_m = lo_m + cell_size_m_;
    const double d = c < lo_m ? lo_m - c : (c > hi_m ? c - hi_m : 0.0);
    return d * d;
  };
  for (std::int64_t x = lo.x; x <= hi.x; ++x) {
    const double gx = axis_gap2(x, center.x);
    if (gx > r2) continue;
    for (std::int64_t y = lo.y; y <= hi.y; ++y) {
      const double gy = gx + axis_gap2(y, center.y);
      if (gy > r2) continue;
      for (std::int64_t z = lo.z; z <= hi.z; ++z) {
        if (gy + axis_gap2(z, center.z) > r2) continue;
        auto it = cells_.find(Key({x, y, z}));
        if (it == cells_.end()) continue;
        for (const Entry& e : it->second) {
          const geo::Vec3 d = e.p - center;
          if (geo::Dot(d, d) > r2) continue;
          if (!any_altitude && !(std::abs(e.alt_ft - alt_ft) <= altitude_reach_ft)) continue;
          out.push_back(e.h);
        }
      }
    }
  }
}

}  // namespace airprox
