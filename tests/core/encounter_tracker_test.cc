#include "server/core/encounter_tracker.h"

#include <gtest/gtest.h>

#include "tests/core/detector_fixture.h"

namespace airprox {
namespace {

Track At(const std::string& id, double t) {
  Position p;
  p.track_id = id;
  p.time_s = t;
  p.lat_deg = 47;
  p.lon_deg = 8;
  p.alt_ft = 30000;
  return MakeTrack(p);
}

// rule 0: conflict (ADVISORY), 1: loss-of-separation (WARNING), 2: nmac (ALERT)
PairAssessment Seen(std::optional<std::size_t> rule, double h_m = 1000,
                    std::optional<std::size_t> held = std::nullopt) {
  PairAssessment a;
  a.horizontal_m = h_m;
  a.vertical_ft = 500;
  a.rule_index = rule;
  a.now_rule_index = rule;
  a.held_rule_index = held ? held : rule;
  a.closest.horizontal_m = h_m;
  a.closest.vertical_ft = 500;
  return a;
}

AlertingOptions Immediate() {
  AlertingOptions o;
  o.confirm_hits = 1;
  o.confirm_window = 1;
  o.end_hold_s = 0;
  return o;
}

class Pair {
 public:
  explicit Pair(AlertingOptions o) : tracker(testing::DefaultRules(), o) {}
  // Alternates which aircraft reports, as real traffic does.
  void Observe(double t, PairAssessment as) {
    z.last.time_s = y.last.time_s = t;
    as.closest.time_s = t;
    flip_ = !flip_;
    if (flip_) {
      tracker.Observe(1, z, 2, y, t, as, out);
    } else {
      tracker.Observe(2, y, 1, z, t, as, out);
    }
  }
  EncounterTracker tracker;
  Track z = At("zzz", 0), y = At("aaa", 0);
  std::vector<EncounterEvent> out;

 private:
  bool flip_ = false;
};

TEST(EncounterTracker, OneEncounterPerEpisodeWithSeverityChangesAsUpdates) {
  Pair p(Immediate());
  p.Observe(10, Seen(0, 5000));
  p.Observe(11, Seen(0, 4000));  // same rule: no event
  p.Observe(12, Seen(1, 3000));  // escalation
  p.Observe(13, Seen(0, 3500));  // de-escalation (no hold)
  p.Observe(14, Seen(std::nullopt, 20000));
  auto& out = p.out;
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].kind, EncounterKind::kStarted);
  EXPECT_EQ(out[1].kind, EncounterKind::kUpdated);
  EXPECT_EQ(out[1].rule, "loss-of-separation");
  EXPECT_EQ(out[1].severity, Severity::kWarning);
  EXPECT_EQ(out[2].kind, EncounterKind::kUpdated);
  EXPECT_EQ(out[2].rule, "conflict");
  EXPECT_EQ(out[3].kind, EncounterKind::kEnded);
  EXPECT_EQ(out[3].end_reason, "separated");
  for (const auto& e : out) {
    EXPECT_EQ(e.encounter_id, "aaa-zzz-10000");
    EXPECT_EQ(e.a.track_id, "aaa");
    EXPECT_EQ(e.b.track_id, "zzz");
    EXPECT_EQ(e.start_time_s, 10);
  }
  EXPECT_EQ(out[3].max_severity, Severity::kWarning);
  EXPECT_EQ(out[3].duration_s, 4);
  EXPECT_NEAR(out[3].closest.horizontal_nm, 3000 / 1852.0, 1e-12);
  EXPECT_EQ(out[3].closest.time_s, 12);
  EXPECT_NEAR(out[3].horizontal_nm, 20000 / 1852.0, 1e-12) << "ENDED carries the separation at the end";
  EXPECT_EQ(p.tracker.active(), 0u);
}

TEST(EncounterTracker, ConfirmationNeedsMOfN) {
  AlertingOptions o = Immediate();
  o.confirm_hits = 2;
  o.confirm_window = 3;
  Pair p(o);
  p.Observe(1, Seen(1));             // 1 of 1
  p.Observe(2, Seen(std::nullopt));  // 1 of 2
  p.Observe(3, Seen(std::nullopt));  // 1 of 3
  p.Observe(4, Seen(std::nullopt));  // 0 of 3: forgotten
  EXPECT_TRUE(p.out.empty());
  EXPECT_FALSE(p.tracker.LastEvaluated(1, 2));
  p.Observe(5, Seen(1));
  p.Observe(6, Seen(std::nullopt));
  EXPECT_TRUE(p.out.empty());
  p.Observe(7, Seen(1));  // 2 of the last 3
  ASSERT_EQ(p.out.size(), 1u);
  EXPECT_EQ(p.out[0].kind, EncounterKind::kStarted);
  EXPECT_EQ(p.out[0].start_time_s, 7);
}

TEST(EncounterTracker, EscalationIsImmediateDeEscalationAndEndWaitForTheHold) {
  AlertingOptions o = Immediate();
  o.end_hold_s = 10;
  Pair p(o);
  p.Observe(0, Seen(1));
  p.Observe(1, Seen(2));  // escalation to nmac at once
  ASSERT_EQ(p.out.size(), 2u);
  EXPECT_EQ(p.out[1].rule, "nmac");
  // Within the margin of nmac (held) but not violating it: no change however long.
  for (int t = 2; t < 30; ++t) p.Observe(t, Seen(1, 1000, 2));
  EXPECT_EQ(p.out.size(), 2u);
  // Clear of nmac with margin: de-escalates after 10 s, not before.
  for (int t = 30; t < 40; ++t) p.Observe(t, Seen(1, 1000, 1));
  EXPECT_EQ(p.out.size(), 2u);
  p.Observe(40, Seen(1, 1000, 1));
  ASSERT_EQ(p.out.size(), 3u);
  EXPECT_EQ(p.out[2].kind, EncounterKind::kUpdated);
  EXPECT_EQ(p.out[2].rule, "loss-of-separation");
  EXPECT_EQ(p.out[2].max_severity, Severity::kAlert);
  // A violation during the hold restarts it.
  p.Observe(41, Seen(std::nullopt, 9000, std::nullopt));
  p.Observe(45, Seen(1));
  p.Observe(50, Seen(std::nullopt, 9000, std::nullopt));
  p.Observe(59, Seen(std::nullopt, 9000, std::nullopt));
  EXPECT_EQ(p.out.size(), 3u);
  p.Observe(60, Seen(std::nullopt, 9000, std::nullopt));
  ASSERT_EQ(p.out.size(), 4u);
  EXPECT_EQ(p.out[3].kind, EncounterKind::kEnded);
  EXPECT_EQ(p.out[3].time_s, 60);
  EXPECT_EQ(p.out[3].max_severity, Severity::kAlert);
}

TEST(EncounterTracker, EndAllOfEndsEveryEncounterOfATrack) {
  EncounterTracker tracker(testing::DefaultRules(), Immediate());
  std::vector<EncounterEvent> out;
  std::vector<Track> tracks = {At("a", 1), At("b", 1), At("c", 1)};
  tracker.Observe(0, tracks[0], 1, tracks[1], 1, Seen(1), out);
  tracker.Observe(0, tracks[0], 2, tracks[2], 1, Seen(1), out);
  tracker.Observe(1, tracks[1], 2, tracks[2], 1, Seen(1), out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(tracker.PartnersOf(0).size(), 2u);
  tracker.EndAllOf(0, 5, "track_dropped", [&](TrackHandle h) -> const Track& { return tracks[h]; },
                   out);
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[3].kind, EncounterKind::kEnded);
  EXPECT_EQ(out[4].kind, EncounterKind::kEnded);
  EXPECT_EQ(out[4].end_reason, "track_dropped");
  EXPECT_EQ(tracker.active(), 1u);
  EXPECT_TRUE(tracker.PartnersOf(0).empty());
  EXPECT_EQ(tracker.Active().front().encounter_id, "b-c-1000");
}

}  // namespace
}  // namespace airprox
