#include "server/net/loopback.h"

#include <gtest/gtest.h>

namespace airprox {
namespace {

TEST(Loopback, OnlyLiteralLoopbackAddressesAndLocalhost) {
  for (const char* yes : {"127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1", "localhost"}) {
    EXPECT_TRUE(IsLoopbackHost(yes)) << yes;
  }
  for (const char* no : {"0.0.0.0", "::", "", "10.0.0.1", "192.168.1.20", "128.0.0.1", "::ffff:10.0.0.1",
                         "example.org", "localhost.example.org", "[::1]"}) {
    EXPECT_FALSE(IsLoopbackHost(no)) << no;
  }
}

}  // namespace
}  // namespace airprox
