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
  // True when no condition is given: Matches is true for every event.
  bool MatchesEverything() const {
    return min_severity <= Severity::kAdvisory && rules.empty() && track_ids.empty() &&
           callsign_patterns.empty() && area.empty();
  }
};

// How complex a subscriber's filter may be (config limits.filter_*): matching runs on the
// detection's delivery path for every event and subscriber.
struct FilterLimits {
  std::size_t max_vertices = 1000;       // polygon vertices. Count, >= 3
  std::size_t max_entries = 1000;        // entries per list (rules, track ids, patterns). Count
  std::size_t max_pattern_bytes = 64;    // bytes per callsign pattern. Bytes, >= 1
};

// Polygon of >= 3 valid vertices, lists and patterns within `limits`. A filter past a limit is
// refused with the limit's name as the reason ("filter_max_vertices", "filter_max_entries",
// "filter_max_pattern_bytes") and a message naming its config key and value. With `rules` (the
// configured ones), a rule name that is none of them is refused ("filter_unknown_rule"): it would
// match nothing, and a subscriber with a typo would wait for events forever.
Status ValidateFilter(const EncounterFilter& f, const FilterLimits& limits = {},
                      const std::vector<Rule>* rules = nullptr);

// A filter with memory: once an encounter has been selected, all its later events are too (down
// to its ENDED), even when they alone would not match (a de-escalation below min_severity, an
// aircraft leaving the area), so that no subscriber sees an encounter start and never end.
class EncounterSelection {
 public:
  explicit EncounterSelection(EncounterFilter filter)
      : filter_(std::move(filter)), everything_(filter_.MatchesEverything()) {}
  // A filter that matches everything needs no memory: its selection keeps none (no lookup of the
  // encounter's id per event, the cost of a subscriber without a filter).
  bool Select(const EncounterEvent& e);

 private:
  EncounterFilter filter_;
  bool everything_;
  std::unordered_set<std::string> following_;
};

}  // namespace airprox
