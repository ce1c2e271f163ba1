// TLS, mTLS and bearer tokens on the real server (in-process, 127.0.0.1, port 0), with
// certificates made by Debian's openssl for each test.
#include "server/app/server.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <map>
#include <thread>

#include <grpcpp/generic/generic_stub.h>

#include "airprox/v1/airprox.grpc.pb.h"
#include "server/auth/access_tokens.h"
#include "server/service/call_authorization.h"
#include "server/service/proto_convert.h"
#include "server/service/refusal_log.h"
#include "tests/app/server_test_support.h"
#include "tests/app/test_certificates.h"
#include "tests/http/websocket_test_client.h"

namespace airprox {
namespace {

namespace fs = std::filesystem;
using testing::TestCertificates;

constexpr auto kCallTimeout = std::chrono::seconds(5);

std::shared_ptr<grpc::Channel> TlsChannel(const AirproxServer& s, const TestCertificates& pki, const std::string& ca,
                                          const std::string& client = "") {
  grpc::SslCredentialsOptions o;
  o.pem_root_certs = pki.Read(ca + ".crt");
  if (!client.empty()) {
    o.pem_cert_chain = pki.Read(client + ".crt");
    o.pem_private_key = pki.Read(client + ".key");
  }
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // a connection (and handshake) of its own
  return grpc::CreateCustomChannel(s.address(), grpc::SslCredentials(o), args);
}

// Tracks.ListTracks over `channel`; `peer_cn` gets the common name of the server's certificate.
grpc::Status ListTracks(const std::shared_ptr<grpc::Channel>& channel, std::string* peer_cn = nullptr) {
  auto stub = v1::Tracks::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
  v1::ListTracksResponse response;
  const grpc::Status st = stub->ListTracks(&context, v1::ListTracksRequest(), &response);
  if (peer_cn != nullptr && context.auth_context()) {
    const auto cn = context.auth_context()->FindPropertyValues("x509_common_name");
    *peer_cn = cn.empty() ? "" : std::string(cn[0].data(), cn[0].size());
  }
  return st;
}

Config TlsConfig(const TestCertificates& pki, const std::string& cert, const std::string& client_ca = "") {
  Config c = testing::TestConfig();
  c.tls.cert = pki.Path(cert + ".crt");
  c.tls.key = pki.Path(cert + ".key");
  if (!client_ca.empty()) c.tls.client_ca = pki.Path(client_ca + ".crt");
  return c;
}

// --- HTTP clients ------------------------------------------------------------------------

struct HttpResult {
  long status = 0;
  std::string headers;
  std::string subject;  // of the server's certificate, over HTTPS ("Subject:CN = ...")
};

std::size_t Collect(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// A GET of `url`; `setup` sets more options (TLS). status 0: no HTTP response (the connection or
// the TLS handshake failed).
HttpResult Fetch(const std::string& url, const std::string& token = "",
                 const std::function<void(CURL*)>& setup = {}) {
  HttpResult r;
  std::string body;
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, Collect);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &r.headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
  curl_slist* headers = nullptr;
  if (!token.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (setup) setup(curl);
  curl_easy_setopt(curl, CURLOPT_CERTINFO, 1L);
  if (curl_easy_perform(curl) == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
    curl_certinfo* certs = nullptr;
    if (curl_easy_getinfo(curl, CURLINFO_CERTINFO, &certs) == CURLE_OK && certs != nullptr && certs->num_of_certs > 0) {
      for (curl_slist* field = certs->certinfo[0]; field != nullptr; field = field->next) {
        if (std::string(field->data).rfind("Subject:", 0) == 0) r.subject = field->data;
      }
    }
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return r;
}

HttpResult HttpGet(int port, const std::string& path, const std::string& token = "") {
  return Fetch("http://127.0.0.1:" + std::to_string(port) + path, token);
}

// An HTTPS GET trusting the CA `ca` of `pki`, with the client certificate `client` when given.
HttpResult HttpsGet(const TestCertificates& pki, int port, const std::string& path, const std::string& ca,
                    const std::string& client = "") {
  return Fetch("https://127.0.0.1:" + std::to_string(port) + path, "", [&](CURL* curl) {
    curl_easy_setopt(curl, CURLOPT_CAINFO, pki.Path(ca + ".crt").c_str());
    curl_easy_setopt(curl, CURLOPT_CAPATH, nullptr);
    if (!client.empty()) {
      curl_easy_setopt(curl, CURLOPT_SSLCERT, pki.Path(client + ".crt").c_str());
      curl_easy_setopt(curl, CURLOPT_SSLKEY, pki.Path(client + ".key").c_str());
    }
  });
}

// The status of a wss:// handshake on /ws trusting `ca` (with the client certificate `client`),
// and whether the map's hello followed; -1: the TLS handshake failed.
std::pair<int, bool> WssConnect(const TestCertificates& pki, int port, const std::string& ca,
                                const std::string& client = "") {
  testing::WebSocketTestClient ws;
  EXPECT_TRUE(client.empty() ? ws.UseTls(pki.Path(ca + ".crt"))
                             : ws.UseTls(pki.Path(ca + ".crt"), pki.Path(client + ".crt"), pki.Path(client + ".key")));
  const int status = ws.Connect(port, "/ws", {"airprox-map.v1"});
  const auto hello = status == 101 ? ws.Read(std::chrono::seconds(5)) : std::nullopt;
  return {status, hello && hello->find("\"type\":\"hello\"") != std::string::npos};
}

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

// --- Bearer tokens -------------------------------------------------------------------------

const char* const kTokens[] = {"ingest-secret", "subscribe-secret", "admin-secret", "all-secret"};

std::string TokenFile(const fs::path& path) {
  std::ofstream(path) << "# name and roles of each token\n"
                      << Sha256Hex("ingest-secret") << " feeder ingest\n"
                      << Sha256Hex("subscribe-secret") << " watcher subscribe\n"
                      << Sha256Hex("admin-secret") << " ops admin\n"
                      << Sha256Hex("all-secret") << " everything ingest,subscribe,admin\n";
  return path.string();
}

class ServerTokens : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() / ("airprox_tokens_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    Config c = testing::TestConfig();
    c.auth.token_file = TokenFile(path_);
    c.subscribers.heartbeat_s = 0.1;  // a subscriber that is let in reads a heartbeat at once
    server_ = testing::StartServer(c);
    channel_ = testing::Dial(*server_);
  }
  void TearDown() override {
    server_->Stop();
    fs::remove(path_);
  }

  fs::path path_;
  std::unique_ptr<AirproxServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

// airprox_auth_refused_total{reason} in the server's /metrics text (-1 when missing).
double AuthRefused(const AirproxServer& s, const std::string& reason) {
  const std::string text = s.MetricsText();
  const std::string sample = "\nairprox_auth_refused_total{reason=\"" + reason + "\"} ";
  const auto at = text.find(sample);
  return at == std::string::npos ? -1.0 : std::stod(text.substr(at + sample.size()));
}

void Authorize(grpc::ClientContext& context, const std::string& token) {
  context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
  if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
}

// A unary call with `token`; its status code.
template <typename Stub, typename Request, typename Response>
grpc::StatusCode Unary(std::unique_ptr<Stub> stub,
                       grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                       const std::string& token, const Request& request = Request()) {
  grpc::ClientContext context;
  Authorize(context, token);
  Response response;
  return ((*stub).*method)(&context, request, &response).error_code();
}

// One call of each method of airprox.v1, returning its status code; `allowed` is the code when
// the token passes (GetTrack of a track that does not exist: NOT_FOUND).
struct Call {
  std::string method;
  Role role;
  grpc::StatusCode allowed;
  std::function<grpc::StatusCode(const std::shared_ptr<grpc::Channel>&, const std::string& token)> run;
};

const std::vector<Call>& Calls() {
  static const std::vector<Call> calls = {
      {"/airprox.v1.TrackIngest/Ingest", Role::kIngest, grpc::StatusCode::OK,
       [](const std::shared_ptr<grpc::Channel>& ch, const std::string& token) {
         auto stub = v1::TrackIngest::NewStub(ch);
         grpc::ClientContext context;
         Authorize(context, token);
         auto stream = stub->Ingest(&context);
         v1::PositionBatch batch;
         batch.set_batch_id(1);
         v1::IngestAck ack;
         if (stream->Write(batch)) stream->Read(&ack);
         stream->WritesDone();
         return stream->Finish().error_code();
       }},
      {"/airprox.v1.Encounters/Subscribe", Role::kSubscribe, grpc::StatusCode::OK,
       [](const std::shared_ptr<grpc::Channel>& ch, const std::string& token) {
         auto stub = v1::Encounters::NewStub(ch);
         grpc::ClientContext context;
         Authorize(context, token);
         auto reader = stub->Subscribe(&context, v1::SubscribeRequest());
         v1::EncounterEvent event;
         if (reader->Read(&event)) {
           context.TryCancel();
           reader->Finish();
           return event.kind() == v1::EncounterEvent::HEARTBEAT ? grpc::StatusCode::OK : grpc::StatusCode::INTERNAL;
         }
         return reader->Finish().error_code();
       }},
      {"/airprox.v1.Encounters/ListActive", Role::kSubscribe, grpc::StatusCode::OK,
       [](const std::shared_ptr<grpc::Channel>& ch, const std::string& token) {
         return Unary(v1::Encounters::NewStub(ch), &v1::Encounters::Stub::ListActive, token);
       }},
      {"/airprox.v1.Tracks/ListTracks", Role::kSubscribe, grpc::StatusCode::OK,
       [](const std::shared_ptr<grpc::Channel>& ch, const std::string& token) {
         return Unary(v1::Tracks::NewStub(ch), &v1::Tracks::Stub::ListTracks, token);
       }},
      {"/airprox.v1.Tracks/GetTrack", Role::kSubscribe, grpc::StatusCode::NOT_FOUND,
       [](const std::shared_ptr<grpc::Channel>& ch, const std::string& token) {
         v1::GetTrackRequest request;
         request.set_track_id("nope");
         return Unary(v1::Tracks::NewStub(ch), &v1::Tracks::Stub::GetTrack, token, request);
       }},
  };
  return calls;
}

TEST_F(ServerTokens, EveryRoleAgainstEveryMethod) {
  ASSERT_EQ(Calls().size(), std::size(kMethodRoles));
  for (const Call& call : Calls()) EXPECT_EQ(MethodRoleOf(call.method), call.role) << call.method;
  const std::map<std::string, Roles> roles = {
      {"ingest-secret", {Role::kIngest}},
      {"subscribe-secret", {Role::kSubscribe}},
      {"admin-secret", {Role::kAdmin}},
      {"all-secret", {Role::kIngest, Role::kSubscribe, Role::kAdmin}},
  };
  for (const Call& call : Calls()) {
    for (const char* token : kTokens) {
      const grpc::StatusCode expected =
          roles.at(token).Has(call.role) ? call.allowed : grpc::StatusCode::PERMISSION_DENIED;
      EXPECT_EQ(call.run(channel_, token), expected) << call.method << " with " << token;
    }
  }
}

TEST_F(ServerTokens, MissingOrUnknownTokensAreUnauthenticatedAndLoggedWithoutTheToken) {
  auto ring = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
  spdlog::default_logger()->sinks().push_back(ring);
  // The first three are logged (refusal lines are rate-limited: the rest may not be).
  EXPECT_EQ(Calls()[0].run(channel_, "subscribe-secret"), grpc::StatusCode::PERMISSION_DENIED);
  for (const Call& call : Calls()) {
    EXPECT_EQ(call.run(channel_, ""), grpc::StatusCode::UNAUTHENTICATED) << call.method;
    EXPECT_EQ(call.run(channel_, "guess"), grpc::StatusCode::UNAUTHENTICATED) << call.method;
  }
  spdlog::default_logger()->sinks().pop_back();
  const std::vector<std::string> lines = ring->last_formatted();
  std::string all;
  for (const std::string& l : lines) all += l;
  EXPECT_NE(all.find("auth refused method=/airprox.v1.TrackIngest/Ingest name=watcher"), std::string::npos) << all;
  EXPECT_NE(all.find("reason=unknown_token"), std::string::npos) << all;
  EXPECT_NE(all.find("reason=missing_token"), std::string::npos) << all;
  EXPECT_EQ(all.find("subscribe-secret"), std::string::npos) << all;
  EXPECT_EQ(all.find("guess"), std::string::npos) << all;
}

TEST_F(ServerTokens, AFloodOfRefusalsLogsAFewLinesASecondThenHowManyWereSuppressedAndCountsEveryOne) {
  auto ring = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(256);
  spdlog::default_logger()->sinks().push_back(ring);
  const Call& list = Calls()[3];
  const double before = AuthRefused(*server_, "unauthenticated");
  constexpr int kFlood = 40;
  for (int i = 0; i < kFlood; ++i) ASSERT_EQ(list.run(channel_, "guess"), grpc::StatusCode::UNAUTHENTICATED);
  const auto lines = [&] {
    std::vector<std::string> out;
    for (const std::string& l : ring->last_formatted()) {
      if (l.find("auth refused") != std::string::npos || l.find("auth refusals") != std::string::npos) out.push_back(l);
    }
    return out;
  };
  const std::size_t logged = lines().size();
  EXPECT_GE(logged, 1u);
  EXPECT_LE(logged, kRefusalLinesPerSecond + 1) << "at most a few lines a second (and one summary of earlier ones)";
  std::size_t refused_lines = 0;
  for (const std::string& l : lines()) refused_lines += l.find("auth refused method=") != std::string::npos;
  EXPECT_EQ(AuthRefused(*server_, "unauthenticated"), before + kFlood) << "the counters count every refusal";

  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the next second
  ASSERT_EQ(list.run(channel_, "guess"), grpc::StatusCode::UNAUTHENTICATED);
  spdlog::default_logger()->sinks().pop_back();
  const std::vector<std::string> after = lines();
  ASSERT_GE(after.size(), logged + 2) << "a line of how many were suppressed, then the refusal";
  const std::string& summary = after[after.size() - 2];
  const std::string expected = fmt::format("auth refusals: {} log lines suppressed", kFlood - refused_lines);
  EXPECT_NE(summary.find(expected), std::string::npos) << summary << " (expected " << expected << ")";
  EXPECT_NE(after.back().find("auth refused method=/airprox.v1.Tracks/ListTracks"), std::string::npos) << after.back();
}

TEST_F(ServerTokens, TheHealthServiceStaysOpen) {
  auto stub = std::make_unique<grpc::GenericStub>(channel_);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
  const grpc::Slice empty;
  const grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub->UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                  [&](grpc::Status st) { done.set_value(std::move(st)); });
  EXPECT_TRUE(done.get_future().get().ok());
}

TEST_F(ServerTokens, ReloadRevokesAndAddsTokensAndKeepsThemWhenTheNewFileIsInvalid) {
  const Call& list = Calls()[3];
  std::ofstream(path_, std::ios::trunc) << Sha256Hex("new-secret") << " newcomer subscribe\n";
  ASSERT_TRUE(server_->Reload().ok());
  EXPECT_EQ(list.run(channel_, "subscribe-secret"), grpc::StatusCode::UNAUTHENTICATED) << "revoked";
  EXPECT_EQ(list.run(channel_, "new-secret"), grpc::StatusCode::OK);

  std::ofstream(path_, std::ios::trunc) << "# broken\n" << Sha256Hex("x") << " x read\n";
  const Status st = server_->Reload();
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find(path_.string() + ":2: 'read' is not a role"), std::string::npos) << st.message();
  EXPECT_EQ(list.run(channel_, "new-secret"), grpc::StatusCode::OK) << "the previous tokens stay";
}

// A batch of one report of `track` (data time 1.5e9 s + `t_s`).
v1::PositionBatch OneReport(const std::string& track, double t_s, std::uint64_t batch_id) {
  v1::PositionBatch batch;
  batch.set_batch_id(batch_id);
  v1::Position* p = batch.add_positions();
  p->set_track_id(track);
  ToTimestamp(1.5e9 + t_s, p->mutable_time());
  p->set_lat_deg(46);
  p->set_lon_deg(6);
  p->set_alt_ft(30000);
  return batch;
}

// An open Ingest stream with `token`, its first batch acknowledged.
struct OpenIngest {
  OpenIngest(const std::shared_ptr<grpc::Channel>& channel, const std::string& token)
      : stub(v1::TrackIngest::NewStub(channel)) {
    Authorize(context, token);
    stream = stub->Ingest(&context);
    v1::IngestAck ack;
    open = stream->Write(OneReport(token.substr(0, 6), 0, 1)) && stream->Read(&ack) && ack.accepted() == 1;
  }
  std::unique_ptr<v1::TrackIngest::Stub> stub;
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReaderWriter<v1::PositionBatch, v1::IngestAck>> stream;
  bool open = false;
};

// An open Subscribe stream with `token`, its first heartbeat read.
struct OpenSubscriber {
  OpenSubscriber(const std::shared_ptr<grpc::Channel>& channel, const std::string& token)
      : stub(v1::Encounters::NewStub(channel)) {
    Authorize(context, token);
    reader = stub->Subscribe(&context, v1::SubscribeRequest());
    open = reader->Read(&event);
  }
  // Reads until the stream ends; its status.
  grpc::Status ReadToEnd() {
    while (reader->Read(&event)) {
    }
    return reader->Finish();
  }
  std::unique_ptr<v1::Encounters::Stub> stub;
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<v1::EncounterEvent>> reader;
  v1::EncounterEvent event;
  bool open = false;
};

TEST_F(ServerTokens, AReloadEndsTheOpenStreamsWhoseTokenItRevokesOrStripsOfTheRole) {
  auto ring = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
  spdlog::default_logger()->sinks().push_back(ring);
  OpenSubscriber watcher(channel_, "subscribe-secret");  // its token goes
  OpenSubscriber everything(channel_, "all-secret");     // keeps subscribe
  OpenIngest all_ingest(channel_, "all-secret");         // loses ingest
  OpenIngest feeder(channel_, "ingest-secret");          // keeps ingest
  ASSERT_TRUE(watcher.open && everything.open && all_ingest.open && feeder.open);
  const auto refused = [&](const std::string& reason) { return AuthRefused(*server_, reason); };
  const double unauthenticated = refused("unauthenticated"), denied = refused("permission_denied");

  std::ofstream(path_, std::ios::trunc) << Sha256Hex("ingest-secret") << " feeder ingest\n"
                                        << Sha256Hex("all-secret") << " everything subscribe,admin\n";
  ASSERT_TRUE(server_->Reload().ok());

  // Subscribe: ended at the reload (after what was queued), without waiting for an event.
  const grpc::Status revoked = watcher.ReadToEnd();
  EXPECT_EQ(revoked.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(revoked.error_message().find("revoked by a reload of the server's token file"), std::string::npos)
      << revoked.error_message();
  ASSERT_TRUE(everything.reader->Read(&everything.event)) << "a token that keeps its role keeps its stream";
  everything.context.TryCancel();
  EXPECT_EQ(everything.ReadToEnd().error_code(), grpc::StatusCode::CANCELLED);

  // Ingest: ended at its next batch, which is not applied.
  v1::IngestAck ack;
  ASSERT_TRUE(all_ingest.stream->Write(OneReport("stripped", 2, 2)));
  EXPECT_FALSE(all_ingest.stream->Read(&ack));
  const grpc::Status stripped = all_ingest.stream->Finish();
  EXPECT_EQ(stripped.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(stripped.error_message().find("lacks the role ingest"), std::string::npos) << stripped.error_message();
  ASSERT_TRUE(feeder.stream->Write(OneReport("kept", 2, 2)));
  ASSERT_TRUE(feeder.stream->Read(&ack));
  EXPECT_EQ(ack.accepted(), 1u);
  feeder.stream->WritesDone();
  EXPECT_TRUE(feeder.stream->Finish().ok());
  EXPECT_FALSE(testing::OnDetector(*server_, [](const Detector& d) { return d.tracks().Find("stripped") != nullptr; }));
  EXPECT_TRUE(testing::OnDetector(*server_, [](const Detector& d) { return d.tracks().Find("kept") != nullptr; }));

  EXPECT_EQ(refused("unauthenticated"), unauthenticated + 1);
  EXPECT_EQ(refused("permission_denied"), denied + 1);
  spdlog::default_logger()->sinks().pop_back();
  std::string all;
  for (const std::string& l : ring->last_formatted()) all += l;
  EXPECT_NE(all.find("auth revoked method=/airprox.v1.Encounters/Subscribe name=watcher"), std::string::npos) << all;
  EXPECT_NE(all.find("auth revoked method=/airprox.v1.TrackIngest/Ingest name=everything"), std::string::npos) << all;
  EXPECT_NE(all.find("reason=missing_role"), std::string::npos) << all;
  EXPECT_EQ(all.find("subscribe-secret"), std::string::npos) << all;
}

TEST(ServerTokensStart, ABadTokenFileStopsTheStartWithFileAndLine) {
  const fs::path path = fs::temp_directory_path() / ("airprox_bad_tokens_" + std::to_string(::getpid()));
  std::ofstream(path) << Sha256Hex("a") << " a ingest\n" << Sha256Hex("b") << " b ingest,,admin\n";
  Config c = testing::TestConfig();
  c.auth.token_file = path.string();
  AirproxServer server(c);
  const Status st = server.Start();
  EXPECT_EQ(st.reason(), "token_file");
  EXPECT_EQ(st.message(), path.string() + ":2: '' is not a role (ingest, subscribe, admin)");
  fs::remove(path);
}

// --- HTTP ----------------------------------------------------------------------------------

TEST_F(ServerTokens, HttpProbesStayOpenAndEverythingElseNeedsAValidToken) {
  const int port = server_->http_port();
  EXPECT_EQ(HttpGet(port, "/healthz").status, 200);
  EXPECT_EQ(HttpGet(port, "/readyz").status, 200);
  const HttpResult anonymous = HttpGet(port, "/metrics");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_NE(anonymous.headers.find("WWW-Authenticate: Bearer realm=\"airprox\""), std::string::npos)
      << anonymous.headers;
  EXPECT_EQ(HttpGet(port, "/metrics", "guess").status, 401);
  EXPECT_EQ(HttpGet(port, "/nothing").status, 401);
  for (const char* token : kTokens) EXPECT_EQ(HttpGet(port, "/metrics", token).status, 200) << token;
  EXPECT_EQ(HttpGet(port, "/nothing", "ingest-secret").status, 404);
  const std::string metrics = server_->MetricsText();
  EXPECT_NE(metrics.find("airprox_auth_tokens 4\n"), std::string::npos);
  EXPECT_NE(metrics.find("airprox_auth_refused_total{reason=\"unauthenticated\"} 3\n"), std::string::npos) << metrics;
}

TEST_F(ServerTokens, TheMapPageLoadsWithoutATokenAndItsDataNeedsTheSubscribeRole) {
  const int port = server_->http_port();
  // The page's files are public code: the page must load to ask for a token.
  for (const char* path : {"/", "/map.js", "/map.css", "/base_map.geojson", "/leaflet/leaflet.js"}) {
    EXPECT_EQ(HttpGet(port, path).status, 200) << path;
  }
  EXPECT_EQ(HttpGet(port, "/metrics").status, 401);

  auto ring = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
  spdlog::default_logger()->sinks().push_back(ring);
  testing::WebSocketTestClient none, unknown, ingest, admin;
  EXPECT_EQ(none.Connect(port, "/ws", {"airprox-map.v1"}), 401);
  EXPECT_EQ(unknown.Connect(port, "/ws", {"airprox-map.v1", "token.guess"}), 401);
  EXPECT_EQ(ingest.Connect(port, "/ws", {"airprox-map.v1", "token.ingest-secret"}), 403);
  EXPECT_EQ(admin.Connect(port, "/ws", {"airprox-map.v1", "token.admin-secret"}), 403);
  spdlog::default_logger()->sinks().pop_back();
  std::string log;
  for (const std::string& line : ring->last_formatted()) log += line;
  EXPECT_NE(log.find("auth refused path=/ws name=feeder reason=missing_role"), std::string::npos) << log;
  EXPECT_NE(log.find("auth refused path=/ws name=- reason=missing_token"), std::string::npos) << log;
  for (const char* token : kTokens) EXPECT_EQ(log.find(token), std::string::npos) << token;
  const std::string metrics = server_->MetricsText();
  EXPECT_NE(metrics.find("airprox_auth_refused_total{reason=\"unauthenticated\"} 3\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("airprox_auth_refused_total{reason=\"permission_denied\"} 2\n"), std::string::npos) << metrics;

  // With the subscribe role: the handshake succeeds and the tracks follow.
  testing::WebSocketTestClient watcher;
  ASSERT_EQ(watcher.Connect(port, "/ws", {"airprox-map.v1", "token.subscribe-secret"}), 101);
  Position p;
  p.time_s = 1700000000;
  p.track_id = "4b1814";
  p.lat_deg = 46;
  p.lon_deg = 6;
  p.alt_ft = 30000;
  std::promise<void> applied;
  ASSERT_TRUE(server_->detection().SubmitBatch({p}, [&](std::vector<Status>) { applied.set_value(); }).ok());
  applied.get_future().wait();
  bool got_track = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!got_track && std::chrono::steady_clock::now() < deadline) {
    const auto m = watcher.Read(std::chrono::milliseconds(200));
    got_track = m && m->find("\"type\":\"tracks\"") != std::string::npos && m->find("4b1814") != std::string::npos;
  }
  EXPECT_TRUE(got_track) << "no tracks message with the track reached the subscribe token's client";
  testing::WebSocketTestClient everything;
  EXPECT_EQ(everything.Connect(port, "/ws", {"airprox-map.v1", "token.all-secret"}), 101);
}

TEST(ServerTokensOff, WithoutATokenFileHttpAndGrpcAreOpen) {
  Config c = testing::TestConfig();
  c.subscribers.heartbeat_s = 0.1;
  auto server = testing::StartServer(c);
  EXPECT_EQ(HttpGet(server->http_port(), "/metrics").status, 200);
  for (const Call& call : Calls()) EXPECT_EQ(call.run(testing::Dial(*server), ""), call.allowed) << call.method;
  server->Stop();
}

TEST(ServerTokensTls, TokensAndMutualTlsTogether) {
  TestCertificates pki("tokens_tls");
  pki.MakeCa("ca");
  pki.MakeCert("server", "ca", "airproxd", true);
  pki.MakeCert("client", "ca", "radar-1", false);
  const fs::path path = fs::temp_directory_path() / ("airprox_tls_tokens_" + std::to_string(::getpid()));
  Config c = TlsConfig(pki, "server", "ca");
  c.auth.token_file = TokenFile(path);
  auto server = testing::StartServer(c);
  const auto channel = TlsChannel(*server, pki, "ca", "client");
  EXPECT_EQ(Calls()[3].run(channel, "subscribe-secret"), grpc::StatusCode::OK);
  EXPECT_EQ(Calls()[3].run(channel, "ingest-secret"), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Calls()[3].run(channel, ""), grpc::StatusCode::UNAUTHENTICATED);
  server->Stop();
  fs::remove(path);
}

}  // namespace
}  // namespace airprox
