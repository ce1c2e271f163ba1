// What detection emits: one event per change of an encounter (a pair episode).
#pragma once

#include <cstdint>
#include <string>

#include "server/core/position.h"
#include "server/core/rule.h"

namespace airprox {

enum class EncounterKind : std::uint8_t { kStarted = 1, kUpdated = 2, kEnded = 3 };
std::string_view EncounterKindName(EncounterKind k);  // "STARTED", "UPDATED", "ENDED"

struct ClosestSoFar {
  double horizontal_nm = 0;
  double vertical_ft = 0;
  double time_s = 0;  // data time
};

struct EncounterEvent {
  std::uint64_t sequence = 0;  // strictly increasing per detector
  std::string encounter_id;
  EncounterKind kind = EncounterKind::kStarted;
  Severity severity = Severity::kWarning;
  std::string rule;
  double time_s = 0;  // data time of the event
  Position a, b;      // latest reports, a.track_id < b.track_id
  double horizontal_nm = 0;
  double vertical_ft = 0;
  double time_to_cpa_s = 0;
  double cpa_horizontal_nm = 0;
  double cpa_vertical_ft = 0;
  ClosestSoFar closest;
  // For ENDED: "separated", "track_dropped" (stale), "not_checkable" (landed or lost altitude).
  std::string end_reason;
};

}  // namespace airprox
