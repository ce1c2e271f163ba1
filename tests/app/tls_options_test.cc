#include "server/app/tls_options.h"

#include <gtest/gtest.h>

#include "tests/app/server_test_support.h"

#include "server/app/config.h"

namespace airprox {
namespace {

TEST(TlsOptions, CertAndKeyComeTogetherAndTheClientCaNeedsThem) {
  Config c = testing::TestConfig();
  c.tls.cert = "server.crt";
  EXPECT_EQ(ValidateConfig(c).message(), "tls.cert: is set without tls.key");
  c.tls = {"", "server.key", ""};
  EXPECT_EQ(ValidateConfig(c).message(), "tls.key: is set without tls.cert");
  c.tls = {"", "", "ca.crt"};
  EXPECT_EQ(ValidateConfig(c).message(), "tls.client_ca: needs tls.cert and tls.key (mTLS is TLS first)");
}

TEST(TlsOptions, TlsAndAuthKeysAreReadAndPrinted) {
  Config c = testing::TestConfig();
  ASSERT_TRUE(ApplyConfigYaml("tls: {cert: s.crt, key: s.key, client_ca: ca.crt}\nauth: {token_file: tokens}\n",
                              "f.yaml", c)
                  .ok());
  EXPECT_EQ(c.tls.cert, "s.crt");
  EXPECT_EQ(c.tls.key, "s.key");
  EXPECT_EQ(c.tls.client_ca, "ca.crt");
  EXPECT_EQ(c.auth.token_file, "tokens");
  Config back = testing::TestConfig();
  ASSERT_TRUE(ApplyConfigYaml(ConfigToYaml(c), "printed", back).ok());
  EXPECT_EQ(back.tls.client_ca, "ca.crt");
  EXPECT_EQ(back.auth.token_file, "tokens");
  EXPECT_EQ(ApplyConfigYaml("tls: {certificate: x}\n", "f.yaml", c).message(),
            "f.yaml:1: tls.certificate: unknown key (known: cert, key, client_ca)");
}

}  // namespace
}  // namespace airprox
