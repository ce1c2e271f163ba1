#include "client/progress_bar.h"

#include <gtest/gtest.h>

namespace airprox::cli {
namespace {

TEST(ProgressBar, RendersBarPercentCountRateAndEta) {
  EXPECT_EQ(ProgressBar::Render(0.5, 1234567, 52310.7, 75, ""),
            "[############............]  50%  1,234,567 positions  52,310/s  ETA 1:15");
  EXPECT_EQ(ProgressBar::Render(1.0, 12, 3, 3725, "file 2/2"),
            "[########################] 100%  12 positions  3/s  ETA 1:02:05  file 2/2");
}

TEST(ProgressBar, UnknownFractionHasNoBarAndNoEta) {
  EXPECT_EQ(ProgressBar::Render(-1, 999, 1000, -1, "pass 3"), "999 positions  1,000/s  pass 3");
}

}  // namespace
}  // namespace airprox::cli
