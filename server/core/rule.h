// Separation rules: a named cylinder (horizontal and vertical minima) with a lookahead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/status.h"

namespace airprox {

enum class Severity : std::uint8_t { kAdvisory = 1, kWarning = 2, kAlert = 3 };

std::string_view SeverityName(Severity s);  // "ADVISORY", "WARNING", "ALERT"
std::optional<Severity> ParseSeverity(std::string_view name);  // case-insensitive

struct LatLon {
  double lat_deg = 0, lon_deg = 0;
};

// Where a rule applies: to a pair only when BOTH aircraft satisfy every condition given.
struct RuleScope {
  std::optional<double> min_alt_ft, max_alt_ft;  // altitude band, feet, inclusive
  std::vector<LatLon> region;                    // polygon (>= 3 vertices); empty: everywhere
  std::vector<std::string> categories;           // Position.category values; empty: any
  // Whether the rule also checks aircraft that report being on the ground (with an altitude).
  // False: a pair with an aircraft on the ground is never flagged by the rule.
  bool on_ground = false;
  bool empty() const {
    return !min_alt_ft && !max_alt_ft && region.empty() && categories.empty() && !on_ground;
  }
};

// A pair the rule never flags: one aircraft matches `a` and the other `b` (either way round).
// Patterns are shell globs (*, ?, [..]), matched case-insensitively against the track id and the
// callsign: ["39c424", "3900fb"] is one formation, ["SWR*", "SWR*"] one's own fleet.
struct PairExclusion {
  std::string a, b;
};

struct Rule {
  std::string name;
  Severity severity = Severity::kWarning;
  double horizontal_nm = 5.0;  // violated when horizontal separation < this ...
  double vertical_ft = 1000.0; // ... and vertical separation < this, at the same time
  double lookahead_s = 0.0;    // 0: current separation only; > 0: predicted within this horizon
  RuleScope scope{};
  std::vector<PairExclusion> exclude{};
};

struct Position;
// Whether `rule` applies to the pair (x, y) given their latest reports: scope (on the ground only
// with scope.on_ground) and exclusions.
bool RuleApplies(const Rule& rule, const Position& x, const Position& y);

// Names unique and non-empty, minima > 0 and finite, 0 <= lookahead_s <= 600, at least one rule;
// scopes with min <= max, polygons of >= 3 valid vertices, non-empty patterns.
Status ValidateRules(const std::vector<Rule>& rules);

}  // namespace airprox
