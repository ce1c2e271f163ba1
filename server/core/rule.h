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

struct Rule {
  std::string name;
  Severity severity = Severity::kWarning;
  double horizontal_nm = 5.0;  // violated when horizontal separation < this ...
  double vertical_ft = 1000.0; // ... and vertical separation < this, at the same time
  double lookahead_s = 0.0;    // 0: current separation only; > 0: predicted within this horizon
};

// Names unique and non-empty, minima > 0 and finite, 0 <= lookahead_s <= 600, at least one rule.
Status ValidateRules(const std::vector<Rule>& rules);

}  // namespace airprox
