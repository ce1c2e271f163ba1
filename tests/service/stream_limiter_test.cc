#include "server/service/stream_limiter.h"

#include <gtest/gtest.h>

#include <utility>

namespace airprox {
namespace {

TEST(StreamLimiter, PeerAddressDropsTheSchemeAndThePort) {
  EXPECT_EQ(StreamLimiter::PeerAddress("ipv4:127.0.0.1:40312"), "127.0.0.1");
  EXPECT_EQ(StreamLimiter::PeerAddress("ipv6:[::1]:5"), "::1");
  EXPECT_EQ(StreamLimiter::PeerAddress("ipv6:%5B::1%5D:5"), "%5B::1%5D");  // as it is, minus the port
  EXPECT_EQ(StreamLimiter::PeerAddress("unix:/run/airprox.sock"), "unix:/run/airprox.sock");
}

TEST(StreamLimiter, EachLimitIsEnforcedNamedAndCounted) {
  LimitCounters counters;
  StreamLimiter limiter({/*max_streams=*/4, /*max_streams_per_peer=*/2, /*max_subscribers=*/1}, counters);
  StreamSlot a1, a2, a3, b1, b2, c1, d1;
  ASSERT_TRUE(limiter.Acquire("ipv4:10.0.0.1:1000", StreamKind::kSubscribe, a1).ok());
  ASSERT_TRUE(limiter.Acquire("ipv4:10.0.0.1:1001", StreamKind::kIngest, a2).ok());
  Status st = limiter.Acquire("ipv4:10.0.0.1:1002", StreamKind::kIngest, a3);  // same address, other port
  EXPECT_EQ(st.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(st.reason(), "max_streams_per_peer");
  EXPECT_NE(st.message().find("limits.max_streams_per_peer = 2"), std::string::npos) << st.message();
  EXPECT_FALSE(a3.held());
  st = limiter.Acquire("ipv4:10.0.0.2:1000", StreamKind::kSubscribe, b1);
  EXPECT_EQ(st.reason(), "max_subscribers");
  EXPECT_NE(st.message().find("limits.max_subscribers = 1"), std::string::npos) << st.message();
  ASSERT_TRUE(limiter.Acquire("ipv4:10.0.0.2:1000", StreamKind::kIngest, b1).ok());
  ASSERT_TRUE(limiter.Acquire("ipv4:10.0.0.3:1000", StreamKind::kIngest, c1).ok());
  st = limiter.Acquire("ipv4:10.0.0.4:1000", StreamKind::kIngest, d1);
  EXPECT_EQ(st.reason(), "max_streams");
  EXPECT_NE(st.message().find("limits.max_streams = 4"), std::string::npos) << st.message();
  EXPECT_EQ(limiter.streams(), 4u);
  EXPECT_EQ(counters.count(Limit::kMaxStreamsPerPeer), 1u);
  EXPECT_EQ(counters.count(Limit::kMaxSubscribers), 1u);
  EXPECT_EQ(counters.count(Limit::kMaxStreams), 1u);

  a1 = StreamSlot();  // a subscriber of 10.0.0.1 gives its place back
  EXPECT_EQ(limiter.streams(), 3u);
  ASSERT_TRUE(limiter.Acquire("ipv4:10.0.0.2:1001", StreamKind::kSubscribe, b2).ok());
  EXPECT_FALSE(limiter.Acquire("ipv4:10.0.0.2:1002", StreamKind::kIngest, d1).ok());  // 2 from 10.0.0.2
}

TEST(StreamLimiter, ASlotMovesAndIsGivenBackOnce) {
  LimitCounters counters;
  StreamLimiter limiter({2, 2, 2}, counters);
  {
    StreamSlot a;
    ASSERT_TRUE(limiter.Acquire("ipv4:10.0.0.1:1", StreamKind::kSubscribe, a).ok());
    StreamSlot b(std::move(a));
    EXPECT_FALSE(a.held());
    EXPECT_TRUE(b.held());
    EXPECT_EQ(limiter.streams(), 1u);
    StreamSlot c;
    ASSERT_TRUE(limiter.Acquire("ipv4:10.0.0.1:2", StreamKind::kSubscribe, c).ok());
    c = std::move(b);  // c's own place is given back, b's moves in
    EXPECT_EQ(limiter.streams(), 1u);
  }
  EXPECT_EQ(limiter.streams(), 0u);
  StreamSlot again;
  EXPECT_TRUE(limiter.Acquire("ipv4:10.0.0.1:3", StreamKind::kSubscribe, again).ok());
}

}  // namespace
}  // namespace airprox
