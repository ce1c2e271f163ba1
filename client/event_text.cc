#include "client/event_text.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include <chrono>

namespace airprox::cli {
namespace {

std::string Aircraft(const v1::Position& p) {
  return p.callsign().empty() ? p.track_id() : fmt::format("{}/{}", p.track_id(), p.callsign());
}

}  // namespace

std::string FormatTime(const google::protobuf::Timestamp& ts) {
  const std::chrono::sys_seconds t{std::chrono::seconds(ts.seconds())};
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", t);
}

std::string FormatEvent(const v1::EncounterEvent& e) {
  if (e.kind() == v1::EncounterEvent::GAP) {
    return fmt::format("GAP     events {} to {} are no longer held by the server and were missed",
                       e.gap_first_sequence(), e.gap_last_sequence());
  }
  if (e.kind() == v1::EncounterEvent::HEARTBEAT) return fmt::format("HEARTBEAT seq={}", e.sequence());
  std::string line = fmt::format(
      "{} {:<7} {:<8} {:<18} {} <> {}  h={:.2f}NM v={:.0f}ft  cpa={:.2f}NM/{:.0f}ft in {:.0f}s  "
      "closest={:.3f}NM/{:.0f}ft  id={} seq={}",
      FormatTime(e.time()), v1::EncounterEvent::Kind_Name(e.kind()), v1::Severity_Name(e.severity()),
      e.rule(), Aircraft(e.a()), Aircraft(e.b()), e.horizontal_nm(), e.vertical_ft(),
      e.cpa_horizontal_nm(), e.cpa_vertical_ft(), e.time_to_cpa_s(), e.closest().horizontal_nm(),
      e.closest().vertical_ft(), e.encounter_id(), e.sequence());
  if (e.kind() == v1::EncounterEvent::ENDED) {
    line += " reason=" + e.end_reason() + " max=" + v1::Severity_Name(e.max_severity());
  }
  return line;
}

std::string EventJson(const v1::EncounterEvent& e) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = false;
  (void)google::protobuf::util::MessageToJsonString(e, &out, options);
  return out;
}

std::string FormatTrack(const v1::Position& p) {
  auto opt = [](bool has, double v, const char* f) {
    return has ? fmt::format(fmt::runtime(f), v) : std::string("-");
  };
  return fmt::format("{:<8} {:<9} {} {:>10.5f} {:>11.5f} {:>7} {:>5} {:>5} {:>6}{}", p.track_id(),
                     p.callsign().empty() ? "-" : p.callsign(), FormatTime(p.time()), p.lat_deg(),
                     p.lon_deg(), opt(p.has_alt_ft(), p.alt_ft(), "{:.0f}"),
                     opt(p.has_ground_speed_kt(), p.ground_speed_kt(), "{:.0f}"),
                     opt(p.has_track_deg(), p.track_deg(), "{:.0f}"),
                     opt(p.has_vertical_rate_fpm(), p.vertical_rate_fpm(), "{:.0f}"),
                     p.on_ground() ? " ground" : "");
}

}  // namespace airprox::cli
