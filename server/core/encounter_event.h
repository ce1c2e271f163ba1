// What detection emits: one event per change of an encounter (a pair episode).
#pragma once

#include <cstdint>
#include <string>

#include "server/core/position.h"
#include "server/core/rule.h"

namespace airprox {

enum class EncounterKind : std::uint8_t { kStarted = 1, kUpdated = 2, kEnded = 3 };
std::string_view EncounterKindName(EncounterKind k);  // "STARTED", "UPDATED", "ENDED"

// The closest approach of an encounter so far: the smallest horizontal separation, interpolated
// between fixes, with the vertical separation and both aircraft's positions at that moment.
struct ClosestSoFar {
  double horizontal_nm = 0;
  double vertical_ft = 0;
  double time_s = 0;  // data time
  double a_lat_deg = 0, a_lon_deg = 0;
  double b_lat_deg = 0, b_lon_deg = 0;
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
  double start_time_s = 0;           // data time of STARTED
  double duration_s = 0;             // time_s - start_time_s
  Severity max_severity = Severity::kAdvisory;  // highest severity reached so far
  // For ENDED: "separated", "track_dropped" (stale), "not_checkable" (landed or lost altitude),
  // "shutdown".
  std::string end_reason;
};

}  // namespace airprox
