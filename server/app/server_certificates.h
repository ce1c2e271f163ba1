// The certificate and key served on the gRPC and HTTP ports (tls.cert, tls.key) and the CA that client
// certificates must chain to (tls.client_ca), re-read on demand (SIGHUP).
//
// gRPC 1.51 can only watch files (FileWatcherCertificateProvider re-reads its files every second
// and takes whatever it finds, even a half-written file or a key that does not match the
// certificate). So airproxd checks the configured files itself with OpenSSL and hands gRPC private
// copies in a directory of its own (mode 0700, removed at exit): key and chain in one file, replaced
// by one rename, and only ever with a pair that matches. A reload with a bad file keeps serving the
// previous certificate.
#pragma once

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/security/tls_certificate_provider.h>

#include <memory>
#include <mutex>
#include <string>

#include "server/app/tls_options.h"
#include "server/core/status.h"

namespace airprox {

class ServerCertificates {
 public:
  // Reads and checks the files named by `tls` (enabled), then stages them. Errors name the key,
  // the file and the problem.
  static Status Open(const TlsOptions& tls, std::unique_ptr<ServerCertificates>& out);
  ~ServerCertificates();
  ServerCertificates(const ServerCertificates&) = delete;
  ServerCertificates& operator=(const ServerCertificates&) = delete;

  // Re-reads the files. When they are valid, new handshakes get them within about a second;
  // otherwise the previous ones stay and the error says why.
  Status Reload();

  // TLS server credentials: the staged certificate, and client certificates required and verified
  // against tls.client_ca when it is set.
  std::shared_ptr<grpc::ServerCredentials> Credentials() const;

  // The certificate in force as PEM (the key, then the chain) and the client CA ("" without
  // tls.client_ca): what the HTTP server builds its TLS context from, at each connection.
  struct Pem {
    std::string identity;
    std::string client_ca;
  };
  Pem Current() const;

  // The certificate in force, for the log: "subject CN=..., expires Nov 29 18:00:00 2027 GMT".
  std::string Describe() const;

 private:
  ServerCertificates() = default;
  Status Stage(const std::string& identity_pem, const std::string& ca_pem);

  TlsOptions tls_;
  std::string dir_;  // the private staging directory
  mutable std::mutex mu_;
  std::string description_;
  Pem current_;
  std::shared_ptr<grpc::experimental::FileWatcherCertificateProvider> provider_;
};

}  // namespace airprox
