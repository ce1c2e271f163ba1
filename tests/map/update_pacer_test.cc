#include "server/map/update_pacer.h"

#include <gtest/gtest.h>

namespace airprox {
namespace {

TEST(UpdatePacer, TakesTheFirstUpdateAtOnce) {
  UpdatePacer pacer(2);
  EXPECT_TRUE(pacer.TryTake(1000.0));
}

TEST(UpdatePacer, RefusesUpdatesWithinTheIntervalAndTakesTheNextOneAfterIt) {
  UpdatePacer pacer(2);  // one per 0.5 s
  ASSERT_TRUE(pacer.TryTake(10.0));
  EXPECT_FALSE(pacer.TryTake(10.0));
  EXPECT_FALSE(pacer.TryTake(10.49));
  EXPECT_TRUE(pacer.TryTake(10.5));
  EXPECT_FALSE(pacer.TryTake(10.9));
  EXPECT_TRUE(pacer.TryTake(11.2));  // the interval counts from the update taken, not the refusals
}

TEST(UpdatePacer, NeverExceedsTheRateWhateverHowOftenItIsAsked) {
  for (const double rate : {0.5, 2.0, 10.0, 20.0}) {
    UpdatePacer pacer(rate);
    int taken = 0;
    const double span_s = 60;
    for (int ms = 0; ms < span_s * 1000; ++ms) taken += pacer.TryTake(ms / 1000.0) ? 1 : 0;
    EXPECT_LE(taken, static_cast<int>(span_s * rate) + 1) << rate;
    // Nor does it hold back much more: asked every millisecond, an update waits at most about 1 ms
    // past its interval.
    EXPECT_GE(taken, static_cast<int>(span_s * rate * 0.95)) << rate;
  }
}

}  // namespace
}  // namespace airprox
