#include "client/connection.h"

#include <grpcpp/support/client_interceptor.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace airprox::cli {
namespace {

// Adds the bearer token to the initial metadata of every call on the channel.
class BearerToken final : public grpc::experimental::Interceptor {
 public:
  explicit BearerToken(const std::string& value) : value_(value) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(grpc::experimental::InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->insert({"authorization", value_});
    }
    methods->Proceed();
  }

 private:
  const std::string& value_;
};

class BearerTokenFactory final : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit BearerTokenFactory(std::string token) : value_("Bearer " + std::move(token)) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(grpc::experimental::ClientRpcInfo*) override {
    return new BearerToken(value_);
  }

 private:
  std::string value_;  // outlives the channel's interceptors: the channel owns this factory
};

bool ReadFile(const std::string& flag, const std::string& path, std::string& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = flag + ": cannot open " + path;
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  out = text.str();
  return true;
}

std::string Trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_first_of("\r\n", first) - first);
}

}  // namespace

bool LoadCredentials(const CredentialFiles& files, Endpoint& server, std::string& error) {
  if (!files.token_file.empty()) {
    std::string text;
    if (!ReadFile("--token-file", files.token_file, text, error)) return false;
    server.token = Trim(text);
    if (server.token.empty()) {
      error = "--token-file: " + files.token_file + " holds no token";
      return false;
    }
  } else if (const char* env = std::getenv("AIRPROX_TOKEN"); env != nullptr) {
    server.token = Trim(env);
  }
  if (server.token.find_first_of(" \t") != std::string::npos) {
    error = "the bearer token must not contain spaces";
    return false;
  }
  if (files.tls_cert.empty() != files.tls_key.empty()) {
    error = files.tls_cert.empty() ? "--tls-key needs --tls-cert" : "--tls-cert needs --tls-key";
    return false;
  }
  if (!files.tls_cert.empty() && files.tls_ca.empty()) {
    error = "--tls-cert needs --tls-ca (the CA of the server's certificate)";
    return false;
  }
  if (files.tls_ca.empty()) return true;
  server.tls = true;
  if (!ReadFile("--tls-ca", files.tls_ca, server.tls_ca_pem, error)) return false;
  if (!files.tls_cert.empty()) {
    if (!ReadFile("--tls-cert", files.tls_cert, server.tls_cert_pem, error)) return false;
    if (!ReadFile("--tls-key", files.tls_key, server.tls_key_pem, error)) return false;
  }
  return true;
}

std::shared_ptr<grpc::Channel> MakeChannel(const Endpoint& server, const grpc::ChannelArguments& args) {
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (server.tls) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = server.tls_ca_pem;
    ssl.pem_cert_chain = server.tls_cert_pem;
    ssl.pem_private_key = server.tls_key_pem;
    credentials = grpc::SslCredentials(ssl);
  }
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> interceptors;
  if (!server.token.empty()) interceptors.push_back(std::make_unique<BearerTokenFactory>(server.token));
  return grpc::experimental::CreateCustomChannelWithInterceptors(server.address, credentials, args,
                                                                 std::move(interceptors));
}

std::shared_ptr<grpc::Channel> Connect(const Endpoint& server, std::string& error) {
  auto channel = MakeChannel(server);
  const auto deadline = std::chrono::system_clock::now() +
                        std::chrono::milliseconds(static_cast<long>(server.connect_timeout_s * 1000));
  if (!channel->WaitForConnected(deadline)) {
    error = server.tls ? "cannot reach airproxd at " + server.address +
                             " over TLS (is it running with TLS? does its certificate chain to --tls-ca and name "
                             "that host? does it require a client certificate: --tls-cert, --tls-key?)"
                       : "cannot reach airproxd at " + server.address +
                             " (is it running? start it with ./scripts/run.sh; over TLS: --tls-ca FILE)";
    return nullptr;
  }
  return channel;
}

}  // namespace airprox::cli
