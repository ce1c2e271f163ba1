// Verlet-style neighbour lists over the spatial index: each track keeps the handles found by one
// query with its radius and vertical reach enlarged by a margin, and later queries of the same
// track filter that list instead of walking the grid, until the track has moved too far from where
// the list was made or asks for more than the list covers.
//
// Exactness. Query returns exactly the handles SpatialIndex::Query would return for the track's
// indexed point and altitude (as a set): every list entry is filtered with the index's own test on
// the current indexed points, and no track that passes the test can be missing from the list:
//  - a track's list lives only while its indexed point stays within drift = margin / 4 of the
//    list's centre (and its altitude within margin_ft / 4); Update drops it otherwise;
//  - a list is used only while the query's radius plus 3 drifts fits in the list's radius (and
//    likewise vertically);
//  - every list is built with at least the largest radius (and vertical reach) of any live list,
//    and the track that builds one is appended to the list of every track it finds.
// Take track A, its list built at t0, and track B passing A's test at t1. B has a live list too
// (the contract below), built at tb. If tb <= t0, B was within 2 drifts of where it is now at t0, and A within
// one drift of its centre now: the query at t0 found B. If tb > t0, A was within one drift of its
// centre at tb, so B's query, at least as wide as A's, found A and appended B to A's list.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "server/core/geo.h"
#include "server/core/spatial_index.h"
#include "server/core/track.h"
#include "server/core/track_motion.h"

namespace airprox {

struct NeighbourListOptions {
  // Added to a query's radius when a list is built. Metres, > 0. Larger: lists live longer but hold
  // more tracks to filter. A list lives until its track has moved a quarter of this.
  double margin_m = 30000.0;
  // Added to a query's vertical reach when a list is built. Feet, > 0. Level traffic never uses it
  // up; a list lives until its track has climbed or descended a quarter of this.
  double margin_ft = 500.0;
};

// Contract: every track indexed with an altitude is queried after each of its Updates, before any
// other track is queried (the Detector checks each checkable track right after updating it).
class NeighbourLists {
 public:
  // Updates go through this class to `index` (which must outlive it), so that lists see them.
  NeighbourLists(SpatialIndex& index, NeighbourListOptions options = {});

  // As SpatialIndex::Update with m's point and altitude, and keeps m as h's motion record; drops
  // h's list once h has drifted too far from its centre or lost its altitude.
  void Update(TrackHandle h, const TrackMotion& m);
  // The same with no velocity (for tests).
  void Update(TrackHandle h, const geo::Vec3& p, double alt_ft) {
    TrackMotion m;
    m.ecef_m = p;
    m.alt_ft = alt_ft;
    Update(h, m);
  }
  // As SpatialIndex::Erase; drops h's list.
  void Erase(TrackHandle h);

  // Appends what index.Query(m.ecef_m, radius_m, out, m.alt_ft, altitude_reach_ft) would append,
  // m being the motion record last given to Update for h, as a set (order differs). h must be
  // indexed with an altitude; altitude_reach_ft finite. Builds h's list when it has none or the one
  // it has does not cover the query.
  void Query(TrackHandle h, double radius_m, double altitude_reach_ft, std::vector<TrackHandle>& out) {
    ForEachCandidate(h, radius_m, altitude_reach_ft,
                     [&out](TrackHandle o, const TrackMotion&) { out.push_back(o); });
  }
  // The same, calling visit(handle, motion record) for each instead of collecting handles.
  template <typename Visit>
  void ForEachCandidate(TrackHandle h, double radius_m, double altitude_reach_ft, Visit&& visit);


  // Lowers the radius and vertical reach of lists to be built to the largest of the live lists
  // (they never shrink otherwise, so one burst of speed would keep lists large). O(tracks).
  void RecomputeReach();

  // Lists built so far (for tests and tuning); lists live now.
  std::uint64_t builds() const { return builds_; }
  std::size_t live() const { return live_; }

 private:
  struct List {
    geo::Vec3 centre;  // the track's indexed point when the list was built
    double alt_ft = 0;
    double radius_m = 0, reach_ft = 0;
    bool live = false;
    std::vector<TrackHandle> members;  // no duplicates; may hold handles since dropped or moved
  };
  void Drop(List& l);
  void Build(TrackHandle h, double radius_m, double altitude_reach_ft);

  SpatialIndex& index_;
  double margin_m_, margin_ft_;
  double drift_m_, drift_ft_;  // a quarter of each margin
  // At least the radius and vertical reach of every live list: what a new list must cover.
  double reach_m_ = 0, reach_ft_ = 0;
  // Whether h's list must be (re)built for a query of this radius and vertical reach.
  bool NeedsBuild(const List& l, double radius_m, double altitude_reach_ft) const;
  std::vector<List> lists_;  // by handle
  std::vector<TrackMotion> motion_;  // by handle; the point and altitude are the indexed ones
  std::uint64_t builds_ = 0;
  std::size_t live_ = 0;
};

template <typename Visit>
void NeighbourLists::ForEachCandidate(TrackHandle h, double radius_m, double altitude_reach_ft,
                                      Visit&& visit) {
  if (h >= lists_.size()) lists_.resize(h + 1), motion_.resize(h + 1);
  if (NeedsBuild(lists_[h], radius_m, altitude_reach_ft)) Build(h, radius_m, altitude_reach_ft);
  // The index's own test (SpatialIndex::Query), on the current indexed points.
  const List& l = lists_[h];
  const geo::Vec3 center = motion_[h].ecef_m;
  const double alt_ft = motion_[h].alt_ft;
  const double r2 = radius_m * radius_m;
  // Handles not indexed have a NaN altitude: they fail the first test. (visit cannot change the
  // records or the list.)
  const TrackMotion* const motion = motion_.data();
  for (TrackHandle o : l.members) {
    const TrackMotion& x = motion[o];
    if (!(std::abs(x.alt_ft - alt_ft) <= altitude_reach_ft)) continue;  // the cheaper test first
    const geo::Vec3 d = x.ecef_m - center;
    if (geo::Dot(d, d) > r2) continue;
    visit(o, x);
  }
}

}  // namespace airprox
