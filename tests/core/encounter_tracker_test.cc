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

PairAssessment Violating(std::optional<std::size_t> rule, double h_m = 1000) {
  PairAssessment a;
  a.horizontal_m = h_m;
  a.vertical_ft = 500;
  a.rule_index = rule;
  return a;
}

TEST(EncounterTracker, OneEncounterPerEpisodeWithSeverityChangesAsUpdates) {
  EncounterTracker tracker(testing::DefaultRules());
  std::vector<EncounterEvent> out;
  // Handles are given in the "wrong" order: a/b must still be ordered by track id.
  const Track z = At("zzz", 10), y = At("aaa", 10);
  tracker.Observe(1, z, 2, y, 10, Violating(0, 5000), out);
  tracker.Observe(1, z, 2, y, 11, Violating(0, 4000), out);   // same rule: no event
  tracker.Observe(2, y, 1, z, 12, Violating(1, 3000), out);   // escalation
  tracker.Observe(1, z, 2, y, 13, Violating(0, 3500), out);   // de-escalation
  tracker.Observe(1, z, 2, y, 14, Violating(std::nullopt, 20000), out);
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
  }
  EXPECT_NEAR(out[3].closest.horizontal_nm, 3000 / 1852.0, 1e-12);
  EXPECT_EQ(out[3].closest.time_s, 12);
  EXPECT_NEAR(out[3].horizontal_nm, 20000 / 1852.0, 1e-12) << "ENDED carries the separation at the end";
  EXPECT_EQ(tracker.size(), 0u);
  EXPECT_TRUE(tracker.PartnersOf(1).empty());
}

TEST(EncounterTracker, EndAllOfEndsEveryEncounterOfATrack) {
  EncounterTracker tracker(testing::DefaultRules());
  std::vector<EncounterEvent> out;
  std::vector<Track> tracks = {At("a", 1), At("b", 1), At("c", 1)};
  tracker.Observe(0, tracks[0], 1, tracks[1], 1, Violating(1), out);
  tracker.Observe(0, tracks[0], 2, tracks[2], 1, Violating(1), out);
  tracker.Observe(1, tracks[1], 2, tracks[2], 1, Violating(1), out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(tracker.PartnersOf(0).size(), 2u);
  tracker.EndAllOf(0, 5, "track_dropped", [&](TrackHandle h) -> const Track& { return tracks[h]; },
                   out);
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[3].kind, EncounterKind::kEnded);
  EXPECT_EQ(out[4].kind, EncounterKind::kEnded);
  EXPECT_EQ(out[4].end_reason, "track_dropped");
  EXPECT_EQ(tracker.size(), 1u);
  EXPECT_EQ(tracker.Active().front().encounter_id, "b-c-1000");
}

}  // namespace
}  // namespace airprox
