#include "server/log/log_rate_limit.h"

#include <gtest/gtest.h>

namespace airprox {
namespace {

using std::chrono::milliseconds;

TEST(LogRateLimit, AdmitsAFewLinesASecondAndReportsHowManyWereSuppressedWithTheNextOne) {
  LogRateLimit limit(3);
  const LogRateLimit::Clock::time_point t0{};
  for (int i = 0; i < 3; ++i) {
    const LogRateLimit::Verdict v = limit.Admit(t0 + milliseconds(i));
    EXPECT_TRUE(v.log) << i;
    EXPECT_EQ(v.suppressed, 0u) << i;
  }
  for (int i = 3; i < 10; ++i) EXPECT_FALSE(limit.Admit(t0 + milliseconds(i)).log) << i;
  EXPECT_FALSE(limit.Admit(t0 + milliseconds(999)).log) << "the same second";
  const LogRateLimit::Verdict next = limit.Admit(t0 + milliseconds(1000));
  EXPECT_TRUE(next.log) << "a new second";
  EXPECT_EQ(next.suppressed, 8u);
  const LogRateLimit::Verdict after = limit.Admit(t0 + milliseconds(1001));
  EXPECT_TRUE(after.log);
  EXPECT_EQ(after.suppressed, 0u) << "reported once";
}

TEST(LogRateLimit, TheWindowStartsAtTheFirstLineAfterTheLastOneEnded) {
  LogRateLimit limit(1);
  const LogRateLimit::Clock::time_point t0{};
  EXPECT_TRUE(limit.Admit(t0 + milliseconds(5000)).log);
  EXPECT_FALSE(limit.Admit(t0 + milliseconds(5999)).log);
  const LogRateLimit::Verdict v = limit.Admit(t0 + milliseconds(7500));
  EXPECT_TRUE(v.log);
  EXPECT_EQ(v.suppressed, 1u);
  EXPECT_FALSE(limit.Admit(t0 + milliseconds(8400)).log) << "the window began at 7.5 s";
  EXPECT_TRUE(limit.Admit(t0 + milliseconds(8500)).log);
}

}  // namespace
}  // namespace airprox
