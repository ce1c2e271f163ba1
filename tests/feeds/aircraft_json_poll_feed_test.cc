#include "server/feeds/aircraft_json_poll_feed.h"

#include <gtest/gtest.h>

#include <asio.hpp>
#include <fmt/format.h>

#include <atomic>
#include <thread>

#include "tests/core/detector_fixture.h"
#include "tests/feeds/sbs_test_support.h"

namespace airprox {
namespace {

using testing::Flight;

// A minimal HTTP server for the test (the product uses libcurl as the client): each request gets
// respond(n) for the n-th request, as (status, body), then the connection closes.
class SnapshotServer {
 public:
  explicit SnapshotServer(std::function<std::pair<int, std::string>(int)> respond)
      : respond_(std::move(respond)), acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] {
      for (int n = 0;; ++n) {
        asio::ip::tcp::socket s(io_);
        asio::error_code ec;
        acceptor_.accept(s, ec);
        if (ec || stop_) return;
        asio::streambuf request;
        asio::read_until(s, request, "\r\n\r\n", ec);
        const auto [status, body] = respond_(n);
        const std::string reply =
            fmt::format("HTTP/1.1 {} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n"
                        "Connection: close\r\n\r\n{}",
                        status, body.size(), body);
        asio::write(s, asio::buffer(reply), ec);
        ++served_;
      }
    });
  }
  ~SnapshotServer() {
    stop_ = true;
    asio::error_code ignored;
    asio::ip::tcp::socket poke(io_);
    poke.connect(acceptor_.local_endpoint(), ignored);  // wakes the blocking accept
    thread_.join();
  }
  std::string url() const {
    return fmt::format("http://127.0.0.1:{}/data/aircraft.json", acceptor_.local_endpoint().port());
  }
  int served() const { return served_; }

 private:
  std::function<std::pair<int, std::string>(int)> respond_;
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> served_{0};
};

std::string Snapshot(double t, const std::vector<Flight>& flights) {
  std::string aircraft;
  for (const Flight& f : flights) {
    const Position p = f.At(t);
    aircraft += fmt::format("{}{{\"hex\":\"{}\",\"flight\":\"{}  \",\"lat\":{:.6f},\"lon\":{:.6f},"
                            "\"alt_baro\":{:.0f},\"gs\":{:.1f},\"track\":{:.1f},\"baro_rate\":0,"
                            "\"seen_pos\":0.0}}",
                            aircraft.empty() ? "" : ",", p.track_id, p.callsign, p.lat_deg, p.lon_deg,
                            *p.alt_ft, *p.ground_speed_kt, *p.track_deg);
  }
  return fmt::format("{{\"now\":{:.1f},\"messages\":1,\"aircraft\":[{}]}}", testing::kT0 + t, aircraft);
}

TEST(AircraftJsonPollFeed, FetchesSnapshotsSkipsRepeatsAndSurvivesErrors) {
  // Two aircraft 2 NM apart side by side at FL300: a loss of separation from the first snapshots.
  const auto [lat2, lon2] = testing::Offset(46, 7, 0, units::nm_to_m(2));
  const std::vector<Flight> flights = {Flight{"4b1814", 46, 7, 0, 90, 420, 30000, 0, "SWR12"},
                                       Flight{"3c6444", lat2, lon2, 0, 90, 420, 30000, 0, "DLH4"}};
  SnapshotServer server([&](int n) -> std::pair<int, std::string> {
    if (n == 2) return {500, "oops"};  // a failed fetch: counted, retried at the next interval
    return {200, Snapshot(n == 4 ? 3 : n, flights)};  // the 5th repeats the 4th: unchanged
  });
  testing::LoopWithEvents running;
  FeedOptions o;
  o.name = "tar1090";
  o.type = FeedType::kAircraftJsonPoll;
  o.address = server.url();
  o.interval_s = 0.05;
  auto counters = std::make_shared<FeedCounters>();
  AircraftJsonPollFeed feed(o, running.loop, counters);
  feed.Start();
  ASSERT_TRUE(testing::Eventually([&] { return server.served() >= 8; }));
  feed.Stop();
  ASSERT_TRUE(testing::Eventually([&] { return counters->accepted.load() == counters->positions.load(); }));
  running.loop.Stop();
  EXPECT_GE(counters->fetches.load(), 6u);  // of 8 served, 1 an error; the last may be in flight
  EXPECT_EQ(counters->fetch_errors.load(), 1u);
  EXPECT_EQ(counters->unchanged.load(), 2u) << "both aircraft of the repeated snapshot";
  EXPECT_EQ(counters->rejected.load(), 0u) << "no repeats reach the core";
  EXPECT_EQ(counters->positions.load(), 2 * (counters->fetches.load() - 1));
  int started = 0;
  for (const EncounterEvent& e : running.events.events()) started += e.kind == EncounterKind::kStarted;
  EXPECT_EQ(started, 1);
}

TEST(AircraftJsonPollFeed, AnUnreachableUrlIsCountedAndStopIsPrompt) {
  testing::LoopWithEvents running;
  FeedOptions o;
  o.name = "nowhere";
  o.type = FeedType::kAircraftJsonPoll;
  {
    SnapshotServer gone([](int) { return std::pair<int, std::string>{200, ""}; });
    o.address = gone.url();
  }
  o.interval_s = 0.02;
  auto counters = std::make_shared<FeedCounters>();
  AircraftJsonPollFeed feed(o, running.loop, counters);
  feed.Start();
  ASSERT_TRUE(testing::Eventually([&] { return counters->fetch_errors.load() >= 3; }));
  const auto before = std::chrono::steady_clock::now();
  feed.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(2));
  EXPECT_EQ(counters->fetches.load(), 0u);
  running.loop.Stop();
}

}  // namespace
}  // namespace airprox
