// Helpers shared by the core tests: positions of aircraft flying straight lines.
#pragma once

#include <GeographicLib/Geodesic.hpp>

#include <algorithm>
#include <string>

#include "server/core/detector.h"
#include "server/core/position.h"
#include "server/core/rule.h"
#include "server/core/units.h"

namespace airprox::testing {

// Data times in tests count from here (the core refuses times <= 0 as missing).
inline constexpr double kT0 = 1500000000.0;

// An aircraft at (lat, lon) at time kT0 + t0, flying a geodesic that starts at azimuth
// `track_deg`, at `gs_kt`, from `alt_ft` at `vrate_fpm`. Reports give the geodesic's azimuth at
// the current point as the track, as a real aircraft's would.
struct Flight {
  std::string id;
  double lat = 0, lon = 0, t0 = 0;
  double track_deg = 0, gs_kt = 0, alt_ft = 30000, vrate_fpm = 0;
  std::string callsign{};

  Position At(double t) const {
    Position p;
    p.track_id = id;
    p.callsign = callsign;
    p.time_s = kT0 + t;
    double lat2 = 0, lon2 = 0, azi2 = 0;
    GeographicLib::Geodesic::WGS84().Direct(lat, lon, track_deg,
                                            units::kt_to_mps(gs_kt) * (t - t0), lat2, lon2, azi2);
    p.lat_deg = lat2;
    p.lon_deg = lon2;
    p.alt_ft = alt_ft + vrate_fpm / 60.0 * (t - t0);
    p.ground_speed_kt = gs_kt;
    p.track_deg = azi2 < 0 ? azi2 + 360 : azi2;
    p.vertical_rate_fpm = vrate_fpm;
    return p;
  }
};

// The true closest horizontal approach of two flights between t0 and t1, in NM, from
// GeographicLib's geodesic distances sampled every 0.05 s: an independent reference for the
// detector's ECEF-based geometry.
inline double TrueClosestNm(const Flight& a, const Flight& b, double t0, double t1) {
  double best = 1e300;
  for (double t = t0; t <= t1; t += 0.05) {
    const Position pa = a.At(t), pb = b.At(t);
    double s12 = 0;
    GeographicLib::Geodesic::WGS84().Inverse(pa.lat_deg, pa.lon_deg, pb.lat_deg, pb.lon_deg, s12);
    best = std::min(best, s12);
  }
  return units::m_to_nm(best);
}

// The default rules of configs/airprox.yaml.
inline std::vector<Rule> DefaultRules() {
  return {{"conflict", Severity::kAdvisory, 5.0, 1000.0, 120.0},
          {"loss-of-separation", Severity::kWarning, 5.0, 1000.0, 0.0},
          {"nmac", Severity::kAlert, units::m_to_nm(units::ft_to_m(500)), 100.0, 0.0}};
}

// The default rules without the one that looks ahead ("conflict").
inline std::vector<Rule> CurrentOnlyRules() {
  auto rules = DefaultRules();
  rules.erase(rules.begin());
  return rules;
}

// The default rules, alerting on the first violation and ending at once: for tests about
// geometry, not confirmation.
inline DetectorOptions FirstViolationOptions() {
  DetectorOptions o;
  o.rules = DefaultRules();
  o.alerting.confirm_hits = 1;
  o.alerting.confirm_window = 1;
  o.alerting.end_hold_s = 0;
  o.alerting.end_margin = 0;
  return o;
}

// Point at distance_m along azimuth_deg from (lat, lon).
inline std::pair<double, double> Offset(double lat, double lon, double azimuth_deg,
                                        double distance_m) {
  double lat2 = 0, lon2 = 0;
  GeographicLib::Geodesic::WGS84().Direct(lat, lon, azimuth_deg, distance_m, lat2, lon2);
  return {lat2, lon2};
}

}  // namespace airprox::testing
