// Dialing the server: one channel per command, with a clear one-line error when unreachable.
// Plaintext by default; TLS when a CA to trust is given (--tls-ca), with a client certificate for
// mTLS (--tls-cert, --tls-key); a bearer token (--token-file or AIRPROX_TOKEN) on every call.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

namespace airprox::cli {

inline constexpr const char* kDefaultServer = "127.0.0.1:50051";

struct Endpoint {
  std::string address = kDefaultServer;  // HOST:PORT
  double connect_timeout_s = 5.0;
  std::string token;  // sent as `authorization: Bearer TOKEN` on every call; "": none
  bool tls = false;
  std::string tls_ca_pem;    // the CA the server's certificate must chain to
  std::string tls_cert_pem;  // client certificate chain (mTLS); "": none
  std::string tls_key_pem;   // its private key
};

// The credential files as given on the command line ("" = not given).
struct CredentialFiles {
  std::string token_file;  // the token itself (first line; surrounding whitespace ignored)
  std::string tls_ca, tls_cert, tls_key;
};

// Reads `files` into `server`: the token from token_file, else from the environment variable
// AIRPROX_TOKEN; TLS when tls_ca is given. false with a one-line `error` naming the file or flag.
bool LoadCredentials(const CredentialFiles& files, Endpoint& server, std::string& error);

// A channel to `server` with its credentials and token (not yet connected).
std::shared_ptr<grpc::Channel> MakeChannel(const Endpoint& server,
                                           const grpc::ChannelArguments& args = grpc::ChannelArguments());

// A connected channel, or nullptr with `error` set ("cannot reach airproxd at HOST:PORT ...").
std::shared_ptr<grpc::Channel> Connect(const Endpoint& server, std::string& error);

}  // namespace airprox::cli
