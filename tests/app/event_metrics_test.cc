#include "server/app/event_metrics.h"

#include <gtest/gtest.h>

namespace airprox {
namespace {

EncounterEvent Event(EncounterKind kind, const std::string& id, const std::string& rule, Severity s) {
  EncounterEvent e;
  e.kind = kind;
  e.encounter_id = id;
  e.rule = rule;
  e.severity = s;
  return e;
}

TEST(EventMetrics, CountsStartsEscalationsAndActiveEncounters) {
  EventMetrics m;
  m.OnEvents({Event(EncounterKind::kStarted, "a", "conflict", Severity::kAdvisory),
              Event(EncounterKind::kStarted, "b", "conflict", Severity::kAdvisory),
              Event(EncounterKind::kUpdated, "a", "nmac", Severity::kAlert)});
  m.OnEvents({Event(EncounterKind::kUpdated, "a", "loss-of-separation", Severity::kWarning),  // down
              Event(EncounterKind::kEnded, "b", "conflict", Severity::kAdvisory)});
  const auto s = m.Read();
  EXPECT_EQ(s.events_by_kind.at("STARTED"), 2u);
  EXPECT_EQ(s.events_by_kind.at("UPDATED"), 2u);
  EXPECT_EQ(s.events_by_kind.at("ENDED"), 1u);
  EXPECT_EQ(s.started.at({"conflict", "ADVISORY"}), 2u);
  EXPECT_EQ(s.escalated.size(), 1u) << "a de-escalation is not an escalation";
  EXPECT_EQ(s.escalated.at({"nmac", "ALERT"}), 1u);
  EXPECT_EQ(s.active, 1);
}

}  // namespace
}  // namespace airprox
