#include "server/core/position.h"

#include <cmath>
#include <utility>
#include <fmt/format.h>

namespace airprox {
namespace {

// Plausibility limits. Anything outside is a broken record, not an aircraft.
constexpr double kMinAltitudeFt = -2000.0;
constexpr double kMaxAltitudeFt = 150000.0;
constexpr double kMaxGroundSpeedKt = 4000.0;
constexpr double kMaxVerticalRateFpm = 100000.0;

Status OutOfRange(const char* reason, const char* field, double value, const char* range) {
  return InvalidArgument(reason, fmt::format("{} = {} is outside {}", field, value, range));
}

}  // namespace

bool IsUtf8(std::string_view s) {
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned c = b[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned lo = 0x80, hi = 0xBF;  // bounds of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // past U+10FFFF
    } else {
      return false;
    }
    if (i + len > n || b[i + 1] < lo || b[i + 1] > hi) return false;
    for (std::size_t k = 2; k < len; ++k) {
      if (b[i + k] < 0x80 || b[i + k] > 0xBF) return false;
    }
    i += len;
  }
  return true;
}

Status ValidatePosition(const Position& p) {
  if (p.track_id.empty()) return InvalidArgument("missing_track_id", "track_id is empty");
  if (p.track_id.size() > kMaxTrackIdBytes) {
    return InvalidArgument("track_id_too_long",
                           fmt::format("track_id is {} bytes, more than {}", p.track_id.size(),
                                       kMaxTrackIdBytes));
  }
  if (p.callsign.size() > kMaxCallsignBytes) {
    return InvalidArgument("callsign_too_long",
                           fmt::format("callsign is {} bytes, more than {}", p.callsign.size(),
                                       kMaxCallsignBytes));
  }
  if (p.category.size() > kMaxCallsignBytes) {
    return InvalidArgument("category_too_long",
                           fmt::format("category is {} bytes, more than {}", p.category.size(),
                                       kMaxCallsignBytes));
  }
  for (const auto& [field, value] : {std::pair{"track_id", &p.track_id}, {"callsign", &p.callsign},
                                     {"category", &p.category}}) {
    if (!IsUtf8(*value)) return InvalidArgument("not_utf8", fmt::format("{} is not valid UTF-8", field));
  }
  if (!std::isfinite(p.time_s) || p.time_s <= 0) {
    return InvalidArgument("missing_time", fmt::format("time = {} is not a valid data time", p.time_s));
  }
  if (!(p.lat_deg >= -90.0 && p.lat_deg <= 90.0)) {
    return OutOfRange("lat_out_of_range", "lat_deg", p.lat_deg, "[-90, 90]");
  }
  if (!(p.lon_deg >= -180.0 && p.lon_deg <= 180.0)) {
    return OutOfRange("lon_out_of_range", "lon_deg", p.lon_deg, "[-180, 180]");
  }
  if (p.alt_ft && !(*p.alt_ft >= kMinAltitudeFt && *p.alt_ft <= kMaxAltitudeFt)) {
    return OutOfRange("alt_out_of_range", "alt_ft", *p.alt_ft, "[-2000, 150000]");
  }
  if (p.ground_speed_kt && !(*p.ground_speed_kt >= 0 && *p.ground_speed_kt <= kMaxGroundSpeedKt)) {
    return OutOfRange("ground_speed_out_of_range", "ground_speed_kt", *p.ground_speed_kt, "[0, 4000]");
  }
  if (p.track_deg && !(*p.track_deg >= 0 && *p.track_deg <= 360.0)) {
    return OutOfRange("track_out_of_range", "track_deg", *p.track_deg, "[0, 360]");
  }
  if (p.vertical_rate_fpm && !(std::abs(*p.vertical_rate_fpm) <= kMaxVerticalRateFpm)) {
    return OutOfRange("vertical_rate_out_of_range", "vertical_rate_fpm", *p.vertical_rate_fpm,
                      "[-100000, 100000]");
  }
  return Status::Ok();
}

}  // namespace airprox
