#include "server/feeds/sbs_client_feed.h"

#include <gtest/gtest.h>

#include "server/feeds/feed_runner.h"
#include "tests/core/detector_fixture.h"
#include "tests/feeds/sbs_test_support.h"

namespace airprox {
namespace {

// A receiver's SBS port, for the feed to connect to: the test accepts and writes.
class FakeReceiver {
 public:
  FakeReceiver() : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {}
  std::string address() const { return "127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }
  asio::ip::tcp::socket Accept() {
    asio::ip::tcp::socket s(io_);
    acceptor_.accept(s);
    return s;
  }

 private:
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
};

void Send(asio::ip::tcp::socket& s, const std::vector<std::string>& lines, std::size_t from, std::size_t to) {
  std::string chunk;
  for (std::size_t i = from; i < to; ++i) chunk += lines[i];
  asio::write(s, asio::buffer(chunk));
}

TEST(SbsClientFeed, ReadsAReceiverAndReconnectsAfterADrop) {
  testing::LoopWithEvents running;
  DetectionLoop& loop = running.loop;
  FakeReceiver receiver;
  FeedOptions o;
  o.name = "receiver";
  o.type = FeedType::kSbsClient;
  o.address = receiver.address();
  o.reconnect_min_s = 0.05;
  o.reconnect_max_s = 0.2;
  FeedRunner runner({o}, loop);
  ASSERT_TRUE(runner.Start().ok());
  const FeedCounters& c = *runner.feeds()[0].counters;

  const auto lines = testing::FormationSbsLines();
  ASSERT_GT(lines.size(), 1000u);
  const std::size_t half = lines.size() / 2;
  {
    asio::ip::tcp::socket first = receiver.Accept();
    Send(first, lines, 0, half);
    const std::string broken = "MSG,3,1,1,39C424,1,not-a-date\r\n";
    asio::write(first, asio::buffer(broken));
    // A line cut by the drop: it must not be glued to the next connection's first line.
    asio::write(first, asio::buffer(std::string("MSG,3,1,1,39C4")));
    ASSERT_TRUE(testing::Eventually([&] { return c.lines.load() >= half + 1; }));
  }  // the receiver drops the connection
  asio::ip::tcp::socket second = receiver.Accept();  // the feed reconnects
  Send(second, lines, half, lines.size());
  ASSERT_TRUE(testing::Eventually([&] { return c.lines.load() >= lines.size() + 1; }));
  ASSERT_TRUE(testing::Eventually([&] { return c.accepted.load() + c.rejected.load() == c.positions.load(); }));
  runner.Stop();
  loop.Stop();

  EXPECT_EQ(c.connects.load(), 2u);
  EXPECT_EQ(c.disconnects.load(), 1u);
  EXPECT_EQ(c.malformed.load(), 1u) << "the broken line; the cut one is dropped with its connection";
  EXPECT_GT(c.positions.load(), 1000u);
  EXPECT_EQ(c.rejected.load(), 0u);
  EXPECT_EQ(c.dropped.load(), 0u);
  int started = 0, nmac = 0;
  for (const EncounterEvent& e : running.events.events()) {
    started += e.kind == EncounterKind::kStarted;
    nmac += e.severity == Severity::kAlert;
  }
  EXPECT_EQ(started, 1) << "the formation: one encounter across the reconnect";
  EXPECT_GT(nmac, 0);
}

TEST(SbsClientFeed, ASilentConnectionIsDroppedAndRedialled) {
  testing::LoopWithEvents running;
  FakeReceiver receiver;
  FeedOptions o;
  o.name = "silent";
  o.address = receiver.address();
  o.idle_timeout_s = 0.3;
  o.reconnect_min_s = 0.05;
  FeedRunner runner({o}, running.loop);
  ASSERT_TRUE(runner.Start().ok());
  asio::ip::tcp::socket first = receiver.Accept();  // then says nothing, and never closes
  asio::ip::tcp::socket second = receiver.Accept();  // the feed gave up on it and came back
  const FeedCounters& c = *runner.feeds()[0].counters;
  EXPECT_TRUE(testing::Eventually([&] { return c.connects.load() == 2; }));
  EXPECT_EQ(c.disconnects.load(), 1u);
  runner.Stop();
  running.loop.Stop();
}

TEST(SbsClientFeed, KeepsRetryingAnAbsentReceiverWithBackoff) {
  DetectionLoop loop(DetectorOptions{}, {});
  loop.Start();
  std::string address;
  {
    FakeReceiver gone;  // a port that was free a moment ago: nothing listens there now
    address = gone.address();
  }
  FeedOptions o;
  o.name = "absent";
  o.address = address;
  o.reconnect_min_s = 0.01;
  o.reconnect_max_s = 0.04;
  FeedRunner runner({o}, loop);
  ASSERT_TRUE(runner.Start().ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  runner.Stop();  // prompt, although a retry is pending
  loop.Stop();
  EXPECT_EQ(runner.feeds()[0].counters->connects.load(), 0u);
}

}  // namespace
}  // namespace airprox
