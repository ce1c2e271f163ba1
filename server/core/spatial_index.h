// Conservative spatial index of track surface positions: a uniform hash grid of cubes in ECEF
// space. ECEF has no seams, so the antimeridian and the poles need no special case.
//
// Query(center, radius) returns every handle whose indexed point lies within `radius` metres of
// `center` in straight-line (chord) distance, plus possibly some farther ones: a superset, never a
// subset. Callers must pass a radius that bounds what the exact predicate can accept.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "server/core/geo.h"
#include "server/core/track.h"

namespace airprox {

class SpatialIndex {
 public:
  // cell_size_m: edge of a grid cube. Queries are cheapest when it is about their radius.
  explicit SpatialIndex(double cell_size_m);

  // Places h at p, moving it from wherever it was.
  void Update(TrackHandle h, const geo::Vec3& p);
  void Erase(TrackHandle h);
  // Appends candidate handles to out (unordered, no duplicates).
  void Query(const geo::Vec3& center, double radius_m, std::vector<TrackHandle>& out) const;
  std::size_t size() const { return count_; }
  double cell_size_m() const { return cell_size_m_; }

 private:
  using CellKey = std::uint64_t;
  struct Cell3 {
    std::int64_t x, y, z;
  };
  Cell3 CellOf(const geo::Vec3& p) const;
  static CellKey Key(const Cell3& c);

  double cell_size_m_;
  std::unordered_map<CellKey, std::vector<TrackHandle>> cells_;
  struct Entry {
    CellKey key = 0;
    bool present = false;
  };
  std::vector<Entry> where_;  // by handle
  std::size_t count_ = 0;
};

}  // namespace airprox
