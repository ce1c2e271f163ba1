// The encounter lifecycle of every pair: confirmation before STARTED, immediate escalation,
// hysteresis before de-escalation and ENDED (see alerting.h). One encounter per pair episode;
// severity changes inside it are UPDATED events, never a second encounter.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/core/alerting.h"
#include "server/core/encounter_event.h"
#include "server/core/pair_assessment.h"
#include "server/core/rule.h"
#include "server/core/track.h"

namespace airprox {

class EncounterTracker {
 public:
  EncounterTracker(std::vector<Rule> rules, AlertingOptions alerting, std::uint64_t first_sequence = 1)
      : rules_(std::move(rules)), alerting_(alerting), next_sequence_(first_sequence) {}

  // Feeds the assessment of the pair (self, other) at data time t_s; appends any event to out.
  void Observe(TrackHandle h_self, const Track& self, TrackHandle h_other, const Track& other,
               double t_s, const PairAssessment& assessment, std::vector<EncounterEvent>& out);

  // Ends every encounter of h at once (no hysteresis) and forgets its pending pairs.
  template <typename TrackOf>
  void EndAllOf(TrackHandle h, double t_s, std::string_view reason, const TrackOf& track_of,
                std::vector<EncounterEvent>& out) {
    auto it = partners_.find(h);
    if (it == partners_.end()) return;
    const std::vector<TrackHandle> partners = it->second;
    for (TrackHandle p : partners) Forget(h, track_of(h), p, track_of(p), t_s, reason, out);
  }

  // Data time at which the pair was last evaluated, when the tracker holds state for it.
  std::optional<double> LastEvaluated(TrackHandle x, TrackHandle y) const;
  // Data time of the pair's last de-escalation or end, when the tracker holds state for it: a
  // look back over past intervals must not start there again.
  std::optional<double> LookBackFrom(TrackHandle x, TrackHandle y) const;
  // Handles that h has pair state with (pending or active encounters).
  const std::vector<TrackHandle>& PartnersOf(TrackHandle h) const;
  // The latest event of every active encounter, by encounter id.
  std::vector<EncounterEvent> Active() const;
  std::size_t active() const { return active_count_; }
  const std::vector<Rule>& rules() const { return rules_; }

 private:
  struct PairState {
    bool active = false;
    std::uint32_t history = 0;  // pending: bit i set = violated i evaluations ago
    double last_eval_s = 0;
    std::size_t rule_index = 0;      // active: current rule
    std::optional<double> clear_since_s;  // active: held clear of the current rule since
    double look_back_from_s = 0;     // last de-escalation or end
    EncounterEvent latest;           // active: last event, geometry refreshed on each evaluation
    // Surface points of the closest approach so far (a, b); latest.closest's latitudes and
    // longitudes are derived from them only when an event is emitted or read (closest_stale).
    geo::Vec3 closest_a_ecef_m, closest_b_ecef_m;
    bool closest_stale = false;
  };
  static void ResolveClosest(const PairState& s, ClosestSoFar& c);
  static std::uint64_t PairKey(TrackHandle x, TrackHandle y);
  void Start(PairState& s, const Track& self, const Track& other, double t_s,
             const PairAssessment& as, std::vector<EncounterEvent>& out);
  void Continue(PairState& s, const Track& self, const Track& other, double t_s,
                const PairAssessment& as, std::vector<EncounterEvent>& out);
  void Refresh(PairState& s, const Track& self, const Track& other, double t_s,
               const PairAssessment& as);
  void End(PairState& s, double t_s, std::string_view reason, std::vector<EncounterEvent>& out);
  void Forget(TrackHandle ha, const Track& ta, TrackHandle hb, const Track& tb, double t_s,
              std::string_view reason, std::vector<EncounterEvent>& out);
  void Emit(PairState& s, EncounterKind kind, std::vector<EncounterEvent>& out);
  void Unlink(TrackHandle x, TrackHandle y);

  std::vector<Rule> rules_;
  AlertingOptions alerting_;
  std::unordered_map<std::uint64_t, PairState> pairs_;
  std::unordered_map<TrackHandle, std::vector<TrackHandle>> partners_;
  std::size_t active_count_ = 0;
  std::uint64_t next_sequence_ = 1;
};

}  // namespace airprox
