#include "server/feeds/sbs_listener_feed.h"

#include <gtest/gtest.h>

#include "server/feeds/feed_runner.h"
#include "tests/core/detector_fixture.h"
#include "tests/feeds/sbs_test_support.h"

namespace airprox {
namespace {

TEST(SbsListenerFeed, TakesPushedLinesAndRefusesConnectionsPastTheLimit) {
  testing::LoopWithEvents running;
  DetectionLoop& loop = running.loop;
  FeedOptions o;
  o.name = "pushed";
  o.type = FeedType::kSbsListener;
  o.address = "127.0.0.1:0";
  o.max_connections = 1;
  FeedRunner runner({o}, loop);
  ASSERT_TRUE(runner.Start().ok());
  const std::uint16_t port = runner.feeds()[0].port;
  ASSERT_GT(port, 0);
  const FeedCounters& c = *runner.feeds()[0].counters;

  asio::io_context io;
  const asio::ip::tcp::endpoint at(asio::ip::make_address("127.0.0.1"), port);
  asio::ip::tcp::socket pusher(io);
  pusher.connect(at);
  ASSERT_TRUE(testing::Eventually([&] { return c.connected.load() == 1; }));
  asio::ip::tcp::socket extra(io);
  extra.connect(at);
  ASSERT_TRUE(testing::Eventually([&] { return c.refused_connections.load() == 1; }));
  char byte = 0;
  asio::error_code ec;
  extra.read_some(asio::buffer(&byte, 1), ec);
  EXPECT_EQ(ec, asio::error::eof) << "closed by the server";

  const auto lines = testing::FormationSbsLines();
  std::string all;
  for (const auto& l : lines) all += l;
  all += std::string(600, 'x') + "\n";  // longer than any SBS line may be
  asio::write(pusher, asio::buffer(all));
  pusher.close();
  ASSERT_TRUE(testing::Eventually([&] { return c.disconnects.load() == 1; }));
  ASSERT_TRUE(testing::Eventually([&] { return c.accepted.load() + c.rejected.load() == c.positions.load(); }));
  runner.Stop();
  loop.Stop();
  EXPECT_EQ(c.lines.load(), lines.size() + 1);
  EXPECT_EQ(c.malformed.load(), 1u);
  EXPECT_GT(c.accepted.load(), 1000u);
  int started = 0;
  for (const EncounterEvent& e : running.events.events()) started += e.kind == EncounterKind::kStarted;
  EXPECT_EQ(started, 1);
}

TEST(SbsListenerFeed, AnAddressInUseIsAClearError) {
  DetectionLoop loop(DetectorOptions{}, {});
  asio::io_context io;
  asio::ip::tcp::acceptor taken(io, {asio::ip::make_address("127.0.0.1"), 0});
  taken.set_option(asio::ip::tcp::acceptor::reuse_address(false));
  FeedOptions o;
  o.name = "clash";
  o.type = FeedType::kSbsListener;
  o.address = "127.0.0.1:" + std::to_string(taken.local_endpoint().port());
  FeedRunner runner({o}, loop);
  const Status st = runner.Start();
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("feed clash: cannot listen on " + o.address), std::string::npos) << st.message();
}

}  // namespace
}  // namespace airprox
