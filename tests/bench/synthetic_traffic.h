// Synthetic en-route traffic for the detector benchmark and the instruction-count driver: N
// aircraft in straight flight at the density of busy airspace, and the three default rules.
#pragma once

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "server/core/position.h"
#include "server/core/rule.h"
#include "server/core/units.h"

namespace airprox::bench {

inline constexpr double kKm2PerAircraft = 250.0;  // busy airspace: ~160 aircraft over Switzerland's area
inline constexpr double kReportPeriodS = 5.0;
inline constexpr double kT0 = 1.5e9;

inline std::vector<Rule> Rules() {
  return {{"conflict", Severity::kAdvisory, 5.0, 1000.0, 120.0},
          {"loss-of-separation", Severity::kWarning, 5.0, 1000.0, 0.0},
          {"nmac", Severity::kAlert, units::m_to_nm(units::ft_to_m(500)), 100.0, 0.0}};
}

// N aircraft in straight flight (constant track), spread uniformly at one per kKm2PerAircraft:
// over a square centred on 45N 0E while it fits in 40 degrees of latitude either side (up to about
// 300k aircraft), beyond that over a band of latitudes centred on the equator all around the Earth
// (1M aircraft: 29 degrees either side, across the antimeridian), so that every size has the same
// density. Flight levels 200 to 400. Reports are generated on the fly along each line.
struct Traffic {
  struct Aircraft {
    double lat0, lon0, track_deg, gs_kt, alt_ft;
  };
  explicit Traffic(std::size_t n) {
    const double area_km2 = static_cast<double>(n) * kKm2PerAircraft;
    const double side_km = std::sqrt(area_km2);
    constexpr double kEarthRadiusKm = 6371.0;
    std::mt19937 rng(1);
    std::uniform_real_distribution<double> trk(0, 360), gs(250, 500), fl(200, 400);
    aircraft.reserve(n);
    if (side_km / 2 / 111.2 <= 40.0) {
      const double half_lat = side_km / 2 / 111.2;
      const double half_lon = side_km / 2 / (111.2 * std::cos(units::deg_to_rad(45)));
      std::uniform_real_distribution<double> lat(45 - half_lat, 45 + half_lat), lon(-half_lon, half_lon);
      for (std::size_t i = 0; i < n; ++i) {
        aircraft.push_back({lat(rng), lon(rng), trk(rng), gs(rng), std::round(fl(rng)) * 100});
      }
      return;
    }
    // A band of latitudes [-phi, phi] has area 4 pi R^2 sin(phi); uniform in area: sin(lat) uniform.
    const double sin_phi = std::min(0.9, area_km2 / (4 * std::numbers::pi * kEarthRadiusKm * kEarthRadiusKm));
    std::uniform_real_distribution<double> sin_lat(-sin_phi, sin_phi), lon(-180, 180);
    for (std::size_t i = 0; i < n; ++i) {
      const double lat = units::rad_to_deg(std::asin(sin_lat(rng)));
      aircraft.push_back({lat, lon(rng), trk(rng), gs(rng), std::round(fl(rng)) * 100});
    }
  }
  Position Report(std::size_t i, double t) const {
    const Aircraft& a = aircraft[i];
    const double d_m = units::kt_to_mps(a.gs_kt) * (t - kT0);
    const double trk = units::deg_to_rad(a.track_deg);
    Position p;
    p.track_id = std::to_string(i);
    p.time_s = t;
    p.lat_deg = std::clamp(a.lat0 + d_m * std::cos(trk) / 111200.0, -89.0, 89.0);
    p.lon_deg = a.lon0 + d_m * std::sin(trk) / (111200.0 * std::cos(units::deg_to_rad(p.lat_deg)));
    p.lon_deg = std::remainder(p.lon_deg, 360.0);
    p.alt_ft = a.alt_ft;
    p.ground_speed_kt = a.gs_kt;
    p.track_deg = a.track_deg;
    p.vertical_rate_fpm = 0;
    return p;
  }
  std::vector<Aircraft> aircraft;
};

// Bytes of heap in use (glibc: small chunks plus mmapped ones): the difference across building a
// detector is what its tracks cost.
inline std::size_t HeapInUseBytes() {
  const struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

// Resident memory of the process (/proc/self/statm), bytes: what the heap's touched pages cost.
inline std::size_t ResidentBytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long size = 0, resident = 0;
  const int got = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  return got == 2 ? resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE)) : 0;
}

}  // namespace airprox::bench
