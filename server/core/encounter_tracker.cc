#include "server/core/encounter_tracker.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "server/core/units.h"

namespace airprox {

std::string_view EncounterKindName(EncounterKind k) {
  switch (k) {
    case EncounterKind::kStarted: return "STARTED";
    case EncounterKind::kUpdated: return "UPDATED";
    case EncounterKind::kEnded: return "ENDED";
  }
  return "UNKNOWN";
}

std::uint64_t EncounterTracker::PairKey(TrackHandle x, TrackHandle y) {
  if (x > y) std::swap(x, y);
  return (static_cast<std::uint64_t>(x) << 32) | y;
}

const std::vector<TrackHandle>& EncounterTracker::PartnersOf(TrackHandle h) const {
  static const std::vector<TrackHandle> kNone;
  auto it = partners_.find(h);
  return it == partners_.end() ? kNone : it->second;
}

void EncounterTracker::Observe(TrackHandle ha, const Track& ta, TrackHandle hb, const Track& tb,
                               double t_s, const PairAssessment& as,
                               std::vector<EncounterEvent>& out) {
  const std::uint64_t key = PairKey(ha, hb);
  auto it = active_.find(key);
  if (it == active_.end()) {
    if (!as.rule_index) return;
    it = active_.emplace(key, Encounter{}).first;
    partners_[ha].push_back(hb);
    partners_[hb].push_back(ha);
    const bool swap = tb.last.track_id < ta.last.track_id;
    it->second.latest.encounter_id =
        fmt::format("{}-{}-{}", (swap ? tb : ta).last.track_id, (swap ? ta : tb).last.track_id,
                    std::llround(t_s * 1000.0));
    it->second.latest.closest = {units::m_to_nm(as.horizontal_m), as.vertical_ft, t_s};
    Refresh(it->second, ta, tb, t_s, as);
    it->second.rule_index = *as.rule_index;
    Emit(it->second, EncounterKind::kStarted, out);
    return;
  }
  Encounter& e = it->second;
  Refresh(e, ta, tb, t_s, as);
  if (!as.rule_index) {
    End(ha, ta, hb, tb, t_s, "separated", out);
  } else if (e.rule_index != *as.rule_index) {
    e.rule_index = *as.rule_index;
    Emit(e, EncounterKind::kUpdated, out);
  }
}

void EncounterTracker::Refresh(Encounter& e, const Track& ta, const Track& tb, double t_s,
                               const PairAssessment& as) {
  EncounterEvent& ev = e.latest;
  const double h_nm = units::m_to_nm(as.horizontal_m);
  ev.time_s = t_s;
  ev.horizontal_nm = h_nm;
  ev.vertical_ft = as.vertical_ft;
  ev.time_to_cpa_s = as.cpa.time_s;
  ev.cpa_horizontal_nm = units::m_to_nm(as.cpa.horizontal_m);
  ev.cpa_vertical_ft = as.cpa.vertical_ft;
  // Closest approach so far: the smallest horizontal separation, the smaller vertical on a tie.
  if (h_nm < ev.closest.horizontal_nm ||
      (h_nm == ev.closest.horizontal_nm && as.vertical_ft < ev.closest.vertical_ft)) {
    ev.closest = {h_nm, as.vertical_ft, t_s};
  }
  SetTracks(ev, ta, tb);
}

void EncounterTracker::SetTracks(EncounterEvent& ev, const Track& ta, const Track& tb) {
  const bool swap = tb.last.track_id < ta.last.track_id;
  ev.a = swap ? tb.last : ta.last;
  ev.b = swap ? ta.last : tb.last;
}

void EncounterTracker::End(TrackHandle ha, const Track& ta, TrackHandle hb, const Track& tb,
                           double t_s, std::string_view reason, std::vector<EncounterEvent>& out) {
  auto it = active_.find(PairKey(ha, hb));
  if (it == active_.end()) return;
  Encounter& e = it->second;
  SetTracks(e.latest, ta, tb);
  e.latest.time_s = t_s;
  e.latest.end_reason = std::string(reason);
  Emit(e, EncounterKind::kEnded, out);
  active_.erase(it);
  Unlink(ha, hb);
  Unlink(hb, ha);
}

void EncounterTracker::Emit(Encounter& e, EncounterKind kind, std::vector<EncounterEvent>& out) {
  const Rule& r = rules_[e.rule_index];
  e.latest.kind = kind;
  e.latest.rule = r.name;
  e.latest.severity = r.severity;
  e.latest.sequence = next_sequence_++;
  out.push_back(e.latest);
}

void EncounterTracker::Unlink(TrackHandle x, TrackHandle y) {
  auto it = partners_.find(x);
  if (it == partners_.end()) return;
  auto& v = it->second;
  v.erase(std::remove(v.begin(), v.end(), y), v.end());
  if (v.empty()) partners_.erase(it);
}

std::vector<EncounterEvent> EncounterTracker::Active() const {
  std::vector<EncounterEvent> out;
  out.reserve(active_.size());
  for (const auto& [key, e] : active_) out.push_back(e.latest);
  std::sort(out.begin(), out.end(),
            [](const auto& x, const auto& y) { return x.encounter_id < y.encounter_id; });
  return out;
}

}  // namespace airprox
