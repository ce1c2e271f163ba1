#include "server/http/websocket_sessions.h"

#include <utility>

namespace airprox {
namespace {

constexpr char kTokenPrefix[] = "token.";

}  // namespace

template <typename Server>
WebSocketSessions<Server>::WebSocketSessions(Server& server, WebSocketEndpoint endpoint)
    : server_(server), endpoint_(std::move(endpoint)) {}

template <typename Server>
void WebSocketSessions<Server>::Install() {
  // Browsers send nothing the map needs: a small cap on incoming messages.
  server_.set_max_message_size(4096);
  server_.set_validate_handler([this](websocketpp::connection_hdl hdl) { return Validate(hdl); });
  server_.set_open_handler([this](websocketpp::connection_hdl hdl) {
    const WebSocketClientId id = next_id_++;
    open_[id] = hdl;
    ids_[hdl] = id;
    if (endpoint_.on_open) endpoint_.on_open(id);
  });
  server_.set_close_handler([this](websocketpp::connection_hdl hdl) { Closed(hdl); });
  server_.set_message_handler([](websocketpp::connection_hdl, typename Server::message_ptr) {});
}

template <typename Server>
void WebSocketSessions<Server>::Closed(websocketpp::connection_hdl hdl) {
  const auto it = ids_.find(hdl);
  if (it == ids_.end()) return;  // refused in the handshake: never opened
  const WebSocketClientId id = it->second;
  ids_.erase(it);
  open_.erase(id);
  if (endpoint_.on_close) endpoint_.on_close(id);
}

template <typename Server>
bool WebSocketSessions<Server>::Validate(websocketpp::connection_hdl hdl) {
  typename Server::connection_ptr con = server_.get_con_from_hdl(hdl);
  std::string path = con->get_resource();
  if (const auto q = path.find('?'); q != std::string::npos) path.resize(q);
  if (path != endpoint_.path) {
    con->set_status(websocketpp::http::status_code::not_found);
    return false;
  }
  if (open_.size() >= endpoint_.max_clients) {
    con->set_status(websocketpp::http::status_code::service_unavailable);
    return false;
  }
  std::string token;
  bool speaks = false;
  for (const std::string& p : con->get_requested_subprotocols()) {
    if (p == endpoint_.subprotocol) speaks = true;
    if (p.rfind(kTokenPrefix, 0) == 0) token = p.substr(sizeof(kTokenPrefix) - 1);
  }
  if (endpoint_.authorize) {
    switch (endpoint_.authorize(token)) {
      case WebSocketAccess::kAllowed:
        break;
      case WebSocketAccess::kUnauthenticated:
        con->set_status(websocketpp::http::status_code::unauthorized);
        return false;
      case WebSocketAccess::kForbidden:
        con->set_status(websocketpp::http::status_code::forbidden);
        return false;
    }
  }
  if (speaks) con->select_subprotocol(endpoint_.subprotocol);
  return true;
}

template <typename Server>
WebSocketSend WebSocketSessions<Server>::Send(WebSocketClientId id, const std::string& text,
                                      std::size_t max_buffered_bytes) {
  const auto it = open_.find(id);
  if (it == open_.end()) return WebSocketSend::kClosed;
  websocketpp::lib::error_code ec;
  typename Server::connection_ptr con = server_.get_con_from_hdl(it->second, ec);
  if (ec || !con) return WebSocketSend::kClosed;
  if (con->get_buffered_amount() > max_buffered_bytes) return WebSocketSend::kBusy;
  ec = con->send(text, websocketpp::frame::opcode::text);
  return ec ? WebSocketSend::kClosed : WebSocketSend::kSent;
}

template <typename Server>
std::size_t WebSocketSessions<Server>::buffered_bytes(WebSocketClientId id) const {
  const auto it = open_.find(id);
  if (it == open_.end()) return 0;
  websocketpp::lib::error_code ec;
  typename Server::connection_ptr con = server_.get_con_from_hdl(it->second, ec);
  return ec || !con ? 0 : con->get_buffered_amount();
}

template class WebSocketSessions<WsServer>;
template class WebSocketSessions<WssServer>;

}  // namespace airprox
