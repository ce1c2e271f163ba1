#include "server/app/listen_policy.h"

#include <gtest/gtest.h>

#include "tests/app/server_test_support.h"

namespace airprox {
namespace {

TEST(ListenPolicy, TheDefaultsStayOnLoopback) {
  const Config c = testing::TestConfig();
  EXPECT_TRUE(CheckPlaintextListeners(c).ok());
  EXPECT_TRUE(InsecureListeners(c).empty());
  EXPECT_TRUE(ValidateConfig(c).ok());
}

TEST(ListenPolicy, PlaintextGrpcOffLoopbackNeedsTlsOrTheFlag) {
  Config c = testing::TestConfig();
  c.listen = "0.0.0.0:50051";
  EXPECT_EQ(ValidateConfig(c).message(),
            "server.listen: refusing plaintext gRPC on 0.0.0.0:50051, which is not a loopback address: set "
            "tls.cert and tls.key, or pass --allow-insecure");
  c.listen = "[::]:50051";
  EXPECT_FALSE(ValidateConfig(c).ok());
  c.tls.cert = "server.crt";
  c.tls.key = "server.key";
  EXPECT_TRUE(ValidateConfig(c).ok()) << "TLS: any address";
  c.tls = {};
  c.allow_insecure = true;
  EXPECT_TRUE(ValidateConfig(c).ok());
  EXPECT_EQ(InsecureListeners(c), std::vector<std::string>{"gRPC [::]:50051"});
}

TEST(ListenPolicy, HttpOffLoopbackNeedsTlsOrTheFlagAndSbsListenersTheFlagEvenWithTls) {
  Config c = testing::TestConfig();
  c.http_listen = "192.168.1.20:9464";
  EXPECT_EQ(ValidateConfig(c).message(),
            "http.listen: refusing plaintext HTTP on 192.168.1.20:9464, which is not a loopback address: set "
            "tls.cert and tls.key (HTTPS), listen on 127.0.0.1, or pass --allow-insecure");
  c.tls.cert = "server.crt";
  c.tls.key = "server.key";
  EXPECT_TRUE(ValidateConfig(c).ok()) << "HTTPS: any address";
  EXPECT_TRUE(InsecureListeners(c).empty());
  c.http_listen = "localhost:9464";
  EXPECT_TRUE(ValidateConfig(c).ok());
  FeedOptions pushed;
  pushed.name = "pushed";
  pushed.type = FeedType::kSbsListener;
  pushed.address = "0.0.0.0:30004";
  FeedOptions client = pushed;
  client.name = "roof";
  client.type = FeedType::kSbsClient;
  client.address = "10.0.0.5:30003";  // dials out: not a listener
  c.feeds = {client, pushed};
  EXPECT_EQ(ValidateConfig(c).message(),
            "feeds[1].listen: refusing plaintext SBS (feed pushed) on 0.0.0.0:30004, which is not a loopback "
            "address: SBS has no TLS: listen on 127.0.0.1 (e.g. behind an SSH or stunnel tunnel), or pass "
            "--allow-insecure");
  c.allow_insecure = true;
  EXPECT_TRUE(ValidateConfig(c).ok());
  EXPECT_EQ(InsecureListeners(c), std::vector<std::string>{"SBS (feed pushed) 0.0.0.0:30004"});
}

}  // namespace
}  // namespace airprox
