#include "server/auth/access_control.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace airprox {
namespace {

class AccessControlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("airprox_access_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  void TearDown() override { std::filesystem::remove(path_); }
  void Write(const std::string& text) { std::ofstream(path_, std::ios::trunc) << text; }

  std::filesystem::path path_;
};

TEST(BearerToken, TakesTheTokenOfTheBearerSchemeInAnyCase) {
  EXPECT_EQ(BearerToken("Bearer abc"), "abc");
  EXPECT_EQ(BearerToken("bearer   abc  "), "abc");
  EXPECT_EQ(BearerToken("BEARER\tabc"), "abc");
  EXPECT_EQ(BearerToken("Basic abc"), "");
  EXPECT_EQ(BearerToken("Bearerabc"), "");
  EXPECT_EQ(BearerToken("Bearer "), "");
  EXPECT_EQ(BearerToken(""), "");
}

TEST_F(AccessControlTest, WithoutATokenFileEverythingIsAllowed) {
  AccessControl access;
  EXPECT_FALSE(access.enabled());
  EXPECT_TRUE(access.Authorize("", Role::kAdmin).status.ok());
  EXPECT_TRUE(access.Reload().ok());
  EXPECT_FALSE(access.enabled());
}

TEST_F(AccessControlTest, MissingUnknownAndUnderprivilegedTokensAreRefused) {
  Write(Sha256Hex("feeder-secret") + " feeder ingest\n" + Sha256Hex("ops-secret") + " ops subscribe,admin\n");
  AccessControl access;
  ASSERT_TRUE(access.Load(path_).ok());
  EXPECT_TRUE(access.enabled());
  EXPECT_EQ(access.tokens(), 2u);

  AccessDecision d = access.Authorize("", Role::kIngest);
  EXPECT_EQ(d.status.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(d.status.reason(), "missing_token");
  d = access.Authorize("Bearer wrong", Role::kIngest);
  EXPECT_EQ(d.status.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(d.status.reason(), "unknown_token");
  EXPECT_EQ(d.name, "");

  d = access.Authorize("Bearer feeder-secret", Role::kIngest);
  EXPECT_TRUE(d.status.ok());
  EXPECT_EQ(d.name, "feeder");
  d = access.Authorize("Bearer feeder-secret", Role::kSubscribe);
  EXPECT_EQ(d.status.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(d.name, "feeder");
  EXPECT_EQ(d.status.message(), "the token of 'feeder' lacks the role subscribe (it has ingest)");
  EXPECT_EQ(d.status.message().find("feeder-secret"), std::string::npos);
  EXPECT_TRUE(access.Authorize("Bearer ops-secret", Role::kAdmin).status.ok());
  EXPECT_FALSE(access.Authorize("Bearer ops-secret", Role::kIngest).status.ok());
  // Any valid token (HTTP /metrics).
  EXPECT_TRUE(access.Authorize("Bearer feeder-secret", std::nullopt).status.ok());
  EXPECT_EQ(access.Authorize("Bearer nope", std::nullopt).status.code(), StatusCode::kUnauthenticated);

  EXPECT_EQ(access.unauthenticated(), 3u);
  EXPECT_EQ(access.permission_denied(), 2u);
}

TEST_F(AccessControlTest, ReloadTakesANewFileAndKeepsTheOldOneWhenTheNewIsInvalid) {
  Write(Sha256Hex("one") + " first ingest\n");
  AccessControl access;
  ASSERT_TRUE(access.Load(path_).ok());
  Write(Sha256Hex("two") + " second ingest\n");
  ASSERT_TRUE(access.Reload().ok());
  EXPECT_FALSE(access.Authorize("Bearer one", Role::kIngest).status.ok());  // revoked
  EXPECT_TRUE(access.Authorize("Bearer two", Role::kIngest).status.ok());

  Write(Sha256Hex("three") + " third ingest\nnot-a-hash x ingest\n");
  const Status st = access.Reload();
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find(path_.string() + ":2:"), std::string::npos) << st.message();
  EXPECT_TRUE(access.Authorize("Bearer two", Role::kIngest).status.ok());  // still in force
  EXPECT_FALSE(access.Authorize("Bearer three", Role::kIngest).status.ok());

  std::filesystem::remove(path_);
  EXPECT_FALSE(access.Reload().ok());
  EXPECT_TRUE(access.Authorize("Bearer two", Role::kIngest).status.ok());
}

TEST_F(AccessControlTest, AFailedLoadLeavesItOpen) {
  Write("bad\n");
  AccessControl access;
  EXPECT_FALSE(access.Load(path_).ok());
  EXPECT_FALSE(access.enabled());
}

}  // namespace
}  // namespace airprox
