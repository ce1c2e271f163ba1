#include "server/core/encounter_filter.h"

#include <fnmatch.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "server/core/geo.h"

namespace airprox {
namespace {

bool Contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

bool AnyGlob(const std::vector<std::string>& patterns, const std::string& s) {
  for (const auto& p : patterns) {
    if (!s.empty() && fnmatch(p.c_str(), s.c_str(), FNM_CASEFOLD) == 0) return true;
  }
  return false;
}

}  // namespace

bool EncounterFilter::Matches(const EncounterEvent& e) const {
  if (e.severity < min_severity) return false;
  if (!rules.empty() && !Contains(rules, e.rule)) return false;
  if (!track_ids.empty() && !Contains(track_ids, e.a.track_id) && !Contains(track_ids, e.b.track_id)) {
    return false;
  }
  if (!callsign_patterns.empty() && !AnyGlob(callsign_patterns, e.a.callsign) &&
      !AnyGlob(callsign_patterns, e.b.callsign)) {
    return false;
  }
  if (!area.empty() && !geo::InsidePolygon(e.a.lat_deg, e.a.lon_deg, area) &&
      !geo::InsidePolygon(e.b.lat_deg, e.b.lon_deg, area)) {
    return false;
  }
  return true;
}

Status ValidateFilter(const EncounterFilter& f, const FilterLimits& limits,
                      const std::vector<Rule>* rules) {
  if (!f.area.empty() && f.area.size() < 3) {
    return InvalidArgument("filter_area", fmt::format("area: a polygon needs at least 3 vertices, got {}",
                                                      f.area.size()));
  }
  if (f.area.size() > limits.max_vertices) {
    return InvalidArgument("filter_max_vertices",
                           fmt::format("area: {} vertices, more than the limit of {} "
                                       "(limits.filter_max_vertices)",
                                       f.area.size(), limits.max_vertices));
  }
  for (const LatLon& v : f.area) {
    if (!(std::abs(v.lat_deg) <= 90 && std::abs(v.lon_deg) <= 180)) {
      return InvalidArgument("filter_area", fmt::format("area: vertex ({}, {}) is not a latitude and "
                                                        "longitude in degrees",
                                                        v.lat_deg, v.lon_deg));
    }
  }
  for (const auto* list : {&f.rules, &f.track_ids, &f.callsign_patterns}) {
    if (list->size() > limits.max_entries) {
      return InvalidArgument("filter_max_entries",
                             fmt::format("a filter list has {} entries, more than the limit of {} "
                                         "(limits.filter_max_entries)",
                                         list->size(), limits.max_entries));
    }
  }
  for (const std::string& p : f.callsign_patterns) {
    if (p.size() > limits.max_pattern_bytes) {
      return InvalidArgument("filter_max_pattern_bytes",
                             fmt::format("a callsign pattern of {} bytes, more than the limit of {} "
                                         "(limits.filter_max_pattern_bytes)",
                                         p.size(), limits.max_pattern_bytes));
    }
  }
  for (std::size_t i = 0; rules && i < f.rules.size(); ++i) {
    auto named = [&](const Rule& r) { return r.name == f.rules[i]; };
    if (std::none_of(rules->begin(), rules->end(), named)) {
      std::string known;
      for (const Rule& r : *rules) known += (known.empty() ? "" : ", ") + r.name;
      return InvalidArgument("filter_unknown_rule",
                             fmt::format("rules[{}] = \"{}\" is not a configured rule (rules: {})", i,
                                         f.rules[i], known));
    }
  }
  return Status::Ok();
}

bool EncounterSelection::Select(const EncounterEvent& e) {
  if (everything_) return true;
  const bool ended = e.kind == EncounterKind::kEnded;
  auto it = following_.find(e.encounter_id);
  if (it != following_.end()) {
    if (ended) following_.erase(it);
    return true;
  }
  if (!filter_.Matches(e)) return false;
  if (!ended) following_.insert(e.encounter_id);
  return true;
}

}  // namespace airprox
