#include "client/load_airspace.h"

#include <fmt/format.h>

#include <cmath>

#include "server/core/units.h"

namespace airprox::cli {
namespace {

constexpr double kCentreLatDeg = 46.5, kCentreLonDeg = 8.0;
constexpr double kKmPerDegLat = 111.195;  // spherical Earth; the detector's geometry is exact
constexpr double kMaxSideKm = 4000;       // keeps the area within about 28..65 N
constexpr double kPairGridNm = 20;

double LonAt(double lat_deg, double east_km) {
  return kCentreLonDeg + east_km / (kKmPerDegLat * std::cos(units::deg_to_rad(lat_deg)));
}

}  // namespace

std::string SyntheticAirspace::Make(const AirspaceOptions& o, SyntheticAirspace& out) {
  if (o.aircraft == 0) return "at least one aircraft is needed";
  if (2 * o.conflict_pairs > o.aircraft) {
    return fmt::format("{} conflict pairs need {} aircraft, more than the {} asked for",
                       o.conflict_pairs, 2 * o.conflict_pairs, o.aircraft);
  }
  const double min_km2 = std::pow(units::nm_to_m(kMinGridNm) / 1000, 2) / kLevels;
  if (!(o.km2_per_aircraft >= min_km2)) {
    return fmt::format("{} km2 per aircraft is too dense: over {} levels the grid of one level "
                       "must stay {} NM apart, i.e. at least {:.1f} km2 per aircraft",
                       o.km2_per_aircraft, kLevels, kMinGridNm, min_km2);
  }
  const double side_km = std::sqrt(static_cast<double>(o.aircraft) * o.km2_per_aircraft);
  if (side_km > kMaxSideKm) {
    return fmt::format("{} aircraft at {} km2 each cover a square of {:.0f} km, over the {:.0f} km "
                       "the generator keeps to: raise the density (lower --km2-per-aircraft)",
                       o.aircraft, o.km2_per_aircraft, side_km, kMaxSideKm);
  }
  SyntheticAirspace a;
  a.pairs_ = o.conflict_pairs;
  const double grid_km = std::sqrt(o.km2_per_aircraft * kLevels);
  a.grid_nm_ = grid_km * 1000 / units::kMetersPerNauticalMile;
  const std::size_t background = o.aircraft - 2 * o.conflict_pairs;
  const std::size_t per_level = (background + kLevels - 1) / kLevels;
  const auto cols = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(per_level))));
  const std::size_t rows = cols == 0 ? 0 : (per_level + cols - 1) / cols;
  a.aircraft_.reserve(o.aircraft);
  for (std::size_t j = 0; j < background; ++j) {
    const int level = static_cast<int>(j % kLevels);
    const std::size_t q = j / kLevels;
    // Each level's grid is shifted a little, so that levels do not stack exactly.
    const double shift = std::fmod(0.37 * level, 1.0);
    const double north_km = (static_cast<double>(q / cols) - rows / 2.0 + shift) * grid_km;
    const double east_km = (static_cast<double>(q % cols) - cols / 2.0 + shift) * grid_km;
    Aircraft ac;
    ac.track_id = fmt::format("{:04x}{:06x}", o.run_tag & 0xffff, j);
    ac.callsign = fmt::format("LD{}", j);
    ac.lat0_deg = kCentreLatDeg + north_km / kKmPerDegLat;
    ac.lon_deg = LonAt(ac.lat0_deg, east_km);
    ac.alt_ft = kLowestLevelFt + 1000.0 * level;
    ac.gs_kt = 420 + 3 * level;
    ac.track_deg = level % 2 == 0 ? 0 : 180;
    a.aircraft_.push_back(std::move(ac));
  }
  // The pairs on their own grid, 20 NM apart, centred on the background's centre.
  const auto pair_cols =
      static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(o.conflict_pairs))));
  const double pair_grid_km = units::nm_to_m(kPairGridNm) / 1000;
  for (std::size_t k = 0; k < o.conflict_pairs; ++k) {
    const double north_km = (static_cast<double>(k / pair_cols) - pair_cols / 2.0) * pair_grid_km;
    const double east_km = (static_cast<double>(k % pair_cols) - pair_cols / 2.0) * pair_grid_km;
    const double appear_s =
        o.duration_s * (0.1 + 0.5 * static_cast<double>(k) / static_cast<double>(o.conflict_pairs));
    for (int side = 0; side < 2; ++side) {
      Aircraft ac;
      const std::size_t j = background + 2 * k + side;
      ac.track_id = fmt::format("{:04x}{:06x}", o.run_tag & 0xffff, j);
      ac.callsign = fmt::format("CF{}{}", k, side == 0 ? 'A' : 'B');
      ac.lat0_deg = kCentreLatDeg + north_km / kKmPerDegLat;
      ac.lon_deg = LonAt(ac.lat0_deg, east_km + side * units::nm_to_m(kPairSpacingNm) / 1000);
      ac.alt_ft = kPairAltitudeFt;
      ac.gs_kt = 450;
      ac.track_deg = 0;
      ac.pair = static_cast<int>(k);
      ac.appear_s = appear_s;
      a.aircraft_.push_back(std::move(ac));
    }
  }
  for (Aircraft& ac : a.aircraft_) {
    const double sign = ac.track_deg == 0 ? 1 : -1;
    ac.dlat_deg_per_s = sign * units::kt_to_mps(ac.gs_kt) / 1000 / kKmPerDegLat;
  }
  out = std::move(a);
  return "";
}

void SyntheticAirspace::Report(std::size_t i, double t_s, std::int64_t time_ms, v1::Position* p) const {
  const Aircraft& ac = aircraft_[i];
  p->set_track_id(ac.track_id);
  p->set_callsign(ac.callsign);
  p->mutable_time()->set_seconds(time_ms / 1000);
  p->mutable_time()->set_nanos(static_cast<std::int32_t>(time_ms % 1000) * 1000000);
  p->set_lat_deg(ac.lat0_deg + ac.dlat_deg_per_s * t_s);
  p->set_lon_deg(ac.lon_deg);
  p->set_alt_ft(ac.alt_ft);
  p->set_ground_speed_kt(ac.gs_kt);
  p->set_track_deg(ac.track_deg);
  p->set_vertical_rate_fpm(0);
}

}  // namespace airprox::cli
