// The websocketpp server type shared by the HTTP server's C++17 translation units. Internal to
// airprox_http: include only from its .cc files (websocketpp 0.8.2 is not valid C++20).
#pragma once

#include <websocketpp/config/asio_no_tls.hpp>
#include <websocketpp/server.hpp>

namespace airprox {

using WsServer = websocketpp::server<websocketpp::config::asio>;

}  // namespace airprox
