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

}  // namespace
}  // namespace airprox
