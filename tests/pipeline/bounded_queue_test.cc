#include "server/pipeline/bounded_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace airprox {
namespace {

TEST(BoundedQueue, TryPushRefusesWhenFullAndCounts) {
  BoundedQueue<int> q(2);
  EXPECT_TRUE(q.TryPush(1));
  EXPECT_TRUE(q.TryPush(2));
  EXPECT_FALSE(q.TryPush(3));
  EXPECT_EQ(q.refused_pushes(), 1u);
  EXPECT_EQ(q.Pop(), 1);
  EXPECT_TRUE(q.TryPush(3));
  EXPECT_EQ(q.size(), 2u);
}

TEST(BoundedQueue, PushBlocksUntilThereIsRoom) {
  BoundedQueue<int> q(1);
  ASSERT_TRUE(q.Push(1));
  std::atomic<bool> pushed{false};
  std::thread producer([&] {
    q.Push(2);
    pushed = true;
  });
  while (q.blocked_pushes() == 0) std::this_thread::yield();
  EXPECT_FALSE(pushed.load());
  EXPECT_EQ(q.Pop(), 1);
  producer.join();
  EXPECT_TRUE(pushed.load());
  EXPECT_EQ(q.Pop(), 2);
  EXPECT_EQ(q.blocked_pushes(), 1u);
}

TEST(BoundedQueue, CloseDrainsThenEnds) {
  BoundedQueue<int> q(4);
  q.Push(1);
  q.Push(2);
  q.Close();
  EXPECT_FALSE(q.Push(3));
  EXPECT_EQ(q.Pop(), 1);
  EXPECT_EQ(q.Pop(), 2);
  EXPECT_EQ(q.Pop(), std::nullopt);
}

TEST(BoundedQueue, CloseWakesABlockedProducer) {
  BoundedQueue<int> q(1);
  q.Push(1);
  std::thread producer([&] { EXPECT_FALSE(q.Push(2)); });
  while (q.blocked_pushes() == 0) std::this_thread::yield();
  q.Close();
  producer.join();
}

}  // namespace
}  // namespace airprox
