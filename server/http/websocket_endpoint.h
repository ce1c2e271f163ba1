// A WebSocket endpoint on the HTTP server's port: which path, who may connect, and what to call
// when a client comes and goes. No websocketpp types (see http_server.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace airprox {

// Names one WebSocket connection for as long as it is open; never reused within a server's life.
using WebSocketClientId = std::uint64_t;

enum class WebSocketSend {
  kSent,    // queued for writing
  kBusy,    // not sent: the client's unsent bytes already exceed the bound
  kClosed,  // not sent: no such open connection
};

// The credentials seam's answer for one handshake.
enum class WebSocketAccess {
  kAllowed,
  kUnauthenticated,  // refused with 401: no token, or one nobody holds
  kForbidden,        // refused with 403: a known token without the needed role
};

struct WebSocketEndpoint {
  std::string path = "/ws";
  // The subprotocol the server speaks; chosen in the handshake when the client offers it (browsers
  // fail a connection whose offered subprotocols are all refused).
  std::string subprotocol = "airprox-map.v1";
  // Connections beyond this many are refused (503).
  std::size_t max_clients = 64;
  // The credentials seam: called in the handshake with the token the client offered as a
  // subprotocol "token.<token>" ("" when none); anything but kAllowed refuses the connection (401 or
  // 403). Empty: every client is allowed. (A subprotocol is an HTTP token: a token offered so is
  // limited to letters, digits and !#$%&'*+-.^_`|~.)
  std::function<WebSocketAccess(const std::string& token)> authorize;
  // Called on the HTTP server's thread after a connection opens and after it closes.
  std::function<void(WebSocketClientId)> on_open;
  std::function<void(WebSocketClientId)> on_close;
};

}  // namespace airprox
