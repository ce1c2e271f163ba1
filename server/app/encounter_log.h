// One greppable log line per encounter event, with stable key=value fields:
//   encounter event=STARTED id=... rule=nmac severity=ALERT a=39c424 a_callsign=AFR787V b=...
#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "server/pipeline/event_sink.h"

namespace airprox {

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
