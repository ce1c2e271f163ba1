#include "server/core/rule.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

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
  }
  return Status::Ok();
}

}  // namespace airprox
