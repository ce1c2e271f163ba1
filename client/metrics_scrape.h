// Reads a few samples of airproxd's Prometheus /metrics page over HTTP (libcurl).
#pragma once

#include <map>
#include <string>

namespace airprox::cli {

// Sample name (with labels, as printed) -> value. Empty, with `error` set, when the page cannot be
// fetched within `timeout_s`. A `bearer_token` is sent as `Authorization: Bearer TOKEN`.
std::map<std::string, double> ScrapeMetrics(const std::string& url, double timeout_s, std::string& error,
                                            const std::string& bearer_token = "");

// The samples of a Prometheus text exposition (comments skipped).
std::map<std::string, double> ParseMetricsText(const std::string& text);

}  // namespace airprox::cli
