#include "server/app/encounter_log.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <cmath>

namespace airprox {
namespace {

std::string IsoTime(double time_s) {
  const auto ms = std::chrono::milliseconds(std::llround(time_s * 1000.0));
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", std::chrono::sys_time<std::chrono::milliseconds>(ms));
}

std::string OrDash(const std::string& s) { return s.empty() ? "-" : s; }

}  // namespace

std::string FormatEncounterLogLine(const EncounterEvent& e) {
  std::string line = fmt::format(
      "encounter event={} seq={} id={} rule={} severity={} time={} a={} a_callsign={} b={} "
      "b_callsign={} h_nm={:.3f} v_ft={:.0f} tcpa_s={:.1f} cpa_h_nm={:.3f} cpa_v_ft={:.0f} "
      "closest_h_nm={:.3f} closest_v_ft={:.0f} closest_time={} max_severity={} duration_s={:.0f} "
      "lat={:.5f} lon={:.5f}",
      EncounterKindName(e.kind), e.sequence, e.encounter_id, e.rule, SeverityName(e.severity),
      IsoTime(e.time_s), e.a.track_id, OrDash(e.a.callsign), e.b.track_id, OrDash(e.b.callsign),
      e.horizontal_nm, e.vertical_ft, e.time_to_cpa_s, e.cpa_horizontal_nm, e.cpa_vertical_ft,
      e.closest.horizontal_nm, e.closest.vertical_ft, IsoTime(e.closest.time_s),
      SeverityName(e.max_severity), e.duration_s, e.a.lat_deg, e.a.lon_deg);
  if (e.kind == EncounterKind::kEnded) line += " reason=" + e.end_reason;
  return line;
}

void EncounterLog::OnEvents(const std::vector<EncounterEvent>& events) {
  for (const EncounterEvent& e : events) {
    const auto level = e.kind == EncounterKind::kStarted && e.severity >= Severity::kWarning
                           ? spdlog::level::warn
                           : spdlog::level::info;
    logger_->log(level, "{}", FormatEncounterLogLine(e));
  }
}

}  // namespace airprox
