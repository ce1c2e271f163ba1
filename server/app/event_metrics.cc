#include "server/app/event_metrics.h"

namespace airprox {

void EventMetrics::OnEvents(const std::vector<EncounterEvent>& events) {
  std::lock_guard lock(mu_);
  for (const EncounterEvent& e : events) {
    ++s_.events_by_kind[std::string(EncounterKindName(e.kind))];
    const auto key = std::make_pair(e.rule, std::string(SeverityName(e.severity)));
    switch (e.kind) {
      case EncounterKind::kStarted:
        ++s_.started[key];
        ++s_.active;
        severity_[e.encounter_id] = e.severity;
        break;
      case EncounterKind::kUpdated: {
        Severity& before = severity_[e.encounter_id];
        if (e.severity > before) ++s_.escalated[key];
        before = e.severity;
        break;
      }
      case EncounterKind::kEnded:
        --s_.active;
        severity_.erase(e.encounter_id);
        break;
    }
  }
}

EventMetrics::Snapshot EventMetrics::Read() const {
  std::lock_guard lock(mu_);
  return s_;
}

}  // namespace airprox
