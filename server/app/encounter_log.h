// One greppable log line per encounter event, with stable key=value fields:
//   encounter event=STARTED id=... rule=nmac severity=ALERT a=39c424 a_callsign=AFR787V b=...
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

#include "server/pipeline/event_sink.h"

namespace airprox {

// Fields of the line that are text even when they look like numbers (an ICAO address "400123",
// a callsign "1234"): log.format json keeps them strings.
inline constexpr std::string_view kEncounterLogStringKeys[] = {"id", "rule", "a", "b", "a_callsign",
                                                                 "b_callsign"};

// The log line of one event, without the logger's prefix.
std::string FormatEncounterLogLine(const EncounterEvent& e);

class EncounterLog final : public EventSink {
 public:
  explicit EncounterLog(std::shared_ptr<spdlog::logger> logger) : logger_(std::move(logger)) {}
  void OnEvents(const std::vector<EncounterEvent>& events) override;

 private:
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace airprox
