// The `tls:` section of the config: TLS on the gRPC port (certificate and key files), optionally
// requiring client certificates signed by a CA (mTLS). The files are re-read on SIGHUP
// (server_certificates.h).
#pragma once

#include <string>

#include "server/core/status.h"

namespace airprox {

struct TlsOptions {
  std::string cert;       // PEM certificate chain served on the gRPC port; "" = plaintext
  std::string key;        // PEM private key of `cert`
  std::string client_ca;  // PEM CA bundle; set: every client must present a certificate it signed
  bool enabled() const { return !cert.empty(); }
};

// cert and key come together; client_ca needs them. Errors name the key.
Status ValidateTlsOptions(const TlsOptions& tls);

}  // namespace airprox
