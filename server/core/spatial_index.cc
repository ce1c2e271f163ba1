#include "server/core/spatial_index.h"

#include <algorithm>
#include <cmath>

namespace airprox {

SpatialIndex::SpatialIndex(double cell_size_m, double altitude_band_ft)
    : cell_size_m_(std::max(cell_size_m, 1000.0)), altitude_band_ft_(altitude_band_ft) {}

SpatialIndex::Cell3 SpatialIndex::CellOf(const geo::Vec3& p) const {
  return {static_cast<std::int64_t>(std::floor(p.x / cell_size_m_)),
          static_cast<std::int64_t>(std::floor(p.y / cell_size_m_)),
          static_cast<std::int64_t>(std::floor(p.z / cell_size_m_))};
}

std::int64_t SpatialIndex::BandOf(double alt_ft) const {
  if (std::isnan(alt_ft)) return kNoAltitude;
  // Altitudes are validated to [-2000, 150000] ft; clamped to stay clear of kNoAltitude anyway.
  return std::clamp(static_cast<std::int64_t>(std::floor(alt_ft / altitude_band_ft_)),
                    std::int64_t{-0x7000}, std::int64_t{0x7000});
}

SpatialIndex::CellKey SpatialIndex::Key(const Cell3& c, std::int64_t band) {
  // 16 bits for each axis and the band, offset to be non-negative: enough for cells of >= 1000 m
  // (at most 6,400 cells either side of the Earth's centre).
  constexpr std::int64_t kOffset = 1 << 15;
  constexpr std::uint64_t kMask = 0xffff;
  return ((static_cast<std::uint64_t>(c.x + kOffset) & kMask) << 48) |
         ((static_cast<std::uint64_t>(c.y + kOffset) & kMask) << 32) |
         ((static_cast<std::uint64_t>(c.z + kOffset) & kMask) << 16) |
         (static_cast<std::uint64_t>(band + kOffset) & kMask);
}

std::uint32_t SpatialIndex::FindCell(CellKey key) const {
  return table_.value(table_.Find(HashOf(key), [](std::uint32_t) { return true; }));
}

std::uint32_t SpatialIndex::FindOrAddCell(CellKey key) {
  const std::uint64_t hash = HashOf(key);
  const std::uint32_t found = table_.value(table_.Find(hash, [](std::uint32_t) { return true; }));
  if (found != kNoCell) return found;
  std::uint32_t cell;
  if (!free_cells_.empty()) {
    cell = free_cells_.back();
    free_cells_.pop_back();
  } else {
    cell = static_cast<std::uint32_t>(cells_.size());
    cells_.emplace_back();
  }
  table_.Insert(hash, cell);
  return cell;
}

void SpatialIndex::RemoveCell(CellKey key) {
  const std::size_t at = table_.Find(HashOf(key), [](std::uint32_t) { return true; });
  free_cells_.push_back(table_.value(at));
  table_.EraseAt(at);
}

void SpatialIndex::Update(TrackHandle h, const geo::Vec3& p, double alt_ft) {
  const std::int64_t band = BandOf(alt_ft);
  if (band != kNoAltitude) {
    min_band_ = max_band_ < min_band_ ? band : std::min(min_band_, band);
    max_band_ = std::max(max_band_, band);
  }
  const CellKey key = Key(CellOf(p), band);
  if (h >= where_.size()) where_.resize(h + 1);
  Where& w = where_[h];
  if (w.present) {
    if (w.key == key) {  // the common case: a few hundred metres on, in the same cell
      Entry& e = cells_[w.cell][w.slot];
      e.p = p;
      e.alt_ft = alt_ft;
      return;
    }
    Erase(h);
  }
  const std::uint32_t c = FindOrAddCell(key);
  auto& cell = cells_[c];
  where_[h] = {key, c, static_cast<std::uint32_t>(cell.size()), true};
  cell.push_back({p, alt_ft, h});
  ++count_;
}

void SpatialIndex::Erase(TrackHandle h) {
  if (h >= where_.size() || !where_[h].present) return;
  Where& w = where_[h];
  auto& cell = cells_[w.cell];
  if (w.slot + 1 != cell.size()) {
    cell[w.slot] = cell.back();
    where_[cell[w.slot].h].slot = w.slot;
  }
  cell.pop_back();
  if (cell.empty()) RemoveCell(w.key);
  w.present = false;
  --count_;
}

void SpatialIndex::Query(const geo::Vec3& center, double radius_m, std::vector<TrackHandle>& out,
                         double alt_ft, double altitude_reach_ft) const {
  const double r2 = radius_m * radius_m;
  const bool any_altitude = altitude_reach_ft == std::numeric_limits<double>::infinity();
  // Bands to visit: those overlapping [alt_ft - reach, alt_ft + reach], or every band in use.
  std::int64_t band_lo = min_band_, band_hi = max_band_;
  if (!any_altitude) {
    band_lo = std::max(band_lo, BandOf(alt_ft - altitude_reach_ft));
    band_hi = std::min(band_hi, BandOf(alt_ft + altitude_reach_ft));
  }
  auto wanted = [&](const Entry& e) {
    const geo::Vec3 d = e.p - center;
    return !(geo::Dot(d, d) > r2) &&
           (any_altitude || std::abs(e.alt_ft - alt_ft) <= altitude_reach_ft);
  };
  // A radius spanning more cubes than there are cells in use (up to an infinite one: the caller
  // could not bound it) is answered by filtering every cell: the same answer, and no cube
  // coordinates out of range.
  const double cubes_per_axis = 2 * radius_m / cell_size_m_ + 2;
  const double bands = static_cast<double>(std::max<std::int64_t>(0, band_hi - band_lo + 1)) + 1;
  if (!(cubes_per_axis * cubes_per_axis * cubes_per_axis * bands <= static_cast<double>(cells()))) {
    for (const std::vector<Entry>& cell : cells_) {
      for (const Entry& e : cell) {
        if (wanted(e)) out.push_back(e.h);
      }
    }
    return;
  }
  const Cell3 lo = CellOf({center.x - radius_m, center.y - radius_m, center.z - radius_m});
  const Cell3 hi = CellOf({center.x + radius_m, center.y + radius_m, center.z + radius_m});
  // Squared distance from the centre to a cell's cube along one axis.
  auto axis_gap2 = [&](std::int64_t i, double c) {
    const double lo_m = static_cast<double>(i) * cell_size_m_, hi_m = lo_m + cell_size_m_;
    const double d = c < lo_m ? lo_m - c : (c > hi_m ? c - hi_m : 0.0);
    return d * d;
  };
  auto scan = [&](CellKey key) {
    const std::uint32_t c = FindCell(key);
    if (c == kNoCell) return;
    for (const Entry& e : cells_[c]) {
      if (wanted(e)) out.push_back(e.h);
    }
  };
  for (std::int64_t x = lo.x; x <= hi.x; ++x) {
    const double gx = axis_gap2(x, center.x);
    if (gx > r2) continue;
    for (std::int64_t y = lo.y; y <= hi.y; ++y) {
      const double gy = gx + axis_gap2(y, center.y);
      if (gy > r2) continue;
      for (std::int64_t z = lo.z; z <= hi.z; ++z) {
        if (gy + axis_gap2(z, center.z) > r2) continue;
        for (std::int64_t band = band_lo; band <= band_hi; ++band) scan(Key({x, y, z}, band));
        if (any_altitude) scan(Key({x, y, z}, kNoAltitude));
      }
    }
  }
}

}  // namespace airprox
