#include "server/app/log_setup.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "server/feeds/feed_logger.h"
#include "tests/app/log_test_support.h"

namespace airprox {
namespace {

namespace fs = std::filesystem;

// A fresh directory per test; logging goes back to console only afterwards.
class LogSetupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("airprox_log_setup_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    EXPECT_TRUE(SetUpLogging(LogOptions{}).ok());
    fs::remove_all(dir_);
  }
  LogOptions FileOptions() const {
    LogOptions o;
    o.file = (dir_ / "airproxd.log").string();
    return o;
  }
  static std::vector<std::string> Lines(const fs::path& p) { return testing::FileLines(p); }
  static std::string Text(const fs::path& p) { return testing::FileText(p); }
  fs::path dir_;
};

TEST_F(LogSetupTest, EveryComponentIsANamedLoggerAirproxdTheDefault) {
  ASSERT_TRUE(SetUpLogging(FileOptions()).ok());
  for (const char* name : {"airproxd", "encounter", "feeds", "stats", "grpc"}) {
    ASSERT_NE(spdlog::get(name), nullptr) << name;
    spdlog::get(name)->info("from {}", name);
  }
  EXPECT_EQ(spdlog::default_logger()->name(), "airproxd");
  EXPECT_EQ(ComponentLogger("stats"), spdlog::get("stats"));
  const auto lines = Lines(dir_ / "airproxd.log");  // flushed as written
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_NE(lines[0].find(" info [airproxd] from airproxd"), std::string::npos) << lines[0];
  EXPECT_NE(lines[2].find(" info [feeds] from feeds"), std::string::npos) << lines[2];
}

TEST_F(LogSetupTest, RotatesBySizeKeepingMaxFiles) {
  LogOptions o = FileOptions();
  o.max_file_bytes = 2048;
  o.max_files = 2;
  ASSERT_TRUE(SetUpLogging(o).ok());
  const std::string filler(80, 'x');
  for (int i = 0; i < 200; ++i) spdlog::info("line={} {}", i, filler);
  EXPECT_TRUE(fs::exists(dir_ / "airproxd.log"));
  EXPECT_TRUE(fs::exists(dir_ / "airproxd.1.log"));
  EXPECT_TRUE(fs::exists(dir_ / "airproxd.2.log"));
  EXPECT_FALSE(fs::exists(dir_ / "airproxd.3.log"));
  for (const char* name : {"airproxd.log", "airproxd.1.log", "airproxd.2.log"}) {
    EXPECT_LE(fs::file_size(dir_ / name), 2048u) << name;
  }
  const auto newest = Lines(dir_ / "airproxd.log");
  ASSERT_FALSE(newest.empty());
  EXPECT_NE(newest.back().find("line=199 "), std::string::npos);
  const auto older = Lines(dir_ / "airproxd.1.log");
  ASSERT_FALSE(older.empty());
  EXPECT_NE(older.back().find("line=" + std::to_string(199 - static_cast<int>(newest.size())) + " "),
            std::string::npos)
      << "rotated files continue each other";
}

TEST_F(LogSetupTest, MaxFilesZeroNeverRotatesNorTruncates) {
  LogOptions o = FileOptions();
  o.max_file_bytes = 1024;
  o.max_files = 0;
  ASSERT_TRUE(SetUpLogging(o).ok());
  for (int i = 0; i < 100; ++i) spdlog::info("line={} {}", i, std::string(40, 'y'));
  EXPECT_EQ(Lines(dir_ / "airproxd.log").size(), 100u);
  EXPECT_FALSE(fs::exists(dir_ / "airproxd.1.log"));
}

TEST_F(LogSetupTest, AppendsToAnExistingFile) {
  { std::ofstream(dir_ / "airproxd.log") << "earlier run\n"; }
  ASSERT_TRUE(SetUpLogging(FileOptions()).ok());
  spdlog::info("this run");
  const auto lines = Lines(dir_ / "airproxd.log");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "earlier run");
}

TEST_F(LogSetupTest, ReopenAfterAMoveWritesANewFileThroughLoggersAlreadyHeld) {
  ASSERT_TRUE(SetUpLogging(FileOptions()).ok());
  const auto encounter = ComponentLogger("encounter");  // held across the reopen, as components do
  encounter->info("before");
  fs::rename(dir_ / "airproxd.log", dir_ / "airproxd.log.1");  // logrotate's move
  encounter->info("after the move, before the reopen");   // still the moved file, as with any program
  ASSERT_TRUE(ReopenLogFiles().ok());
  ASSERT_TRUE(fs::exists(dir_ / "airproxd.log"));
  encounter->info("after");
  spdlog::info("default too");
  const auto moved = Text(dir_ / "airproxd.log.1");
  EXPECT_NE(moved.find("before"), std::string::npos);
  EXPECT_NE(moved.find("after the move, before the reopen"), std::string::npos);
  EXPECT_EQ(moved.find("] after\n"), std::string::npos);
  const auto lines = Lines(dir_ / "airproxd.log");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find("[encounter] after"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("[airproxd] default too"), std::string::npos) << lines[1];
}

TEST_F(LogSetupTest, ReopenWithoutAFileDoesNothing) {
  ASSERT_TRUE(SetUpLogging(LogOptions{}).ok());
  EXPECT_TRUE(ReopenLogFiles().ok());
}

TEST_F(LogSetupTest, ReopenWhileOtherThreadsLogLosesNoLine) {
  ASSERT_TRUE(SetUpLogging(FileOptions()).ok());
  constexpr int kThreads = 4, kLines = 500;
  std::atomic<bool> go{false};
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      const auto logger = ComponentLogger(t % 2 == 0 ? "feeds" : "stats");
      while (!go) std::this_thread::yield();
      for (int i = 0; i < kLines; ++i) logger->info("t={} i={}", t, i);
    });
  }
  go = true;
  int moves = 0;
  for (; moves < 20; ++moves) {
    fs::rename(dir_ / "airproxd.log", dir_ / ("moved." + std::to_string(moves)));
    ASSERT_TRUE(ReopenLogFiles().ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  for (auto& w : writers) w.join();
  std::size_t total = Lines(dir_ / "airproxd.log").size();
  for (int m = 0; m < moves; ++m) total += Lines(dir_ / ("moved." + std::to_string(m))).size();
  EXPECT_EQ(total, static_cast<std::size_t>(kThreads * kLines));
}

TEST_F(LogSetupTest, AComponentLevelHidesThatComponentOnly) {
  LogOptions o = FileOptions();
  o.levels = {{"feeds", "warn"}, {"stats", "debug"}};
  ASSERT_TRUE(SetUpLogging(o).ok());
  FeedLogger()->info("feed x: connected to 127.0.0.1:30003");
  FeedLogger()->warn("feed x: cannot connect");
  ComponentLogger("stats")->debug("stats detail");
  spdlog::info("airproxd info");
  spdlog::debug("airproxd debug");
  const auto text = Text(dir_ / "airproxd.log");
  EXPECT_EQ(text.find("connected"), std::string::npos);
  EXPECT_NE(text.find("warning [feeds] feed x: cannot connect"), std::string::npos);
  EXPECT_NE(text.find("debug [stats] stats detail"), std::string::npos);
  EXPECT_NE(text.find("[airproxd] airproxd info"), std::string::npos);
  EXPECT_EQ(text.find("airproxd debug"), std::string::npos);
}

TEST_F(LogSetupTest, JsonFormatInTheFile) {
  LogOptions o = FileOptions();
  o.format = LogFormat::kJson;
  ASSERT_TRUE(SetUpLogging(o).ok());
  ComponentLogger("stats")->info("stats tracks=3 detector=fresh");
  const auto lines = Lines(dir_ / "airproxd.log");
  ASSERT_EQ(lines.size(), 1u);
  const auto j = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(j.at("logger"), "stats");
  EXPECT_EQ(j.at("tracks"), 3);
  EXPECT_EQ(j.at("detector"), "fresh");
}

TEST_F(LogSetupTest, AFileThatCannotBeOpenedIsAnErrorThatChangesNothing) {
  ASSERT_TRUE(SetUpLogging(FileOptions()).ok());
  { std::ofstream(dir_ / "plain") << "a file, not a directory\n"; }
  LogOptions bad;
  bad.file = (dir_ / "plain" / "x.log").string();
  const Status st = SetUpLogging(bad);
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(st.message().rfind("log.file: ", 0), 0u) << st.message();
  spdlog::info("still here");
  EXPECT_NE(Text(dir_ / "airproxd.log").find("still here"), std::string::npos);
}

TEST_F(LogSetupTest, InvalidOptionsAreRefused) {
  LogOptions o;
  o.levels["feeds"] = "loud";
  EXPECT_NE(SetUpLogging(o).message().find("log.levels.feeds"), std::string::npos);
}

}  // namespace
}  // namespace airprox
