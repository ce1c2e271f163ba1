#include "server/core/encounter_filter.h"

#include <gtest/gtest.h>

namespace airprox {
namespace {

EncounterEvent Event(EncounterKind kind, Severity severity, const char* rule, double lat = 47,
                     double lon = 8) {
  EncounterEvent e;
  e.encounter_id = "4b1814-3c6444-1000";
  e.kind = kind;
  e.severity = severity;
  e.rule = rule;
  e.a.track_id = "3c6444";
  e.a.callsign = "DLH4";
  e.a.lat_deg = lat;
  e.a.lon_deg = lon;
  e.b.track_id = "4b1814";
  e.b.callsign = "SWR12";
  e.b.lat_deg = lat + 0.05;
  e.b.lon_deg = lon;
  return e;
}

TEST(EncounterFilter, EveryConditionMustHold) {
  const EncounterEvent e = Event(EncounterKind::kStarted, Severity::kWarning, "loss-of-separation");
  EXPECT_TRUE(EncounterFilter{}.Matches(e));
  EncounterFilter f;
  f.min_severity = Severity::kAlert;
  EXPECT_FALSE(f.Matches(e));
  f.min_severity = Severity::kWarning;
  EXPECT_TRUE(f.Matches(e));
  f.rules = {"nmac"};
  EXPECT_FALSE(f.Matches(e));
  f.rules = {"nmac", "loss-of-separation"};
  EXPECT_TRUE(f.Matches(e));
  f.track_ids = {"4b1814"};
  EXPECT_TRUE(f.Matches(e)) << "either aircraft";
  f.callsign_patterns = {"dlh*"};
  EXPECT_TRUE(f.Matches(e)) << "case-insensitive glob";
  f.callsign_patterns = {"AFR*"};
  EXPECT_FALSE(f.Matches(e));
  f.callsign_patterns.clear();
  f.area = {{46, 7}, {46, 9}, {47.02, 9}, {47.02, 7}};  // holds a (47.00) but not b (47.05)
  EXPECT_TRUE(f.Matches(e));
  f.area = {{48, 7}, {48, 9}, {49, 9}, {49, 7}};
  EXPECT_FALSE(f.Matches(e));
}

TEST(EncounterSelection, FollowsAnEncounterToItsEnd) {
  EncounterFilter f;
  f.min_severity = Severity::kWarning;
  EncounterSelection s(f);
  EXPECT_FALSE(s.Select(Event(EncounterKind::kStarted, Severity::kAdvisory, "conflict")));
  EXPECT_TRUE(s.Select(Event(EncounterKind::kUpdated, Severity::kWarning, "loss-of-separation")));
  // De-escalated below the minimum, then ended: still delivered, so it does not hang open.
  EXPECT_TRUE(s.Select(Event(EncounterKind::kUpdated, Severity::kAdvisory, "conflict")));
  EXPECT_TRUE(s.Select(Event(EncounterKind::kEnded, Severity::kAdvisory, "conflict")));
  // Forgotten after its end.
  EXPECT_FALSE(s.Select(Event(EncounterKind::kStarted, Severity::kAdvisory, "conflict")));
}

TEST(EncounterFilter, MatchesEverythingOnlyWithoutConditions) {
  EXPECT_TRUE(EncounterFilter{}.MatchesEverything());
  const std::vector<void (*)(EncounterFilter&)> conditions = {
      [](EncounterFilter& f) { f.min_severity = Severity::kWarning; },
      [](EncounterFilter& f) { f.rules = {"nmac"}; },
      [](EncounterFilter& f) { f.track_ids = {"aaaaaa"}; },
      [](EncounterFilter& f) { f.callsign_patterns = {"SWR*"}; },
      [](EncounterFilter& f) { f.area = {{1, 1}, {1, 2}, {2, 2}}; },
  };
  for (auto add : conditions) {
    EncounterFilter f;
    add(f);
    EXPECT_FALSE(f.MatchesEverything());
  }
  // Its selection takes every event, ENDED ones of encounters it never saw start included.
  EncounterSelection all{EncounterFilter{}};
  EXPECT_TRUE(all.Select(Event(EncounterKind::kEnded, Severity::kAdvisory, "conflict")));
  EXPECT_TRUE(all.Select(Event(EncounterKind::kStarted, Severity::kAlert, "nmac")));
}

TEST(EncounterFilter, ValidationNamesTheProblem) {
  EncounterFilter f;
  f.area = {{1, 1}, {2, 2}};
  EXPECT_NE(ValidateFilter(f).message().find("at least 3 vertices"), std::string::npos);
  f.area = {{1, 1}, {2, 2}, {95, 2}};
  EXPECT_NE(ValidateFilter(f).message().find("(95, 2)"), std::string::npos);
  f.area.clear();
  f.rules.assign(1001, "x");
  EXPECT_NE(ValidateFilter(f).message().find("limit of 1000"), std::string::npos);
}

TEST(EncounterFilter, RuleNamesMustBeConfiguredOnes) {
  std::vector<Rule> rules(2);
  rules[0].name = "conflict";
  rules[1].name = "nmac";
  EncounterFilter f;
  f.rules = {"nmac", "conflict"};
  EXPECT_TRUE(ValidateFilter(f, {}, &rules).ok());
  f.rules.push_back("NMAC");
  const Status st = ValidateFilter(f, {}, &rules);
  EXPECT_EQ(st.reason(), "filter_unknown_rule");
  EXPECT_NE(st.message().find("rules[2] = \"NMAC\" is not a configured rule (rules: conflict, nmac)"),
            std::string::npos)
      << st.message();
  EXPECT_TRUE(ValidateFilter(f).ok()) << "without the configured rules, names are not checked";
}

TEST(EncounterFilter, EachComplexityLimitIsNamedWithItsValue) {
  FilterLimits limits;
  limits.max_vertices = 4;
  limits.max_entries = 2;
  limits.max_pattern_bytes = 8;
  EncounterFilter f;
  f.area = {{1, 1}, {1, 2}, {2, 2}, {2, 1}};
  f.rules = {"a", "b"};
  f.callsign_patterns = {"SWR*", "12345678"};
  EXPECT_TRUE(ValidateFilter(f, limits).ok());
  struct Case {
    void (*mutate)(EncounterFilter&);
    const char* reason;
    const char* key;
  };
  const Case cases[] = {
      {[](EncounterFilter& x) { x.area.push_back({1.5, 0.5}); }, "filter_max_vertices",
       "limit of 4 (limits.filter_max_vertices)"},
      {[](EncounterFilter& x) { x.track_ids = {"a", "b", "c"}; }, "filter_max_entries",
       "limit of 2 (limits.filter_max_entries)"},
      {[](EncounterFilter& x) { x.callsign_patterns.back() += "9"; }, "filter_max_pattern_bytes",
       "limit of 8 (limits.filter_max_pattern_bytes)"},
  };
  for (const Case& c : cases) {
    EncounterFilter g = f;
    c.mutate(g);
    const Status st = ValidateFilter(g, limits);
    EXPECT_EQ(st.reason(), c.reason);
    EXPECT_NE(st.message().find(c.key), std::string::npos) << st.message();
  }
}

}  // namespace
}  // namespace airprox
