// The synthetic traffic of `airprox load`: busy airspace with a known number of conflicts.
//
// Background traffic is conflict-free by construction: every aircraft flies level on a flight
// level that is an exact multiple of 1000 ft (FL200 .. FL400; the rules are strict "< 1000 ft", so
// exactly 1000 ft apart is no violation), and all aircraft of one level fly the same track (north
// on even levels, south on odd ones) at the same speed on a lateral grid spaced well over 5 NM, so
// that within a level nothing moves relative to anything else. Conflict pairs fly 5000 ft below
// the lowest level: two aircraft 1 NM apart side by side, same track and speed, each pair 20 NM
// from the next. A pair appears at a staggered time during the run; from then on it violates
// loss-of-separation (5 NM / 1000 ft), so each pair makes exactly one STARTED event.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "airprox/v1/airprox.pb.h"

namespace airprox::cli {

struct AirspaceOptions {
  std::size_t aircraft = 1000;      // in all, conflict pairs included
  std::size_t conflict_pairs = 10;  // pairs among `aircraft`
  double km2_per_aircraft = 250;    // density: busy en-route airspace is about 250
  double duration_s = 10;           // pairs appear between 10% and 60% of it
  std::uint32_t run_tag = 0;        // makes the track ids of one run unique (4 hex digits)
};

class SyntheticAirspace {
 public:
  static constexpr int kLevels = 21;                // FL200 .. FL400
  static constexpr double kLowestLevelFt = 20000;
  static constexpr double kPairAltitudeFt = 15000;  // 5000 ft below the lowest level
  static constexpr double kPairSpacingNm = 1.0;
  static constexpr double kMinGridNm = 6.0;         // clear of 5 NM and its 10% end margin

  struct Aircraft {
    std::string track_id, callsign;
    double lat0_deg = 0, lon_deg = 0;  // latitude at run time 0; longitude stays
    double dlat_deg_per_s = 0;         // flying due north (+) or south (-)
    double alt_ft = 0, gs_kt = 0, track_deg = 0;
    int pair = -1;                     // conflict pair index, -1 for background
    double appear_s = 0;               // run time of the first report
  };

  // Empty error: built. Otherwise the reason (too dense, too large, more pairs than aircraft).
  static std::string Make(const AirspaceOptions& options, SyntheticAirspace& out);

  const std::vector<Aircraft>& aircraft() const { return aircraft_; }
  std::size_t pairs() const { return pairs_; }
  double grid_nm() const { return grid_nm_; }

  // Aircraft i's report at run time t_s (seconds since the run started), data time `time_ms`
  // (UTC epoch milliseconds).
  void Report(std::size_t i, double t_s, std::int64_t time_ms, v1::Position* out) const;

 private:
  std::vector<Aircraft> aircraft_;
  std::size_t pairs_ = 0;
  double grid_nm_ = 0;
};

}  // namespace airprox::cli
