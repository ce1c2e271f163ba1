#include "server/app/listen_policy.h"

#include <fmt/format.h>

#include "server/net/host_port.h"
#include "server/net/loopback.h"

namespace airprox {
namespace {

struct Listener {
  std::string key;  // config key
  std::string what;
  std::string address;
  std::string remedy;
};

std::vector<Listener> NonLoopbackPlaintext(const Config& c) {
  std::vector<Listener> out;
  const auto outside = [](const std::string& address) {
    HostPort hp;
    return !ParseHostPort(address, hp).ok() || !IsLoopbackHost(hp.host);
  };
  if (!c.tls.enabled() && outside(c.listen)) {
    out.push_back({"server.listen", "gRPC", c.listen, "set tls.cert and tls.key, or pass --allow-insecure"});
  }
  if (!c.tls.enabled() && !c.http_listen.empty() && outside(c.http_listen)) {
    out.push_back({"http.listen", "HTTP", c.http_listen,
                   "set tls.cert and tls.key (HTTPS), listen on 127.0.0.1, or pass --allow-insecure"});
  }
  for (std::size_t i = 0; i < c.feeds.size(); ++i) {
    const FeedOptions& f = c.feeds[i];
    if (f.type == FeedType::kSbsListener && outside(f.address)) {
      out.push_back({fmt::format("feeds[{}].listen", i), fmt::format("SBS (feed {})", f.name), f.address,
                     "SBS has no TLS: listen on 127.0.0.1 (e.g. behind an SSH or stunnel tunnel), or pass "
                     "--allow-insecure"});
    }
  }
  return out;
}

}  // namespace

Status CheckPlaintextListeners(const Config& config) {
  if (config.allow_insecure) return Status::Ok();
  const std::vector<Listener> l = NonLoopbackPlaintext(config);
  if (l.empty()) return Status::Ok();
  return InvalidArgument("config", fmt::format("{}: refusing plaintext {} on {}, which is not a loopback address: {}",
                                               l[0].key, l[0].what, l[0].address, l[0].remedy));
}

std::vector<std::string> InsecureListeners(const Config& config) {
  std::vector<std::string> out;
  for (const Listener& l : NonLoopbackPlaintext(config)) out.push_back(l.what + " " + l.address);
  return out;
}

}  // namespace airprox
