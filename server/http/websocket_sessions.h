// The open WebSocket connections of one endpoint: the handshake (path, subprotocol, token, client
// cap), the id of each connection, and bounded sends. Internal to airprox_http; every member runs
// on the server's thread. Server: WsServer or WssServer (both instantiated in the .cc).
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>

#include "server/http/websocket_endpoint.h"
#include "server/http/websocket_transport.h"

namespace airprox {

template <typename Server>
class WebSocketSessions {
 public:
  WebSocketSessions(Server& server, WebSocketEndpoint endpoint);

  // Installs the validate, open, close and message handlers on the server (before it runs). The
  // server's fail handler, which the HTTP server owns, must call Failed.
  void Install();
  // A connection that failed (reset, protocol error, handshake timeout): one that had opened ends
  // like a closed one.
  void Failed(websocketpp::connection_hdl hdl) { Closed(hdl); }
  // Queues text unless the connection's unsent bytes exceed max_buffered_bytes.
  WebSocketSend Send(WebSocketClientId id, const std::string& text, std::size_t max_buffered_bytes);
  // Bytes queued on the connection and not yet handed to the socket (0 when closed).
  std::size_t buffered_bytes(WebSocketClientId id) const;

 private:
  bool Validate(websocketpp::connection_hdl hdl);
  void Closed(websocketpp::connection_hdl hdl);

  Server& server_;
  WebSocketEndpoint endpoint_;
  WebSocketClientId next_id_ = 1;
  std::unordered_map<WebSocketClientId, websocketpp::connection_hdl> open_;
  std::map<websocketpp::connection_hdl, WebSocketClientId, std::owner_less<websocketpp::connection_hdl>> ids_;
};

}  // namespace airprox
