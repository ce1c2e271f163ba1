// The encounter lifecycle: one encounter per pair episode, from the first violation (STARTED)
// through changes of the most severe violated rule (UPDATED) to the end (ENDED).
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/core/encounter_event.h"
#include "server/core/pair_assessment.h"
#include "server/core/rule.h"
#include "server/core/track.h"

namespace airprox {

class EncounterTracker {
 public:
  explicit EncounterTracker(std::vector<Rule> rules) : rules_(std::move(rules)) {}

  // Feeds the assessment of the pair (ha, hb) at data time t_s; appends any event to out.
  void Observe(TrackHandle ha, const Track& ta, TrackHandle hb, const Track& tb, double t_s,
               const PairAssessment& assessment, std::vector<EncounterEvent>& out);

  // Ends every encounter of h (its partner's latest state taken from `track_of`).
  template <typename TrackOf>
  void EndAllOf(TrackHandle h, double t_s, std::string_view reason, const TrackOf& track_of,
                std::vector<EncounterEvent>& out) {
    auto it = partners_.find(h);
    if (it == partners_.end()) return;
    const std::vector<TrackHandle> partners = it->second;
    for (TrackHandle p : partners) End(h, track_of(h), p, track_of(p), t_s, reason, out);
  }

  // Handles that h is in an encounter with (empty if none).
  const std::vector<TrackHandle>& PartnersOf(TrackHandle h) const;
  // The latest event of every active encounter, by encounter id.
  std::vector<EncounterEvent> Active() const;
  std::size_t size() const { return active_.size(); }
  const std::vector<Rule>& rules() const { return rules_; }

 private:
  struct Encounter {
    std::size_t rule_index = 0;
    EncounterEvent latest;  // the last event emitted, with geometry refreshed on every observation
  };
  static std::uint64_t PairKey(TrackHandle x, TrackHandle y);
  void End(TrackHandle ha, const Track& ta, TrackHandle hb, const Track& tb, double t_s,
           std::string_view reason, std::vector<EncounterEvent>& out);
  void Refresh(Encounter& e, const Track& ta, const Track& tb, double t_s,
               const PairAssessment& as);
  static void SetTracks(EncounterEvent& ev, const Track& ta, const Track& tb);
  void Emit(Encounter& e, EncounterKind kind, std::vector<EncounterEvent>& out);
  void Unlink(TrackHandle x, TrackHandle y);

  std::vector<Rule> rules_;
  std::unordered_map<std::uint64_t, Encounter> active_;
  std::unordered_map<TrackHandle, std::vector<TrackHandle>> partners_;
  std::uint64_t next_sequence_ = 1;
};

}  // namespace airprox
