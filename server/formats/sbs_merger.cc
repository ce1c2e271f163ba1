#include "server/formats/sbs_merger.h"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <cmath>

#include "server/formats/csv_columns.h"
#include "server/formats/icao_address.h"

namespace airprox {
namespace {

constexpr std::size_t kFields = 22;
// Field positions, from 0 (the format's documentation counts from 1).
enum Field {
  kType = 0, kTransmission = 1, kHexIdent = 4, kDateGenerated = 6, kTimeGenerated = 7,
  kDateLogged = 8, kTimeLogged = 9, kCallsign = 10, kAltitude = 11, kGroundSpeed = 12,
  kTrack = 13, kLat = 14, kLon = 15, kVerticalRate = 16, kOnGround = 21
};

template <typename... Args>
Status FormatError(fmt::format_string<Args...> f, Args&&... args) {
  return InvalidArgument("format", fmt::format(f, std::forward<Args>(args)...));
}

// 1 to 9 decimal digits (so that the value fits an int: a longer field, such as a transmission
// type of 4294967299, is malformed, not read as a wrapped-around 3).
bool Digits(std::string_view s, int& out) {
  if (s.empty() || s.size() > 9) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

// "YYYY/MM/DD" and "HH:MM:SS" with an optional fraction ".sss", UTC, as seconds since the epoch.
std::optional<double> UtcSeconds(std::string_view date, std::string_view time) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (date.size() != 10 || date[4] != '/' || date[7] != '/' || !Digits(date.substr(0, 4), y) ||
      !Digits(date.substr(5, 2), mo) || !Digits(date.substr(8, 2), d)) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year(y),
                                        std::chrono::month(static_cast<unsigned>(mo)),
                                        std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  if (time.size() < 8 || time[2] != ':' || time[5] != ':' || !Digits(time.substr(0, 2), h) ||
      !Digits(time.substr(3, 2), mi) || !Digits(time.substr(6, 2), s) || h > 23 || mi > 59 ||
      s > 60) {
    return std::nullopt;
  }
  double fraction = 0;
  if (time.size() > 8) {
    const std::string_view digits = time.substr(9);
    int units = 0;
    if (time[8] != '.' || digits.size() > 9 || !Digits(digits, units)) return std::nullopt;
    fraction = units / std::pow(10.0, static_cast<double>(digits.size()));
  }
  const auto days = std::chrono::sys_days(ymd).time_since_epoch().count();
  return static_cast<double>(days) * 86400.0 + h * 3600.0 + mi * 60.0 + s + fraction;
}

}  // namespace

struct SbsMerger::Message {
  int transmission = 0;
  std::string track_id;
  double time_s = 0;
  std::string_view callsign;
  std::optional<double> alt_ft, ground_speed_kt, track_deg, lat_deg, lon_deg, vertical_rate_fpm;
  std::optional<bool> on_ground;
};

Status SbsMerger::Parse(std::string_view line, Message& m, bool& is_msg) {
  SplitFields(line, fields_);
  const std::string_view type = TrimBlanks(fields_[kType]);
  if (type != "MSG") {
    is_msg = false;
    for (std::string_view other : {"SEL", "ID", "AIR", "STA", "CLK"}) {
      if (type == other) return Status::Ok();
    }
    return FormatError("message type '{}' is not MSG, SEL, ID, AIR, STA or CLK", type);
  }
  if (fields_.size() != kFields) return FormatError("{} fields, an SBS MSG line has 22", fields_.size());
  auto field = [&](Field f) { return TrimBlanks(fields_[f]); };
  if (!Digits(field(kTransmission), m.transmission) || m.transmission < 1 || m.transmission > 8) {
    return FormatError("transmission type (field 2) '{}' is not 1 to 8", field(kTransmission));
  }
  if (field(kHexIdent).empty()) return FormatError("hex ident (field 5) is empty");
  m.track_id = TrackIdFromAddress(field(kHexIdent));
  std::string_view date = field(kDateGenerated), time = field(kTimeGenerated);
  if (date.empty() && time.empty()) {
    date = field(kDateLogged);
    time = field(kTimeLogged);
  }
  const std::optional<double> t = UtcSeconds(date, time);
  if (!t) return FormatError("date and time '{} {}' (fields 7, 8) are not YYYY/MM/DD HH:MM:SS.sss", date, time);
  m.time_s = *t;
  m.callsign = field(kCallsign);
  struct NumberField {
    Field field;
    const char* name;
    std::optional<double>* out;
  };
  for (const NumberField& n : std::array<NumberField, 6>{{
           {kAltitude, "altitude (field 12)", &m.alt_ft},
           {kGroundSpeed, "ground speed (field 13)", &m.ground_speed_kt},
           {kTrack, "track (field 14)", &m.track_deg},
           {kLat, "latitude (field 15)", &m.lat_deg},
           {kLon, "longitude (field 16)", &m.lon_deg},
           {kVerticalRate, "vertical rate (field 17)", &m.vertical_rate_fpm}}}) {
    const std::string_view s = field(n.field);
    double v = 0;
    if (s.empty()) continue;
    if (!ParseNumber(s, v)) return FormatError("{} '{}' is not a number", n.name, s);
    *n.out = v;
  }
  if (m.lat_deg.has_value() != m.lon_deg.has_value()) {
    return FormatError("latitude and longitude (fields 15, 16) must both be given or both be empty");
  }
  const std::string_view ground = field(kOnGround);
  if (ground == "-1" || ground == "1") {
    m.on_ground = true;
  } else if (ground == "0") {
    m.on_ground = false;
  } else if (!ground.empty()) {
    return FormatError("on-ground flag (field 22) '{}' is not -1, 0 or empty", ground);
  }
  return Status::Ok();
}

SbsMerger::Aircraft& SbsMerger::Find(const std::string& track_id) {
  if (auto it = by_id_.find(track_id); it != by_id_.end()) {
    aircraft_.splice(aircraft_.begin(), aircraft_, it->second);
    return *it->second;
  }
  if (by_id_.size() >= options_.max_aircraft && !aircraft_.empty()) {
    by_id_.erase(aircraft_.back().track_id);
    aircraft_.pop_back();
    ++evicted_;
  }
  aircraft_.push_front(Aircraft{});
  aircraft_.front().track_id = track_id;
  by_id_.emplace(track_id, aircraft_.begin());
  return aircraft_.front();
}

template <typename T>
std::optional<T> SbsMerger::Recent(const Timed<T>& kept, double time_s) const {
  if (kept.value && std::abs(kept.time_s - time_s) <= options_.max_state_age_s) return kept.value;
  return std::nullopt;
}

namespace {
// Keeps the newer of the kept value and v (by data time).
template <typename Timed, typename T>
void KeepLatest(Timed& kept, T&& v, double time_s) {
  if (!kept.value || time_s >= kept.time_s) {
    kept.value = std::forward<T>(v);
    kept.time_s = time_s;
  }
}
}  // namespace

Status SbsMerger::Feed(std::string_view line, std::optional<Position>& out) {
  out.reset();
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.size() > options_.max_line_bytes) {
    return InvalidArgument("format", fmt::format("line is longer than {} bytes", options_.max_line_bytes));
  }
  if (TrimBlanks(line).empty()) return Status::Ok();
  Message m;
  bool is_msg = true;
  if (Status st = Parse(line, m, is_msg); !st.ok() || !is_msg) return st;

  Aircraft& a = Find(m.track_id);
  const double t = m.time_s;
  if (!m.callsign.empty()) KeepLatest(a.callsign, std::string(m.callsign), t);
  if (m.alt_ft) KeepLatest(a.alt_ft, *m.alt_ft, t);
  const bool surface = m.transmission == 2;
  const std::optional<bool> on_ground = surface ? std::optional<bool>(true) : m.on_ground;
  if (on_ground) KeepLatest(a.on_ground, *on_ground, t);
  std::optional<Velocity> velocity;
  if ((m.transmission == 4 || surface) &&
      (m.ground_speed_kt || m.track_deg || m.vertical_rate_fpm)) {
    velocity = Velocity{m.ground_speed_kt, m.track_deg, m.vertical_rate_fpm};
    KeepLatest(a.velocity, *velocity, t);
  }
  if (m.transmission != 2 && m.transmission != 3) return Status::Ok();
  if (!m.lat_deg) {
    ++skipped_;
    return Status::Ok();
  }

  // The message's own fields first, then the kept state that is recent enough.
  Position& p = out.emplace();
  p.track_id = m.track_id;
  p.callsign = a.callsign.value.value_or(std::string());
  p.time_s = t;
  p.lat_deg = *m.lat_deg;
  p.lon_deg = *m.lon_deg;
  p.alt_ft = m.alt_ft ? m.alt_ft : Recent(a.alt_ft, t);
  p.on_ground = on_ground ? on_ground : Recent(a.on_ground, t);
  if (!velocity) velocity = Recent(a.velocity, t);
  if (velocity) {
    p.ground_speed_kt = velocity->ground_speed_kt;
    p.track_deg = velocity->track_deg;
    p.vertical_rate_fpm = velocity->vertical_rate_fpm;
  }
  return Status::Ok();
}

}  // namespace airprox
