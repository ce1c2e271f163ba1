// Counts encounter events for metrics: events by kind, encounters started by rule and severity,
// escalations by rule and severity, and the encounters active now (STARTED minus ENDED).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "server/pipeline/event_sink.h"

namespace airprox {

class EventMetrics final : public EventSink {
 public:
  void OnEvents(const std::vector<EncounterEvent>& events) override;

  struct Snapshot {
    std::map<std::string, std::uint64_t> events_by_kind;
    std::map<std::pair<std::string, std::string>, std::uint64_t> started;    // (rule, severity)
    std::map<std::pair<std::string, std::string>, std::uint64_t> escalated;  // (rule, severity)
    std::int64_t active = 0;
  };
  Snapshot Read() const;

 private:
  mutable std::mutex mu_;
  Snapshot s_;
  std::unordered_map<std::string, Severity> severity_;  // per active encounter, for escalations
};

}  // namespace airprox
