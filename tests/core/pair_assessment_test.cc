#include "server/core/pair_assessment.h"

#include <gtest/gtest.h>

#include <random>

#include "server/core/track.h"
#include "tests/core/detector_fixture.h"

namespace airprox {
namespace {

using testing::Flight;

TEST(MayViolate, NeverClearsAPairThatAssessPairFlags) {
  // Random pairs near each other (up to 25 NM, +-1500 ft, any tracks and speeds, climbing or not,
  // with a previous fix 1 to 60 s earlier): whenever the exact check finds a rule violated, past or
  // ahead, the cheap prefilter must have let the pair through; and it must clear most far pairs.
  const auto rules = testing::DefaultRules();
  const RuleReach reach = ReachOf(rules);
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> unit(0, 1), dist(0, units::nm_to_m(25)), az(0, 360),
      gs(0, 600), dalt(-1500, 1500), vrate(-4000, 4000), gap(1, 60);
  int flagged = 0, cleared = 0;
  for (int i = 0; i < 20000; ++i) {
    const double t = 1000;
    const auto [lat, lon] = testing::Offset(46, 7, az(rng), dist(rng));
    const Flight a{"aaaaaa", 46, 7, t, az(rng), gs(rng), 30000, unit(rng) < 0.3 ? vrate(rng) : 0, ""};
    const Flight b{"bbbbbb", lat, lon, t, az(rng), gs(rng), 30000 + dalt(rng),
                   unit(rng) < 0.3 ? vrate(rng) : 0, ""};
    const double g = gap(rng);
    Track self = FollowTrack(MakeTrack(a.At(t - g)), a.At(t), 60);
    // The other reported a little earlier: it is extrapolated.
    const Track other = MakeTrack(b.At(t - 3 * unit(rng)));
    PairCheckOptions o;
    o.past_from_s = unit(rng) < 0.5 ? 0.0 : t - g * unit(rng);
    const PairAssessment as = AssessPair(self, other, testing::kT0 + t, rules, o);
    const bool may = MayViolate(self, other, testing::kT0 + t, reach, o);
    if (as.rule_index) {
      ++flagged;
      EXPECT_TRUE(may) << "pair " << i;
    }
    cleared += !may;
  }
  EXPECT_GT(flagged, 1000);
  EXPECT_GT(cleared, 5000);
}

TEST(MayViolate, ExactlyOnTheLargestMinimaStillGoesToTheExactCheck) {
  // Side by side exactly 5 NM apart, level, with a rule of current separation only: no violation
  // (minima are strict), but within the prefilter's slack, so the exact predicate decides.
  const std::vector<Rule> rules = {{"los", Severity::kWarning, 5.0, 1000.0, 0.0}};
  // (Half a metre over 5 NM along the geodesic: the core measures the slightly shorter chord.)
  const auto [lat, lon] = testing::Offset(46, 7, 0, units::nm_to_m(5) + 0.5);
  const Track self = MakeTrack(Flight{"aaaaaa", 46, 7, 0, 90, 400, 30000, 0, ""}.At(0));
  const Track other = MakeTrack(Flight{"bbbbbb", lat, lon, 0, 90, 400, 30000, 0, ""}.At(0));
  EXPECT_TRUE(MayViolate(self, other, testing::kT0, ReachOf(rules)));
  EXPECT_FALSE(AssessPair(self, other, testing::kT0, rules).rule_index);
  // 5 NM + 2 m: cleared.
  const auto [lat2, lon2] = testing::Offset(46, 7, 0, units::nm_to_m(5) + 2);
  const Track far = MakeTrack(Flight{"bbbbbb", lat2, lon2, 0, 90, 400, 30000, 0, ""}.At(0));
  EXPECT_FALSE(MayViolate(self, far, testing::kT0, ReachOf(rules)));
}

TEST(MayViolate, LevelPairsExactlyOnTheVerticalMinimumAreClearedAtOnce) {
  // Head-on on the same line, 1000 ft apart, both level: never a violation (vertical minima are
  // strict), and the prefilter clears the pair without slack. 1 ft closer: flagged by both.
  const auto rules = testing::DefaultRules();
  const auto [lat, lon] = testing::Offset(46, 7, 90, units::nm_to_m(10));
  const Flight a{"aaaaaa", 46, 7, 0, 90, 450, 30000, 0, ""};
  const Track self = FollowTrack(MakeTrack(a.At(-5)), a.At(0), 60);
  for (double dalt : {1000.0, -1000.0, 999.0, -999.0}) {
    const Track other = MakeTrack(Flight{"bbbbbb", lat, lon, 0, 270, 450, 30000 + dalt, 0, ""}.At(0));
    const bool flagged = AssessPair(self, other, testing::kT0, rules).rule_index.has_value();
    EXPECT_EQ(flagged, std::abs(dalt) < 1000) << dalt;
    EXPECT_EQ(MayViolate(self, other, testing::kT0, ReachOf(rules)), flagged) << dalt;
  }
  // Self stepped 25 ft between its fixes (a relative vertical rate over the past interval): the
  // past interval goes to the exact check, which alone decides.
  Track stepped = FollowTrack(MakeTrack(a.At(-5)), a.At(0), 60);
  Position step = a.At(5);
  step.alt_ft = 30025;
  stepped = FollowTrack(stepped, step, 60);
  const Track other = MakeTrack(Flight{"bbbbbb", lat, lon, 0, 270, 450, 31000, 0, ""}.At(5));
  EXPECT_TRUE(MayViolate(stepped, other, testing::kT0 + 5, ReachOf(rules)));
}

TEST(MayViolate, NeverClearsAPairOnFlightLevelsThatAssessPairFlags) {
  // As NeverClearsAPairThatAssessPairFlags, on flight levels (altitudes in steps of 100 ft, many
  // pairs exactly 1000 ft apart), level or not, with altitude steps of 25 ft between fixes.
  const auto rules = testing::DefaultRules();
  const RuleReach reach = ReachOf(rules);
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> unit(0, 1), dist(0, units::nm_to_m(25)), az(0, 360),
      gs(0, 600), vrate(-4000, 4000), gap(1, 60);
  std::uniform_int_distribution<int> levels(-12, 12), steps(-1, 1);
  int flagged = 0, cleared = 0;
  for (int i = 0; i < 20000; ++i) {
    const double t = 1000;
    const auto [lat, lon] = testing::Offset(46, 7, az(rng), dist(rng));
    const Flight a{"aaaaaa", 46, 7, t, az(rng), gs(rng), 30000, unit(rng) < 0.1 ? vrate(rng) : 0, ""};
    const Flight b{"bbbbbb", lat, lon, t, az(rng), gs(rng), 30000 + 100.0 * levels(rng),
                   unit(rng) < 0.1 ? vrate(rng) : 0, ""};
    const double g = gap(rng);
    Position before = a.At(t - g);
    *before.alt_ft += 25 * steps(rng);
    Track self = FollowTrack(MakeTrack(before), a.At(t), 60);
    const Track other = MakeTrack(b.At(t - 3 * unit(rng)));
    PairCheckOptions o;
    o.past_from_s = unit(rng) < 0.5 ? 0.0 : t - g * unit(rng);
    const bool exact = AssessPair(self, other, testing::kT0 + t, rules, o).rule_index.has_value();
    const bool may = MayViolate(self, other, testing::kT0 + t, reach, o);
    if (exact) {
      ++flagged;
      EXPECT_TRUE(may) << "pair " << i;
    }
    cleared += !may;
  }
  EXPECT_GT(flagged, 500);
  EXPECT_GT(cleared, 5000);
}

}  // namespace
}  // namespace airprox
