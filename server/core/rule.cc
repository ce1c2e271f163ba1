#include "server/core/rule.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include <fnmatch.h>

#include "server/core/geo.h"
#include "server/core/position.h"

namespace airprox {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kAdvisory: return "ADVISORY";
    case Severity::kWarning: return "WARNING";
    case Severity::kAlert: return "ALERT";
  }
  return "UNKNOWN";
}

std::optional<Severity> ParseSeverity(std::string_view name) {
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  for (Severity s : {Severity::kAdvisory, Severity::kWarning, Severity::kAlert}) {
    if (upper == SeverityName(s)) return s;
  }
  return std::nullopt;
}

namespace {

bool InScope(const RuleScope& s, const Position& p) {
  const double alt = p.alt_ft.value_or(0);
  if (s.min_alt_ft && alt < *s.min_alt_ft) return false;
  if (s.max_alt_ft && alt > *s.max_alt_ft) return false;
  if (!s.region.empty() && !geo::InsidePolygon(p.lat_deg, p.lon_deg, s.region)) return false;
  if (!s.categories.empty() &&
      std::find(s.categories.begin(), s.categories.end(), p.category) == s.categories.end()) {
    return false;
  }
  return true;
}

bool Matches(const std::string& pattern, const Position& p) {
  auto match = [&](const std::string& s) {
    return !s.empty() && fnmatch(pattern.c_str(), s.c_str(), FNM_CASEFOLD) == 0;
  };
  return match(p.track_id) || match(p.callsign);
}

}  // namespace

bool RuleApplies(const Rule& rule, const Position& x, const Position& y) {
  if (!rule.scope.on_ground && (x.on_ground.value_or(false) || y.on_ground.value_or(false))) {
    return false;
  }
  if (!rule.scope.empty() && !(InScope(rule.scope, x) && InScope(rule.scope, y))) return false;
  for (const PairExclusion& e : rule.exclude) {
    if ((Matches(e.a, x) && Matches(e.b, y)) || (Matches(e.a, y) && Matches(e.b, x))) return false;
  }
  return true;
}

Status ValidateRules(const std::vector<Rule>& rules) {
  if (rules.empty()) return InvalidArgument("no_rules", "rules: at least one rule is required");
  std::set<std::string> names;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const Rule& r = rules[i];
    const std::string where = fmt::format("rules[{}]", i);
    if (r.name.empty()) return InvalidArgument("rule_name", where + ".name: must not be empty");
    if (!names.insert(r.name).second) {
      return InvalidArgument("rule_name", fmt::format("{}.name: '{}' is used twice", where, r.name));
    }
    if (!(std::isfinite(r.horizontal_nm) && r.horizontal_nm > 0 && r.horizontal_nm <= 100)) {
      return InvalidArgument("rule_horizontal",
                             fmt::format("{}.horizontal_nm: {} is not in (0, 100]", where, r.horizontal_nm));
    }
    if (!(std::isfinite(r.vertical_ft) && r.vertical_ft > 0 && r.vertical_ft <= 10000)) {
      return InvalidArgument("rule_vertical",
                             fmt::format("{}.vertical_ft: {} is not in (0, 10000]", where, r.vertical_ft));
    }
    if (!(std::isfinite(r.lookahead_s) && r.lookahead_s >= 0 && r.lookahead_s <= 600)) {
      return InvalidArgument("rule_lookahead",
                             fmt::format("{}.lookahead_s: {} is not in [0, 600]", where, r.lookahead_s));
    }
    const RuleScope& s = r.scope;
    if (s.min_alt_ft && s.max_alt_ft && *s.min_alt_ft > *s.max_alt_ft) {
      return InvalidArgument("rule_scope", fmt::format("{}.applies: min_alt_ft {} is above max_alt_ft {}",
                                                       where, *s.min_alt_ft, *s.max_alt_ft));
    }
    if (!s.region.empty() && s.region.size() < 3) {
      return InvalidArgument("rule_scope", fmt::format("{}.applies.region: a polygon needs at least 3 "
                                                       "vertices, got {}",
                                                       where, s.region.size()));
    }
    for (const LatLon& v : s.region) {
      if (!(std::abs(v.lat_deg) <= 90 && std::abs(v.lon_deg) <= 180)) {
        return InvalidArgument("rule_scope", fmt::format("{}.applies.region: vertex [{}, {}] is not a "
                                                         "latitude and longitude in degrees",
                                                         where, v.lat_deg, v.lon_deg));
      }
    }
    for (const PairExclusion& e : r.exclude) {
      if (e.a.empty() || e.b.empty()) {
        return InvalidArgument("rule_exclude", where + ".exclude: a pattern is empty");
      }
    }
  }
  return Status::Ok();
}

}  // namespace airprox
