// One position report, as it enters the core from any transport.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "server/core/status.h"

namespace airprox {

// Members are ordered for the pair checks' memory accesses: what they read of each candidate's
// latest report (time, ground flag, altitude) comes first, the strings last.
struct Position {
  double time_s = 0;              // data time, UTC seconds since the Unix epoch (fractional)
  std::optional<bool> on_ground;  // absent: airborne
  std::optional<double> alt_ft;   // barometric
  double lat_deg = 0;             // WGS84
  double lon_deg = 0;             // WGS84
  std::optional<double> ground_speed_kt;
  std::optional<double> track_deg;          // true track over ground
  std::optional<double> vertical_rate_fpm;  // positive climbing
  std::string track_id;  // ICAO 24-bit hex or any stable id, 1..kMaxTrackIdBytes bytes
  std::string callsign;  // empty when unknown
  std::string category;  // ADS-B emitter category or any label; empty when unknown
};

inline constexpr std::size_t kMaxTrackIdBytes = 64;
inline constexpr std::size_t kMaxCallsignBytes = 16;

// True when `s` is well-formed UTF-8 (RFC 3629: no overlong forms, surrogates or code points
// past U+10FFFF). Protobuf string fields must be: an id or callsign that is not would make every
// event and track list carrying it unreadable to clients.
bool IsUtf8(std::string_view s);

// Checks one record on its own (ranges, finiteness, required fields). Returns the first problem,
// with a stable reason token and a message naming the field and value.
Status ValidatePosition(const Position& p);

}  // namespace airprox
