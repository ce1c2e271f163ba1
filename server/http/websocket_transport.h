// The websocketpp server types shared by the HTTP server's C++17 translation units: plaintext
// (WsServer) and TLS (WssServer, OpenSSL through Asio). Internal to airprox_http: include only from
// its .cc files (websocketpp 0.8.2 is not valid C++20).
#pragma once

#include <websocketpp/config/asio.hpp>
#include <websocketpp/server.hpp>

namespace airprox {

using WsServer = websocketpp::server<websocketpp::config::asio>;
using WssServer = websocketpp::server<websocketpp::config::asio_tls>;

}  // namespace airprox
