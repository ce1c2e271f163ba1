// Spatial index of track surface positions and altitudes: a uniform hash grid of cubes in ECEF
// space, each split into altitude bands. ECEF has no seams, so the antimeridian and the poles need
// no special case; the bands let a query with a vertical reach skip most of a busy cube's tracks.
//
// Each cell stores its tracks' points and altitudes contiguously, so that a query filters them
// without touching the tracks themselves: Query returns exactly the handles whose indexed point
// lies within `radius` metres of the centre (straight-line, chord distance) and whose indexed
// altitude lies within `altitude_reach_ft` of the given one. Callers must pass bounds that contain
// everything the exact predicate can accept.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "server/core/geo.h"
#include "server/core/hash_slots.h"
#include "server/core/track.h"

namespace airprox {

class SpatialIndex {
 public:
  // cell_size_m: edge of a grid cube, >= 1000. Queries are cheapest when it is about their radius.
  // altitude_band_ft: height of an altitude band, > 0; about a query's vertical reach is best.
  explicit SpatialIndex(double cell_size_m, double altitude_band_ft = 2000.0);

  // Places h at p with altitude alt_ft (NaN when unknown: never found by an altitude-bounded
  // query), moving it from wherever it was.
  void Update(TrackHandle h, const geo::Vec3& p,
              double alt_ft = std::numeric_limits<double>::quiet_NaN());
  void Erase(TrackHandle h);

  // Appends the handles within radius_m of center and, unless altitude_reach_ft is infinite,
  // within altitude_reach_ft of alt_ft (unordered, no duplicates).
  void Query(const geo::Vec3& center, double radius_m, std::vector<TrackHandle>& out,
             double alt_ft = 0, double altitude_reach_ft = std::numeric_limits<double>::infinity()) const;

  // Whether h is indexed.
  bool Contains(TrackHandle h) const { return h < where_.size() && where_[h].present; }

  std::size_t size() const { return count_; }
  double cell_size_m() const { return cell_size_m_; }
  // Non-empty cells (cube and band) currently held.
  std::size_t cells() const { return table_.size(); }

 private:
  using CellKey = std::uint64_t;
  struct Cell3 {
    std::int64_t x, y, z;
  };
  Cell3 CellOf(const geo::Vec3& p) const;
  std::int64_t BandOf(double alt_ft) const;  // kNoAltitude for NaN
  static CellKey Key(const Cell3& c, std::int64_t band);
  static constexpr std::int64_t kNoAltitude = 0x7fff;  // the band of tracks without altitude

  struct Entry {
    geo::Vec3 p;
    double alt_ft;
    TrackHandle h;
  };
  struct Where {
    CellKey key = 0;
    std::uint32_t cell = 0;  // index in cells_
    std::uint32_t slot = 0;  // position in the cell's vector
    bool present = false;
  };
  // The cell of a key, or kNoCell; FindOrAddCell makes an empty one. Cells by key in a HashSlots
  // under a bijective mix of the key (equal hashes are equal keys); an emptied cell is removed at
  // once and its storage reused.
  static constexpr std::uint32_t kNoCell = HashSlots::kNone;
  static std::uint64_t HashOf(CellKey key) { return key * 0x9e3779b97f4a7c15ull; }  // odd: bijective
  std::uint32_t FindCell(CellKey key) const;
  std::uint32_t FindOrAddCell(CellKey key);
  void RemoveCell(CellKey key);
  double cell_size_m_;
  double altitude_band_ft_;
  // Lowest and highest band ever used (never shrinks): what a query of any altitude visits.
  std::int64_t min_band_ = 0, max_band_ = -1;
  HashSlots table_;
  std::vector<std::vector<Entry>> cells_;  // by cell index; empty ones listed in free_cells_
  std::vector<std::uint32_t> free_cells_;
  std::vector<Where> where_;  // by handle
  std::size_t count_ = 0;
};

}  // namespace airprox
