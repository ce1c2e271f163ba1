// The real airproxd binary with --log-file: lines reach the file, and after logrotate's move and a
// SIGHUP they reach a new file of the same name.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/app/log_test_support.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;

using airprox::testing::FileText;

bool WaitForText(const fs::path& p, const std::string& needle, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (FileText(p).find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

TEST(Airproxd, LogFileIsReopenedOnSighupAfterAMove) {
  const fs::path dir = fs::temp_directory_path() / ("airproxd_log_test_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path log = dir / "airproxd.log";
  std::vector<std::string> args{AIRPROXD_BINARY, "--listen", "127.0.0.1:0", "--data-dir", (dir / "data").string(),
                                "--log-file", log.string()};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ), 0);

  EXPECT_TRUE(WaitForText(log, "airproxd listening on", std::chrono::seconds(20))) << FileText(log);
  fs::rename(log, dir / "airproxd.log.1");
  ASSERT_EQ(kill(pid, SIGHUP), 0);
  EXPECT_TRUE(WaitForText(log, "received SIGHUP, reopened the log file", std::chrono::seconds(10)));
  ASSERT_EQ(kill(pid, SIGHUP), 0);  // a second one: still running, still logging
  EXPECT_TRUE(WaitForText(log, "reopened the log file " + log.string() + "\n", std::chrono::seconds(10)));
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;

  const std::string moved = FileText(dir / "airproxd.log.1");
  EXPECT_NE(moved.find("[airproxd] airproxd listening on 127.0.0.1:"), std::string::npos) << moved;
  EXPECT_EQ(moved.find("SIGHUP"), std::string::npos) << moved;
  const std::string fresh = FileText(log);
  EXPECT_NE(fresh.find("received SIGTERM, shutting down"), std::string::npos) << fresh;
  EXPECT_NE(fresh.find("[airproxd] airproxd stopped"), std::string::npos) << fresh;
  EXPECT_EQ(fresh.find("listening"), std::string::npos) << fresh;
  fs::remove_all(dir);
}

}  // namespace
