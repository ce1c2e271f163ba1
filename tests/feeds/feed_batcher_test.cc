#include "server/feeds/feed_batcher.h"

#include <gtest/gtest.h>

#include <chrono>

#include "tests/pipeline/busy_detection.h"

namespace airprox {
namespace {

Position At(int i) {
  Position p;
  p.track_id = "t" + std::to_string(i);
  p.time_s = 1500000000 + i;
  p.lat_deg = 10 + i * 0.01;
  p.lon_deg = 20;
  p.alt_ft = 30000;
  return p;
}

TEST(FeedBatcher, NeverBlocksAndDropsTheOldestWhileDetectionIsStalled) {
  DetectionLoop loop(DetectorOptions{}, {.queue_capacity = 1});
  loop.Start();
  testing::BusyDetection busy(loop);
  auto counters = std::make_shared<FeedCounters>();
  FeedBatcher batcher(loop, counters, /*batch_size=*/10, /*max_pending=*/32);
  // The first batch of 10 fills the queue; the rest wait, at most 32, the oldest dropped.
  for (int i = 0; i < 110; ++i) batcher.Add(At(i));
  EXPECT_LE(batcher.pending(), 32u);
  EXPECT_GT(counters->dropped.load(), 0u);
  EXPECT_EQ(counters->dropped.load() + batcher.pending() + 10, 110u) << "every position accounted for";
  busy.Release();
  // Detection free again: a flush goes in.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (batcher.pending() > 0 && std::chrono::steady_clock::now() < deadline) batcher.Flush();
  EXPECT_EQ(batcher.pending(), 0u);
  loop.Stop();
  EXPECT_EQ(counters->accepted.load() + counters->dropped.load(), 110u);
  EXPECT_EQ(counters->rejected.load(), 0u);
}

TEST(FeedBatcher, AStoppedLoopDropsAndCounts) {
  DetectionLoop loop(DetectorOptions{}, {});
  loop.Start();
  loop.Drain("shutdown");
  auto counters = std::make_shared<FeedCounters>();
  FeedBatcher batcher(loop, counters, 100, 1000);
  for (int i = 0; i < 5; ++i) batcher.Add(At(i));
  batcher.Flush();
  EXPECT_EQ(batcher.pending(), 0u);
  EXPECT_EQ(counters->dropped.load(), 5u);
  loop.Stop();
}

}  // namespace
}  // namespace airprox
