#include "server/app/stats_reporter.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>

#include <future>
#include <map>
#include <sstream>
#include <thread>

#include "server/app/config.h"
#include "tests/app/log_test_support.h"
#include "tests/core/detector_fixture.h"
#include "tests/pipeline/busy_detection.h"

namespace airprox {
namespace {

using testing::Flight;
using testing::LogFields;

struct Fixture {
  explicit Fixture(std::size_t queue_capacity = 1024) {
    Config c;
    EXPECT_TRUE(LoadConfig("", c).ok());
    c.detection_loop.queue_capacity = queue_capacity;
    loop = std::make_unique<DetectionLoop>(c.detector, c.detection_loop);
    loop->AddSink(&hub);
    loop->Start();
  }
  ~Fixture() { loop->Stop(); }
  // Applies a batch and waits until the detection thread is done with it.
  void Ingest(std::vector<Position> batch) {
    std::promise<void> done;
    ASSERT_TRUE(loop->SubmitBatch(std::move(batch), [&](std::vector<Status>) { done.set_value(); }).ok());
    done.get_future().wait();
  }
  SubscriberHub hub{SubscriberHubOptions{}};
  std::unique_ptr<DetectionLoop> loop;
};

// Two aircraft 0.1 NM apart at FL300 (an encounter once confirmed) and a third far away.
std::vector<Position> At(double t) {
  const Flight a{"4b1814", 46.0, 6.0, 0, 90, 300, 30000, 0, "SWR12"};
  const Flight b{"3c6444", 46.0 + 0.1 / 60, 6.0, 0, 90, 300, 30000, 0, "DLH4"};
  const Flight c{"400123", 50.0, 0.0, 0, 0, 300, 20000, 0, "BAW1"};
  return {a.At(t), b.At(t), c.At(t)};
}

TEST(StatsReporter, LineHasEveryFieldFromTheDetectorTheHubAndTheLoop) {
  Fixture f;
  auto logger = std::make_shared<spdlog::logger>("stats", std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(8));
  StatsReporter stats(0, *f.loop, f.hub, nullptr, logger);
  auto first = LogFields(stats.Line());
  EXPECT_EQ(first.at("tracks"), "0");
  EXPECT_EQ(first.at("detector"), "fresh");
  for (int t = 0; t < 3; ++t) f.Ingest(At(t));
  f.Ingest({At(2)[0]});  // a duplicate: rejected
  const std::string line = stats.Line();
  EXPECT_EQ(line.rfind("stats ", 0), 0u) << line;
  const auto s = LogFields(line);
  const std::map<std::string, std::string> expected_counts{
      {"tracks", "3"}, {"accepted", "9"}, {"rejected", "1"}, {"active_encounters", "1"},
      {"subscribers", "0"}, {"events_queued", "0"}, {"coalesced", "0"}, {"gap_overflows", "0"},
      {"write_timeouts", "0"}, {"blocked_submits", "0"}, {"feed_positions", "0"}, {"feed_dropped", "0"},
      {"detector", "fresh"}};
  for (const auto& [key, value] : expected_counts) EXPECT_EQ(s.at(key), value) << key << " in " << line;
  EXPECT_GT(std::stod(s.at("updates_per_s")), 0);
  EXPECT_EQ(s.size(), expected_counts.size() + 1);  // and updates_per_s
}

TEST(StatsReporter, AFullDetectionQueueRepeatsTheLastDetectorNumbersAsStale) {
  Fixture f(1);
  StatsReporter stats(0, *f.loop, f.hub, nullptr,
                      std::make_shared<spdlog::logger>("stats", std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(8)));
  f.Ingest(At(0));
  EXPECT_EQ(LogFields(stats.Line()).at("tracks"), "3");
  testing::BusyDetection busy(*f.loop);
  ASSERT_TRUE(f.loop->SubmitQuery([](const Detector&) {}).ok());  // the queue (capacity 1) is full
  const auto start = std::chrono::steady_clock::now();
  const auto s = LogFields(stats.Line());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500)) << "never blocks";
  EXPECT_EQ(s.at("detector"), "stale");
  EXPECT_EQ(s.at("tracks"), "3");
  EXPECT_EQ(s.at("accepted"), "3");
}

TEST(StatsReporter, LogsALinePerIntervalAtInfoOnItsLoggerUntilStopped) {
  Fixture f;
  auto ring = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(100);
  ring->set_pattern("%l [%n] %v");
  auto logger = std::make_shared<spdlog::logger>("stats", ring);
  StatsReporter stats(0.05, *f.loop, f.hub, nullptr, logger);
  stats.Start();
  f.Ingest(At(0));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (ring->last_formatted().size() < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stats.Stop();
  const auto lines = ring->last_formatted();
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines.back().rfind("info [stats] stats tracks=3 accepted=3 rejected=0 ", 0), 0u) << lines.back();
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  EXPECT_EQ(ring->last_formatted().size(), lines.size()) << "no line after Stop";
}

TEST(StatsReporter, ZeroIntervalStartsNoThread) {
  Fixture f;
  auto ring = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(10);
  StatsReporter stats(0, *f.loop, f.hub, nullptr, std::make_shared<spdlog::logger>("stats", ring));
  stats.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  stats.Stop();
  EXPECT_TRUE(ring->last_formatted().empty());
}

}  // namespace
}  // namespace airprox
