// What one subscriber wants to see of the encounter events.
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include "server/core/encounter_event.h"
#include "server/core/rule.h"
#include "server/core/status.h"

namespace airprox {

// Every condition given must hold; an empty list means "any".
struct EncounterFilter {
  std::vector<LatLon> area;                    // polygon: either aircraft inside
  Severity min_severity = Severity::kAdvisory;
  std::vector<std::string> rules;              // rule names
  std::vector<std::string> track_ids;          // either aircraft's id
  std::vector<std::string> callsign_patterns;  // shell globs, case-insensitive, either callsign

  bool Matches(const EncounterEvent& e) const;
};

inline constexpr std::size_t kMaxFilterVertices = 1000;
inline constexpr std::size_t kMaxFilterEntries = 1000;  // per list

// Polygon of >= 3 valid vertices, list sizes within the limits above.
Status ValidateFilter(const EncounterFilter& f);

// A filter with memory: once an encounter has been selected, all its later events are too (down
// to its ENDED), even when they alone would not match (a de-escalation below min_severity, an
// aircraft leaving the area), so that no subscriber sees an encounter start and never end.
class EncounterSelection {
 public:
  explicit EncounterSelection(EncounterFilter filter) : filter_(std::move(filter)) {}
  bool Select(const EncounterEvent& e);

 private:
  EncounterFilter filter_;
  std::unordered_set<std::string> following_;
};

}  // namespace airprox
