// Reads a few samples of airproxd's Prometheus /metrics page over HTTP or HTTPS (libcurl).
#pragma once

#include <map>
#include <string>

namespace airprox::cli {

// For an https:// URL, as PEM text: the CA the server's certificate must chain to ("": the
// system's CAs), and a client certificate chain and key for a server with tls.client_ca.
struct ScrapeTls {
  std::string ca_pem, cert_pem, key_pem;
};

// Sample name (with labels, as printed) -> value. Empty, with `error` set, when the page cannot be
// fetched within `timeout_s`. A `bearer_token` is sent as `Authorization: Bearer TOKEN`.
std::map<std::string, double> ScrapeMetrics(const std::string& url, double timeout_s, std::string& error,
                                            const std::string& bearer_token = "", const ScrapeTls& tls = {});

// The samples of a Prometheus text exposition (comments skipped).
std::map<std::string, double> ParseMetricsText(const std::string& text);

}  // namespace airprox::cli
