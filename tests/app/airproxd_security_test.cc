// The real airproxd binary: it refuses plaintext off loopback in one line, and SIGHUP re-reads
// the TLS files and the token file.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "server/auth/access_tokens.h"
#include "tests/app/log_test_support.h"
#include "tests/app/test_certificates.h"

extern char** environ;

namespace airprox {
namespace {

namespace fs = std::filesystem;
using testing::FileText;

pid_t Spawn(std::vector<std::string> args, const fs::path& err) {
  args.insert(args.begin(), AIRPROXD_BINARY);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  EXPECT_EQ(posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&fa);
  return pid;
}

int ExitCode(pid_t pid) {
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool WaitForText(const fs::path& p, const std::string& needle) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (FileText(p).find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

class AirproxdSecurity : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("airproxd_security_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(AirproxdSecurity, RefusesPlaintextOffLoopbackInOneLineUnlessAllowed) {
  const fs::path err = dir_ / "err";
  const pid_t refused = Spawn({"--listen", "0.0.0.0:0", "--data-dir", ""}, err);
  EXPECT_EQ(ExitCode(refused), 2);
  EXPECT_EQ(FileText(err),
            "airproxd: server.listen: refusing plaintext gRPC on 0.0.0.0:0, which is not a loopback address: set "
            "tls.cert and tls.key, or pass --allow-insecure\n");
  const pid_t http = Spawn({"--http-listen", "0.0.0.0:0", "--data-dir", ""}, err);
  EXPECT_EQ(ExitCode(http), 2);
  EXPECT_NE(FileText(err).find("http.listen: refusing plaintext HTTP on 0.0.0.0:0"), std::string::npos);
  // --print-config checks the same, so this one exits at once without binding anything.
  const pid_t allowed = Spawn({"--listen", "0.0.0.0:0", "--allow-insecure", "--print-config"}, err);
  EXPECT_EQ(ExitCode(allowed), 0) << FileText(err);
}

TEST_F(AirproxdSecurity, SighupReloadsTheCertificateAndTheTokens) {
  testing::TestCertificates pki("sighup");
  pki.MakeCa("ca");
  pki.MakeCert("first", "ca", "airproxd-1", true);
  pki.MakeCert("second", "ca", "airproxd-2", true);
  fs::copy_file(pki.Path("first.crt"), dir_ / "live.crt");
  fs::copy_file(pki.Path("first.key"), dir_ / "live.key");
  const fs::path tokens = dir_ / "tokens", log = dir_ / "airproxd.log", config = dir_ / "airproxd.yaml";
  std::ofstream(tokens) << Sha256Hex("a") << " alpha ingest\n";
  std::ofstream(config) << "tls: {cert: " << (dir_ / "live.crt").string() << ", key: " << (dir_ / "live.key").string()
                        << "}\n";
  const pid_t pid = Spawn({"--config", config.string(), "--listen", "127.0.0.1:0", "--http-listen", "",
                           "--data-dir", "", "--token-file", tokens.string(), "--log-file", log.string()},
                          dir_ / "err");
  ASSERT_TRUE(WaitForText(log, "airproxd listening on")) << FileText(log) << FileText(dir_ / "err");
  EXPECT_NE(FileText(log).find("gRPC TLS: subject CN = airproxd-1"), std::string::npos) << FileText(log);
  EXPECT_NE(FileText(log).find("bearer tokens: 1 from " + tokens.string()), std::string::npos);

  fs::copy_file(pki.Path("second.crt"), dir_ / "live.crt", fs::copy_options::overwrite_existing);
  fs::copy_file(pki.Path("second.key"), dir_ / "live.key", fs::copy_options::overwrite_existing);
  std::ofstream(tokens, std::ios::trunc) << Sha256Hex("a") << " alpha ingest\n" << Sha256Hex("b") << " beta admin\n";
  ASSERT_EQ(kill(pid, SIGHUP), 0);
  EXPECT_TRUE(WaitForText(log, "reloaded the TLS certificate: subject CN = airproxd-2")) << FileText(log);
  EXPECT_TRUE(WaitForText(log, "reloaded the bearer tokens: 2 from")) << FileText(log);

  std::ofstream(tokens, std::ios::trunc) << "nonsense\n";
  ASSERT_EQ(kill(pid, SIGHUP), 0);
  EXPECT_TRUE(WaitForText(log, "cannot reload the bearer tokens, the previous ones stay in force: " +
                                   tokens.string() + ":1: expected SHA256HEX NAME ROLE[,ROLE...], found 1 field"))
      << FileText(log);
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  EXPECT_EQ(ExitCode(pid), 0);
  EXPECT_EQ(FileText(log).find(Sha256Hex("b")), std::string::npos);
}

}  // namespace
}  // namespace airprox
