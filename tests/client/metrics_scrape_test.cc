// The /metrics scrape of `airprox load` against a real airproxd (in-process, 127.0.0.1, port 0),
// over HTTP and over HTTPS with the test CA.
#include "client/metrics_scrape.h"

#include <gtest/gtest.h>

#include "tests/app/server_test_support.h"
#include "tests/app/test_certificates.h"

namespace airprox::cli {
namespace {

std::string MetricsUrl(const char* scheme, const AirproxServer& server) {
  return std::string(scheme) + "://127.0.0.1:" + std::to_string(server.http_port()) + "/metrics";
}

TEST(MetricsScrape, ReadsTheSamplesOverHttp) {
  auto server = testing::StartServer();
  std::string error;
  const auto m = ScrapeMetrics(MetricsUrl("http", *server), 5, error);
  EXPECT_TRUE(error.empty()) << error;
  EXPECT_EQ(m.count("process_resident_memory_bytes"), 1u);
  server->Stop();
}

TEST(MetricsScrape, ReadsTheSamplesOverHttpsTrustingTheGivenCaOnly) {
  testing::TestCertificates pki("scrape");
  pki.MakeCa("ca");
  pki.MakeCert("server", "ca", "airproxd", true);
  pki.MakeCert("client", "ca", "load", false);
  Config c = testing::TestConfig();
  c.tls.cert = pki.Path("server.crt");
  c.tls.key = pki.Path("server.key");
  c.tls.client_ca = pki.Path("ca.crt");
  auto server = testing::StartServer(c);
  std::string error;
  const auto m = ScrapeMetrics(MetricsUrl("https", *server), 5, error, "",
                               {pki.Read("ca.crt"), pki.Read("client.crt"), pki.Read("client.key")});
  EXPECT_TRUE(error.empty()) << error;
  EXPECT_EQ(m.count("process_resident_memory_bytes"), 1u);

  std::string untrusted, no_client;
  EXPECT_TRUE(ScrapeMetrics(MetricsUrl("https", *server), 5, untrusted).empty()) << "the system CAs only";
  EXPECT_FALSE(untrusted.empty());
  EXPECT_TRUE(ScrapeMetrics(MetricsUrl("https", *server), 5, no_client, "", {pki.Read("ca.crt"), "", ""}).empty());
  EXPECT_FALSE(no_client.empty()) << "no client certificate for a server with tls.client_ca";
  server->Stop();
}

}  // namespace
}  // namespace airprox::cli
