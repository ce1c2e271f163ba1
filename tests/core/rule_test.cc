#include "server/core/rule.h"

#include <gtest/gtest.h>

#include "server/core/position.h"

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

Position At(const char* id, const char* callsign, double lat, double lon, double alt_ft,
            const char* category = "") {
  Position p;
  p.track_id = id;
  p.callsign = callsign;
  p.lat_deg = lat;
  p.lon_deg = lon;
  p.alt_ft = alt_ft;
  p.category = category;
  return p;
}

TEST(Rule, ScopeAppliesWhenBothAircraftAreInside) {
  Rule r;
  r.scope.max_alt_ft = 10000;
  r.scope.region = {{47.0, 8.0}, {48.0, 8.0}, {48.0, 9.0}, {47.0, 9.0}};  // around Zurich
  const Position low = At("a", "", 47.5, 8.5, 4000), low2 = At("b", "", 47.4, 8.6, 5000);
  EXPECT_TRUE(RuleApplies(r, low, low2));
  EXPECT_FALSE(RuleApplies(r, low, At("c", "", 47.4, 8.6, 12000))) << "above the band";
  EXPECT_FALSE(RuleApplies(r, low, At("c", "", 46.9, 8.6, 5000))) << "outside the region";
  EXPECT_TRUE(RuleApplies(r, low, At("c", "", 47.4, 8.6, 10000))) << "the band is inclusive";
  r.scope.categories = {"A7"};
  EXPECT_FALSE(RuleApplies(r, low, low2)) << "unknown category does not match";
  EXPECT_TRUE(RuleApplies(r, At("a", "", 47.5, 8.5, 4000, "A7"), At("b", "", 47.4, 8.6, 5000, "A7")));
}

TEST(Rule, OnTheGroundOnlyWhenTheScopeSaysSo) {
  Rule r;
  Position air = At("a", "", 47.5, 8.5, 1400), ground = At("b", "", 47.5, 8.5, 1400);
  ground.on_ground = true;
  air.on_ground = false;
  EXPECT_TRUE(RuleApplies(r, air, air));
  EXPECT_FALSE(RuleApplies(r, air, ground));
  EXPECT_FALSE(RuleApplies(r, ground, ground));
  r.scope.on_ground = true;
  EXPECT_FALSE(r.scope.empty());
  EXPECT_TRUE(RuleApplies(r, air, ground));
  EXPECT_TRUE(RuleApplies(r, ground, ground));
  r.scope.max_alt_ft = 1000;  // other scope conditions still hold
  EXPECT_FALSE(RuleApplies(r, ground, ground));
}

TEST(Rule, RegionAcrossTheAntimeridian) {
  Rule r;
  r.scope.region = {{-20, 179}, {-20, -179}, {-15, -179}, {-15, 179}};
  EXPECT_TRUE(RuleApplies(r, At("a", "", -17, 179.9, 1), At("b", "", -17, -179.5, 1)));
  EXPECT_FALSE(RuleApplies(r, At("a", "", -17, 178.5, 1), At("b", "", -17, -179.5, 1)));
}

TEST(Rule, ExclusionsByIdOrCallsignPatternEitherWayRound) {
  Rule r;
  r.exclude = {{"39c424", "3900fb"}, {"swr*", "SWR*"}};
  const Position b787 = At("39c424", "AFR787V", 0, 0, 1), tbm = At("3900fb", "FWKDL", 0, 0, 1);
  EXPECT_FALSE(RuleApplies(r, b787, tbm));
  EXPECT_FALSE(RuleApplies(r, tbm, b787));
  EXPECT_TRUE(RuleApplies(r, b787, At("4b1814", "SWR12", 0, 0, 1)));
  EXPECT_FALSE(RuleApplies(r, At("4b1814", "SWR12", 0, 0, 1), At("4b1815", "SWR9K", 0, 0, 1)))
      << "own fleet";
  EXPECT_TRUE(RuleApplies(r, At("4b1814", "SWR12", 0, 0, 1), At("3c6444", "DLH4", 0, 0, 1)));
}

TEST(Rule, ValidateRulesChecksScopes) {
  Rule r{"x", Severity::kWarning, 5, 1000, 0};
  r.scope.min_alt_ft = 5000;
  r.scope.max_alt_ft = 1000;
  EXPECT_NE(ValidateRules({r}).message().find("min_alt_ft 5000 is above max_alt_ft 1000"), std::string::npos);
  r.scope = {};
  r.scope.region = {{1, 1}, {2, 2}};
  EXPECT_NE(ValidateRules({r}).message().find("at least 3 vertices"), std::string::npos);
}

}  // namespace
}  // namespace airprox
