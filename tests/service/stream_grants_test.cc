#include "server/service/stream_grants.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "server/auth/access_tokens.h"

namespace airprox {
namespace {

namespace fs = std::filesystem;

constexpr const char* kIngest = "/airprox.v1.TrackIngest/Ingest";
constexpr const char* kSubscribe = "/airprox.v1.Encounters/Subscribe";

class StreamGrantsWithTokens : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() / ("airprox_grants_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    Write(Sha256Hex("a-secret") + " alice ingest,subscribe\n" + Sha256Hex("b-secret") + " bob subscribe\n");
    ASSERT_TRUE(access_.Load(path_.string()).ok());
  }
  void TearDown() override { fs::remove(path_); }
  void Write(const std::string& text) { std::ofstream(path_, std::ios::trunc) << text; }
  // A stream whose End records its refusal in ended_[name].
  StreamGrant Open(const std::string& method, const std::string& token, const std::string& name) {
    return grants_.Open(method, "Bearer " + token, "ipv4:127.0.0.1:1", [this, name](const Status& s) {
      ended_.emplace_back(name, s);
    });
  }

  fs::path path_;
  AccessControl access_;
  StreamGrants grants_{access_};
  std::vector<std::pair<std::string, Status>> ended_;
};

TEST(StreamGrants, WithoutATokenFileNothingIsHeld) {
  AccessControl open;
  StreamGrants grants(open);
  const StreamGrant g = grants.Open(kIngest, "", "", [](const Status&) {});
  EXPECT_FALSE(g.held());
  EXPECT_EQ(grants.size(), 0u);
  EXPECT_EQ(grants.Revoke(), 0u);
}

TEST_F(StreamGrantsWithTokens, RevokeEndsEachStreamTheReloadedTokensRefuseOnceAndKeepsTheRest) {
  StreamGrant alice_ingest = Open(kIngest, "a-secret", "alice_ingest");
  StreamGrant alice_subscribe = Open(kSubscribe, "a-secret", "alice_subscribe");
  StreamGrant bob = Open(kSubscribe, "b-secret", "bob");
  ASSERT_TRUE(alice_ingest.held() && alice_subscribe.held() && bob.held());
  EXPECT_EQ(grants_.Revoke(), 0u) << "nothing changed";

  Write(Sha256Hex("a-secret") + " alice subscribe\n");  // alice loses ingest, bob goes
  ASSERT_TRUE(access_.Reload().ok());
  EXPECT_EQ(grants_.Revoke(), 2u);
  ASSERT_EQ(ended_.size(), 2u);
  EXPECT_EQ(ended_[0].first, "alice_ingest");
  EXPECT_EQ(ended_[0].second.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(ended_[0].second.reason(), "missing_role");
  EXPECT_EQ(ended_[1].first, "bob");
  EXPECT_EQ(ended_[1].second.code(), StatusCode::kUnauthenticated);
  EXPECT_NE(ended_[1].second.message().find("revoked by a reload of the server's token file"), std::string::npos);
  EXPECT_EQ(grants_.size(), 1u);
  EXPECT_EQ(grants_.Revoke(), 0u) << "each revoked stream is ended once";
  EXPECT_EQ(ended_.size(), 2u);

  alice_subscribe = StreamGrant();  // the stream is done
  EXPECT_EQ(grants_.size(), 0u);
  Write("");
  ASSERT_TRUE(access_.Reload().ok());
  EXPECT_EQ(grants_.Revoke(), 0u) << "a finished stream is not called";
}

TEST_F(StreamGrantsWithTokens, ATokenRevokedBeforeTheStreamRegistersEndsItAtOnce) {
  Write("");
  ASSERT_TRUE(access_.Reload().ok());
  const StreamGrant g = Open(kSubscribe, "a-secret", "late");
  EXPECT_FALSE(g.held());
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].second.code(), StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace airprox
