// Clients for the security tests of the real server: gRPC over TLS (with a client certificate),
// HTTP and HTTPS GETs (libcurl), and a wss:// handshake on the live map's WebSocket.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <gtest/gtest.h>
#include <grpcpp/grpcpp.h>

#include "airprox/v1/airprox.grpc.pb.h"
#include "server/app/server.h"
#include "tests/app/server_test_support.h"
#include "tests/app/test_certificates.h"
#include "tests/http/websocket_test_client.h"

namespace airprox::testing {

inline constexpr auto kCallTimeout = std::chrono::seconds(5);

inline std::shared_ptr<grpc::Channel> TlsChannel(const AirproxServer& s, const TestCertificates& pki, const std::string& ca,
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
inline grpc::Status ListTracks(const std::shared_ptr<grpc::Channel>& channel, std::string* peer_cn = nullptr) {
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

inline Config TlsConfig(const TestCertificates& pki, const std::string& cert, const std::string& client_ca = "") {
  Config c = TestConfig();
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

inline std::size_t Collect(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// A GET of `url`; `setup` sets more options (TLS). status 0: no HTTP response (the connection or
// the TLS handshake failed).
inline HttpResult Fetch(const std::string& url, const std::string& token = "",
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

inline HttpResult HttpGet(int port, const std::string& path, const std::string& token = "") {
  return Fetch("http://127.0.0.1:" + std::to_string(port) + path, token);
}

// An HTTPS GET trusting the CA `ca` of `pki`, with the client certificate `client` when given.
inline HttpResult HttpsGet(const TestCertificates& pki, int port, const std::string& path, const std::string& ca,
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
inline std::pair<int, bool> WssConnect(const TestCertificates& pki, int port, const std::string& ca,
                                const std::string& client = "") {
  WebSocketTestClient ws;
  EXPECT_TRUE(client.empty() ? ws.UseTls(pki.Path(ca + ".crt"))
                             : ws.UseTls(pki.Path(ca + ".crt"), pki.Path(client + ".crt"), pki.Path(client + ".key")));
  const int status = ws.Connect(port, "/ws", {"airprox-map.v1"});
  const auto hello = status == 101 ? ws.Read(std::chrono::seconds(5)) : std::nullopt;
  return {status, hello && hello->find("\"type\":\"hello\"") != std::string::npos};
}

}  // namespace airprox::testing
