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

#include <cstdint>
#include <vector>

#include "server/core/geo.h"
#include "server/core/spatial_index.h"
#include "server/core/track.h"

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

  // As SpatialIndex::Update; drops h's list once h has drifted too far from its centre or lost its
  // altitude.
  void Update(TrackHandle h, const geo::Vec3& p, double alt_ft);
  // As SpatialIndex::Erase; drops h's list.
  void Erase(TrackHandle h);

  // Appends what index.Query(PointOf(h), radius_m, out, AltitudeOf(h), altitude_reach_ft) would
  // append, as a set (order differs). h must be indexed with an altitude; altitude_reach_ft
  // finite. Builds h's list when it has none or the one it has does not cover the query.
  void Query(TrackHandle h, double radius_m, double altitude_reach_ft, std::vector<TrackHandle>& out);

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
  std::vector<List> lists_;  // by handle
  std::uint64_t builds_ = 0;
  std::size_t live_ = 0;
};

}  // namespace airprox
