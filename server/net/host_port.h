// "HOST:PORT" as given in the config, split for a resolver (feeds, the HTTP server).
#pragma once

#include <string>

#include "server/core/status.h"

namespace airprox {

struct HostPort {
  std::string host, port;
};
// IPv6 hosts are written in brackets: [::1]:30003.
Status ParseHostPort(const std::string& address, HostPort& out);

}  // namespace airprox
