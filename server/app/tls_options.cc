#include "server/app/tls_options.h"

namespace airprox {

Status ValidateTlsOptions(const TlsOptions& tls) {
  if (tls.cert.empty() != tls.key.empty()) {
    return InvalidArgument("config", tls.cert.empty() ? "tls.key: is set without tls.cert"
                                                      : "tls.cert: is set without tls.key");
  }
  if (!tls.client_ca.empty() && tls.cert.empty()) {
    return InvalidArgument("config", "tls.client_ca: needs tls.cert and tls.key (mTLS is TLS first)");
  }
  return Status::Ok();
}

}  // namespace airprox
