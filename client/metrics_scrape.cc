#include "client/metrics_scrape.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <cstdlib>
#include <mutex>
#include <sstream>

namespace airprox::cli {
namespace {

std::size_t Append(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

}  // namespace

std::map<std::string, double> ParseMetricsText(const std::string& text) {
  std::map<std::string, double> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.rfind(' ');
    if (space == std::string::npos || space == 0) continue;
    const std::string value = line.substr(space + 1);
    char* end = nullptr;
    const double v = std::strtod(value.c_str(), &end);
    if (end != value.c_str()) out[line.substr(0, space)] = v;
  }
  return out;
}

std::map<std::string, double> ScrapeMetrics(const std::string& url, double timeout_s, std::string& error,
                                            const std::string& bearer_token, const ScrapeTls& tls) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    error = "libcurl could not start";
    return {};
  }
  std::string body;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_s * 1000));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  // PEM blobs (libcurl 7.77+): the files were read when the command line was.
  const auto blob = [](const std::string& pem) {
    return curl_blob{const_cast<char*>(pem.data()), pem.size(), CURL_BLOB_COPY};
  };
  curl_blob ca = blob(tls.ca_pem), cert = blob(tls.cert_pem), key = blob(tls.key_pem);
  if (!tls.ca_pem.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO_BLOB, &ca);
  if (!tls.cert_pem.empty()) {
    curl_easy_setopt(curl, CURLOPT_SSLCERT_BLOB, &cert);
    curl_easy_setopt(curl, CURLOPT_SSLKEY_BLOB, &key);
  }
  curl_slist* headers = nullptr;
  if (!bearer_token.empty()) {
    headers = curl_slist_append(headers, ("Authorization: Bearer " + bearer_token).c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  }
  const CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  long http = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &http);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    error = fmt::format("{}: {}", url, curl_easy_strerror(rc));
    return {};
  }
  if (http != 200) {
    error = fmt::format("{}: HTTP {}", url, http);
    return {};
  }
  return ParseMetricsText(body);
}

}  // namespace airprox::cli
