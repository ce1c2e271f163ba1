#include "server/core/rule.h"

#include <gtest/gtest.h>

namespace airprox {
namespace {

TEST(Rule, SeverityNamesRoundTrip) {
  for (Severity s : {Severity::kAdvisory, Severity::kWarning, Severity::kAlert}) {
    EXPECT_EQ(ParseSeverity(SeverityName(s)), s);
  }
  EXPECT_EQ(ParseSeverity("alert"), Severity::kAlert);
  EXPECT_FALSE(ParseSeverity("severe"));
}

TEST(Rule, ValidateRulesNamesTheBadRule) {
  std::vector<Rule> rules = {{"a", Severity::kWarning, 5, 1000, 0}, {"a", Severity::kAlert, 1, 100, 0}};
  Status st = ValidateRules(rules);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("rules[1].name"), std::string::npos) << st.message();
  rules[1].name = "b";
  EXPECT_TRUE(ValidateRules(rules).ok());
  rules[1].vertical_ft = 0;
  st = ValidateRules(rules);
  EXPECT_NE(st.message().find("rules[1].vertical_ft"), std::string::npos) << st.message();
  EXPECT_FALSE(ValidateRules({}).ok());
}

}  // namespace
}  // namespace airprox
