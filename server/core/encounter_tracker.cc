#include "server/core/encounter_tracker.h"

#include <GeographicLib/Geocentric.hpp>

#include <algorithm>
#include <bit>
#include <charconv>
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

namespace {

void ToLatLon(const geo::Vec3& ecef, double& lat_deg, double& lon_deg) {
  double h = 0;
  GeographicLib::Geocentric::WGS84().Reverse(ecef.x, ecef.y, ecef.z, lat_deg, lon_deg, h);
}

// "A-B-MS": the pair's track ids and the start's data time in whole milliseconds. Built by hand:
// with many encounters starting, fmt::format was most of the cost of a start.
std::string EncounterId(const std::string& a, const std::string& b, double t_s) {
  char ms[24];
  const auto [end, ec] = std::to_chars(ms, ms + sizeof ms, std::llround(t_s * 1000.0));
  std::string id;
  id.reserve(a.size() + b.size() + 2 + static_cast<std::size_t>(end - ms));
  id.append(a).append(1, '-').append(b).append(1, '-').append(ms, end);
  return id;
}

}  // namespace

std::uint64_t EncounterTracker::PairKey(TrackHandle x, TrackHandle y) {
  if (x > y) std::swap(x, y);
  return (static_cast<std::uint64_t>(x) << 32) | y;
}

const std::vector<TrackHandle>& EncounterTracker::PartnersOf(TrackHandle h) const {
  static const std::vector<TrackHandle> kNone;
  auto it = partners_.find(h);
  return it == partners_.end() ? kNone : it->second;
}

std::optional<double> EncounterTracker::LookBackFrom(TrackHandle x, TrackHandle y) const {
  auto it = pairs_.find(PairKey(x, y));
  if (it == pairs_.end() || it->second.look_back_from_s == 0) return std::nullopt;
  return it->second.look_back_from_s;
}

std::optional<double> EncounterTracker::LastEvaluated(TrackHandle x, TrackHandle y) const {
  auto it = pairs_.find(PairKey(x, y));
  if (it == pairs_.end()) return std::nullopt;
  return it->second.last_eval_s;
}

void EncounterTracker::Observe(TrackHandle h_self, const Track& self, TrackHandle h_other,
                               const Track& other, double t_s, const PairAssessment& as,
                               std::vector<EncounterEvent>& out) {
  const std::uint64_t key = PairKey(h_self, h_other);
  auto it = pairs_.find(key);
  if (it == pairs_.end()) {
    if (!as.now_rule_index && !as.between_fixes_rule_index) return;
    it = pairs_.emplace(key, PairState{}).first;
    partners_[h_self].push_back(h_other);
    partners_[h_other].push_back(h_self);
  }
  PairState& s = it->second;
  s.last_eval_s = t_s;
  if (s.active) {
    Continue(s, self, other, t_s, as, out);
    return;
  }
  // Towards a start count what is violated now (or predicted), and losses entirely between the
  // two fixes; not the tail of a loss that was already under way at the previous fix, which an
  // earlier evaluation has seen (it would restart an encounter that just ended).
  const bool violated = as.now_rule_index || as.between_fixes_rule_index;
  const std::uint32_t mask =
      alerting_.confirm_window >= 32 ? ~0u : (1u << alerting_.confirm_window) - 1;
  s.history = ((s.history << 1) | (violated ? 1u : 0u)) & mask;
  if (as.between_fixes_rule_index || (violated && std::popcount(s.history) >= alerting_.confirm_hits)) {
    Start(s, self, other, t_s, as, out);
  } else if (s.history == 0) {
    pairs_.erase(it);
    Unlink(h_self, h_other);
    Unlink(h_other, h_self);
  }
}

void EncounterTracker::Start(PairState& s, const Track& self, const Track& other, double t_s,
                             const PairAssessment& as, std::vector<EncounterEvent>& out) {
  const bool swap = other.last.track_id < self.last.track_id;
  const double look_back_from_s = s.look_back_from_s;  // still no looking back before an old end
  s = PairState{};
  s.active = true;
  s.last_eval_s = t_s;
  s.rule_index = *as.rule_index;
  s.look_back_from_s = look_back_from_s;
  s.latest.encounter_id = EncounterId((swap ? other : self).last.track_id,
                                      (swap ? self : other).last.track_id, t_s);
  s.latest.start_time_s = t_s;
  s.latest.closest.horizontal_nm = HUGE_VAL;
  s.latest.max_severity = rules_[s.rule_index].severity;
  Refresh(s, self, other, t_s, as);
  ++active_count_;
  Emit(s, EncounterKind::kStarted, out);
}

void EncounterTracker::Continue(PairState& s, const Track& self, const Track& other, double t_s,
                                const PairAssessment& as, std::vector<EncounterEvent>& out) {
  Refresh(s, self, other, t_s, as);
  const Severity current = rules_[s.rule_index].severity;
  if (as.rule_index && rules_[*as.rule_index].severity > current) {  // escalation: at once
    s.rule_index = *as.rule_index;
    s.clear_since_s.reset();
    Emit(s, EncounterKind::kUpdated, out);
    return;
  }
  // Holding looks at now and the lookahead only: a loss found in the past interval can start or
  // escalate an encounter, but must not keep one alive.
  const bool held = as.held_rule_index && rules_[*as.held_rule_index].severity >= current;
  if (held) {
    s.clear_since_s.reset();
    return;
  }
  if (!s.clear_since_s) s.clear_since_s = t_s;
  if (t_s - *s.clear_since_s < alerting_.end_hold_s) return;
  if (as.held_rule_index) {  // de-escalation after the hold, to the most severe rule still held
    s.rule_index = *as.held_rule_index;
    s.clear_since_s.reset();
    s.look_back_from_s = t_s;
    Emit(s, EncounterKind::kUpdated, out);
  } else {
    End(s, t_s, "separated", out);
  }
}

void EncounterTracker::Refresh(PairState& s, const Track& self, const Track& other, double t_s,
                               const PairAssessment& as) {
  const bool swap = other.last.track_id < self.last.track_id;
  EncounterEvent& ev = s.latest;
  ev.a = swap ? other.last : self.last;
  ev.b = swap ? self.last : other.last;
  ev.time_s = t_s;
  ev.duration_s = t_s - ev.start_time_s;
  ev.horizontal_nm = units::m_to_nm(as.horizontal_m);
  ev.vertical_ft = as.vertical_ft;
  ev.time_to_cpa_s = as.cpa.time_s;
  ev.cpa_horizontal_nm = units::m_to_nm(as.cpa.horizontal_m);
  ev.cpa_vertical_ft = as.cpa.vertical_ft;
  const double closest_nm = units::m_to_nm(as.closest.horizontal_m);
  if (closest_nm < ev.closest.horizontal_nm) {
    ClosestSoFar& c = ev.closest;
    c.horizontal_nm = closest_nm;
    c.vertical_ft = as.closest.vertical_ft;
    c.time_s = as.closest.time_s;
    s.closest_a_ecef_m = swap ? as.closest.other_ecef_m : as.closest.self_ecef_m;
    s.closest_b_ecef_m = swap ? as.closest.self_ecef_m : as.closest.other_ecef_m;
    s.closest_stale = true;  // converted when next emitted or read: most refreshes are neither
  }
}

void EncounterTracker::ResolveClosest(const PairState& s, ClosestSoFar& c) {
  if (!s.closest_stale) return;
  ToLatLon(s.closest_a_ecef_m, c.a_lat_deg, c.a_lon_deg);
  ToLatLon(s.closest_b_ecef_m, c.b_lat_deg, c.b_lon_deg);
}

void EncounterTracker::End(PairState& s, double t_s, std::string_view reason,
                           std::vector<EncounterEvent>& out) {
  s.latest.time_s = t_s;
  s.latest.duration_s = t_s - s.latest.start_time_s;
  s.latest.end_reason = std::string(reason);
  Emit(s, EncounterKind::kEnded, out);
  --active_count_;
  // The pair stays known (pending, no violations) so that the next evaluation looks back no
  // further than this end; it is forgotten at its next quiet evaluation.
  s.active = false;
  s.history = 0;
  s.clear_since_s.reset();
  s.look_back_from_s = t_s;
}

void EncounterTracker::Forget(TrackHandle ha, const Track& ta, TrackHandle hb, const Track& tb,
                              double t_s, std::string_view reason,
                              std::vector<EncounterEvent>& out) {
  auto it = pairs_.find(PairKey(ha, hb));
  if (it == pairs_.end()) return;
  PairState& s = it->second;
  if (s.active) {
    const bool swap = tb.last.track_id < ta.last.track_id;
    s.latest.a = swap ? tb.last : ta.last;
    s.latest.b = swap ? ta.last : tb.last;
    End(s, t_s, reason, out);
  }
  pairs_.erase(it);
  Unlink(ha, hb);
  Unlink(hb, ha);
}

void EncounterTracker::Emit(PairState& s, EncounterKind kind, std::vector<EncounterEvent>& out) {
  const Rule& r = rules_[s.rule_index];
  s.latest.kind = kind;
  s.latest.rule = r.name;
  s.latest.severity = r.severity;
  s.latest.max_severity = std::max(s.latest.max_severity, r.severity);
  s.latest.sequence = next_sequence_++;
  ResolveClosest(s, s.latest.closest);
  s.closest_stale = false;
  out.push_back(s.latest);
  s.latest.end_reason.clear();
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
  out.reserve(active_count_);
  for (const auto& [key, s] : pairs_) {
    if (!s.active) continue;
    out.push_back(s.latest);
    ResolveClosest(s, out.back().closest);
  }
  std::sort(out.begin(), out.end(),
            [](const auto& x, const auto& y) { return x.encounter_id < y.encounter_id; });
  return out;
}

}  // namespace airprox
