// TLS and mTLS on the real server (in-process, 127.0.0.1, port 0): gRPC, HTTPS and wss://, and
// reloads of the certificate files, with certificates made by Debian's openssl for each test.
#include "server/app/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "airprox/v1/airprox.grpc.pb.h"
#include "tests/app/server_test_support.h"
#include "tests/app/security_test_clients.h"
#include "tests/app/test_certificates.h"
#include "tests/http/websocket_test_client.h"

namespace airprox {
namespace {

namespace fs = std::filesystem;

using testing::HttpGet;
using testing::ListTracks;
using testing::TestCertificates;
using testing::TlsChannel;
using testing::TlsConfig;
using testing::HttpsGet;
using testing::WssConnect;

TEST(ServerTls, ServesItsCertificateOnGrpcAndHttpsToClientsThatTrustItsCa) {
  TestCertificates pki("tls");
  pki.MakeCa("ca");
  pki.MakeCa("other");
  pki.MakeCert("server", "ca", "airproxd-1", true);
  auto server = testing::StartServer(TlsConfig(pki, "server"));
  std::string cn;
  const grpc::Status st = ListTracks(TlsChannel(*server, pki, "ca"), &cn);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(cn, "airproxd-1");
  EXPECT_EQ(ListTracks(TlsChannel(*server, pki, "other")).error_code(), grpc::StatusCode::UNAVAILABLE)
      << "a certificate of a CA the client does not trust";
  EXPECT_EQ(ListTracks(testing::Dial(*server)).error_code(), grpc::StatusCode::UNAVAILABLE) << "plaintext";
  // The HTTP port speaks only HTTPS (and wss://), with the same certificate.
  const int port = server->http_port();
  ASSERT_GT(port, 0);
  EXPECT_EQ(HttpsGet(pki, port, "/healthz", "ca").status, 200);
  EXPECT_EQ(HttpsGet(pki, port, "/metrics", "ca").status, 200);
  EXPECT_EQ(HttpsGet(pki, port, "/", "ca").status, 200);
  EXPECT_EQ(HttpsGet(pki, port, "/healthz", "other").status, 0) << "a certificate of a CA the client does not trust";
  EXPECT_EQ(HttpGet(port, "/healthz").status, 0) << "plaintext HTTP on the TLS port";
  EXPECT_EQ(WssConnect(pki, port, "ca"), std::make_pair(101, true));
  EXPECT_EQ(WssConnect(pki, port, "other").first, -1);
  testing::WebSocketTestClient plain;
  EXPECT_EQ(plain.Connect(port, "/ws", {"airprox-map.v1"}), -1) << "ws:// on the TLS port";
  // Still serving after the failed handshakes.
  EXPECT_EQ(HttpsGet(pki, port, "/readyz", "ca").status, 200);
  server->Stop();
}

TEST(ServerTls, MutualTlsAdmitsOnlyClientCertificatesOfItsCaOnGrpcAndHttp) {
  TestCertificates pki("mtls");
  pki.MakeCa("ca");
  pki.MakeCa("rogue-ca");
  pki.MakeCert("server", "ca", "airproxd", true);
  pki.MakeCert("client", "ca", "radar-1", false);
  pki.MakeCert("rogue", "rogue-ca", "radar-1", false);
  auto server = testing::StartServer(TlsConfig(pki, "server", "ca"));
  const grpc::Status with = ListTracks(TlsChannel(*server, pki, "ca", "client"));
  EXPECT_TRUE(with.ok()) << with.error_message();
  EXPECT_EQ(ListTracks(TlsChannel(*server, pki, "ca")).error_code(), grpc::StatusCode::UNAVAILABLE)
      << "no client certificate";
  EXPECT_EQ(ListTracks(TlsChannel(*server, pki, "ca", "rogue")).error_code(), grpc::StatusCode::UNAVAILABLE)
      << "a client certificate of another CA";
  // The HTTP port (HTTPS) asks for the same client certificates.
  const int port = server->http_port();
  EXPECT_EQ(HttpsGet(pki, port, "/healthz", "ca", "client").status, 200);
  EXPECT_EQ(HttpsGet(pki, port, "/healthz", "ca").status, 0) << "no client certificate";
  EXPECT_EQ(HttpsGet(pki, port, "/healthz", "ca", "rogue").status, 0) << "a client certificate of another CA";
  EXPECT_EQ(WssConnect(pki, port, "ca", "client"), std::make_pair(101, true));
  EXPECT_NE(WssConnect(pki, port, "ca").first, 101);
  server->Stop();
}

// The common name the server presents to a new connection, once it is `expected` (polled: the
// staged files reach gRPC within about a second).
std::string WaitForPeer(const AirproxServer& s, const TestCertificates& pki, const std::string& expected) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  std::string cn;
  while (std::chrono::steady_clock::now() < deadline) {
    if (ListTracks(TlsChannel(s, pki, "ca"), &cn).ok() && cn == expected) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return cn;
}

// The CA names the HTTPS server on 127.0.0.1:`port` sends in its certificate request (one-line
// subjects, "/CN=ca"), seen by an OpenSSL client that then offers no certificate.
std::vector<std::string> RequestedClientCaNames(int port) {
  std::vector<std::string> names;
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);  // only the request matters here
  SSL_CTX_set_client_cert_cb(ctx, [](SSL* ssl, X509**, EVP_PKEY**) {
    auto* out = static_cast<std::vector<std::string>*>(SSL_get_app_data(ssl));
    const STACK_OF(X509_NAME)* cas = SSL_get_client_CA_list(ssl);
    for (int i = 0; cas != nullptr && i < sk_X509_NAME_num(cas); ++i) {
      char line[256];
      X509_NAME_oneline(sk_X509_NAME_value(cas, i), line, sizeof line);
      out->push_back(line);
    }
    return 0;  // no certificate
  });
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    SSL* ssl = SSL_new(ctx);
    SSL_set_app_data(ssl, &names);
    SSL_set_fd(ssl, fd);
    if (SSL_connect(ssl) == 1) {  // TLS 1.3: the server's refusal comes with the first read
      char byte;
      SSL_read(ssl, &byte, 1);
    }
    SSL_free(ssl);
  }
  ::close(fd);
  SSL_CTX_free(ctx);
  return names;
}

TEST(ServerTls, HttpsAsksForClientCertificatesByTheNamesOfItsClientCasAndRereadsThemOnReload) {
  TestCertificates pki("ca_names");
  pki.MakeCa("ca");
  pki.MakeCa("second-ca");
  pki.MakeCert("server", "ca", "airproxd", true);
  pki.MakeCert("client", "second-ca", "radar-2", false);
  Config c = TlsConfig(pki, "server", "ca");
  auto server = testing::StartServer(c);
  const int port = server->http_port();
  EXPECT_EQ(RequestedClientCaNames(port), std::vector<std::string>{"/CN=ca"});
  EXPECT_EQ(HttpsGet(pki, port, "/healthz", "ca", "client").status, 0) << "not yet a client CA";

  const std::string both = pki.Read("ca.crt") + pki.Read("second-ca.crt");
  std::ofstream(c.tls.client_ca, std::ios::trunc) << both;
  ASSERT_TRUE(server->Reload().ok());
  EXPECT_EQ(RequestedClientCaNames(port), (std::vector<std::string>{"/CN=ca", "/CN=second-ca"}));
  EXPECT_EQ(HttpsGet(pki, port, "/healthz", "ca", "client").status, 200);
  server->Stop();
}

TEST(ServerTls, ReloadServesTheReplacedCertificateOnGrpcAndHttpsAndKeepsItWhenTheNewFilesAreBad) {
  TestCertificates pki("reload");
  pki.MakeCa("ca");
  pki.MakeCert("first", "ca", "airproxd-1", true);
  pki.MakeCert("second", "ca", "airproxd-2", true);
  fs::copy_file(pki.Path("first.crt"), pki.Path("live.crt"));
  fs::copy_file(pki.Path("first.key"), pki.Path("live.key"));
  auto server = testing::StartServer(TlsConfig(pki, "live"));
  EXPECT_EQ(WaitForPeer(*server, pki, "airproxd-1"), "airproxd-1");
  const int port = server->http_port();
  EXPECT_EQ(HttpsGet(pki, port, "/healthz", "ca").subject, "Subject:CN = airproxd-1");

  fs::copy_file(pki.Path("second.crt"), pki.Path("live.crt"), fs::copy_options::overwrite_existing);
  fs::copy_file(pki.Path("second.key"), pki.Path("live.key"), fs::copy_options::overwrite_existing);
  const Status reloaded = server->Reload();
  ASSERT_TRUE(reloaded.ok()) << reloaded.message();
  // HTTPS: the very next connection gets the new certificate (even one accepted before the reload).
  EXPECT_EQ(HttpsGet(pki, port, "/healthz", "ca").subject, "Subject:CN = airproxd-2");
  EXPECT_EQ(WssConnect(pki, port, "ca"), std::make_pair(101, true));
  EXPECT_EQ(WaitForPeer(*server, pki, "airproxd-2"), "airproxd-2");

  // Half an update (the old key with the new certificate) is refused; the certificate in force stays.
  fs::copy_file(pki.Path("first.key"), pki.Path("live.key"), fs::copy_options::overwrite_existing);
  const Status refused = server->Reload();
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("tls.key: " + pki.Path("live.key") + ": does not match the certificate"),
            std::string::npos)
      << refused.message();
  std::ofstream(pki.Path("live.crt"), std::ios::trunc) << "not a certificate\n";
  EXPECT_NE(server->Reload().message().find("no PEM certificate"), std::string::npos);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // longer than gRPC's re-read interval
  std::string cn;
  EXPECT_TRUE(ListTracks(TlsChannel(*server, pki, "ca"), &cn).ok());
  EXPECT_EQ(cn, "airproxd-2");
  EXPECT_EQ(HttpsGet(pki, port, "/healthz", "ca").subject, "Subject:CN = airproxd-2");
  server->Stop();
}

TEST(ServerTls, StartRefusesFilesThatAreMissingUnreadableOrMismatched) {
  TestCertificates pki("bad");
  pki.MakeCa("ca");
  pki.MakeCert("a", "ca", "a", true);
  pki.MakeCert("b", "ca", "b", true);
  struct Case {
    std::function<void(Config&)> change;
    std::string error;
  };
  const Case cases[] = {
      {[&](Config& c) { c.tls.key = pki.Path("b.key"); }, "tls.key: " + pki.Path("b.key") + ": does not match"},
      {[&](Config& c) { c.tls.cert = pki.Path("none.crt"); }, "tls.cert: " + pki.Path("none.crt") + ": cannot open"},
      {[&](Config& c) { c.tls.key = pki.Path("a.crt"); }, "tls.key: " + pki.Path("a.crt") + ": no PEM private key"},
      {[&](Config& c) { c.tls.cert = pki.Path("a.key"); }, "tls.cert: " + pki.Path("a.key") + ": no PEM certificate"},
      {[&](Config& c) { c.tls.client_ca = pki.Path("a.key"); }, "tls.client_ca: " + pki.Path("a.key")},
  };
  for (const Case& k : cases) {
    Config c = TlsConfig(pki, "a");
    k.change(c);
    AirproxServer server(c);
    const Status st = server.Start();
    EXPECT_FALSE(st.ok()) << k.error;
    EXPECT_EQ(st.reason(), "tls");
    EXPECT_NE(st.message().find(k.error), std::string::npos) << st.message();
  }
}

}  // namespace
}  // namespace airprox
