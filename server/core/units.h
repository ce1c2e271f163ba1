// Unit conversions. Identifiers in airprox carry their unit as a suffix (_m, _ft, _nm, _kt, _s,
// _fpm, _mps, _fps, _deg, _rad); these constants are the only place the factors are written.
#pragma once

#include <numbers>

namespace airprox::units {

inline constexpr double kMetersPerNauticalMile = 1852.0;  // exact, by definition
inline constexpr double kMetersPerFoot = 0.3048;          // exact, international foot
inline constexpr double kSecondsPerHour = 3600.0;
inline constexpr double kSecondsPerMinute = 60.0;

constexpr double nm_to_m(double nm) { return nm * kMetersPerNauticalMile; }
constexpr double m_to_nm(double m) { return m / kMetersPerNauticalMile; }
constexpr double ft_to_m(double ft) { return ft * kMetersPerFoot; }
constexpr double m_to_ft(double m) { return m / kMetersPerFoot; }
constexpr double kt_to_mps(double kt) { return kt * kMetersPerNauticalMile / kSecondsPerHour; }
constexpr double mps_to_kt(double mps) { return mps * kSecondsPerHour / kMetersPerNauticalMile; }
constexpr double mps_to_fpm(double mps) { return m_to_ft(mps) * kSecondsPerMinute; }
constexpr double fpm_to_fps(double fpm) { return fpm / kSecondsPerMinute; }
constexpr double deg_to_rad(double deg) { return deg * std::numbers::pi / 180.0; }
constexpr double rad_to_deg(double rad) { return rad * 180.0 / std::numbers::pi; }

}  // namespace airprox::units
