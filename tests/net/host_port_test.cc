#include "server/net/host_port.h"

#include <gtest/gtest.h>

namespace airprox {
namespace {

TEST(HostPort, SplitsAtTheLastColonAndUnbracketsIpv6) {
  HostPort hp;
  ASSERT_TRUE(ParseHostPort("127.0.0.1:30003", hp).ok());
  EXPECT_EQ(hp.host, "127.0.0.1");
  EXPECT_EQ(hp.port, "30003");
  ASSERT_TRUE(ParseHostPort("[::1]:0", hp).ok());
  EXPECT_EQ(hp.host, "::1");
  EXPECT_EQ(hp.port, "0");
  for (const char* bad : {"localhost", ":80", "host:", "host:65536", "host:8x", "host:123456"}) {
    EXPECT_FALSE(ParseHostPort(bad, hp).ok()) << bad;
  }
}

}  // namespace
}  // namespace airprox
