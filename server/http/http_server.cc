#include "server/http/http_server.h"

#include <atomic>
#include <thread>

#include "server/http/websocket_sessions.h"
#include "server/http/websocket_transport.h"
#include "server/net/host_port.h"

namespace airprox {

struct HttpServer::Impl {
  std::string listen;
  HttpHandler handler;
  WsServer server;
  std::optional<WebSocketSessions> websocket;  // with a WebSocket endpoint
  std::thread thread;
  std::uint16_t port = 0;
  std::atomic<bool> running{false};  // read by posted functions on the server thread
  double request_timeout_s = 10.0;
  std::atomic<std::uint64_t> request_timeouts{0};
};

HttpServer::HttpServer(std::string listen, HttpHandler handler,
                       std::optional<WebSocketEndpoint> websocket)
    : impl_(std::make_unique<Impl>()) {
  impl_->listen = std::move(listen);
  impl_->handler = std::move(handler);
  if (websocket) impl_->websocket.emplace(impl_->server, std::move(*websocket));
}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  Impl& m = *impl_;
  HostPort hp;
  if (Status st = ParseHostPort(m.listen, hp); !st.ok()) return st;
  WsServer& s = m.server;
  s.clear_access_channels(websocketpp::log::alevel::all);
  s.clear_error_channels(websocketpp::log::elevel::all);
  s.set_error_channels(websocketpp::log::elevel::fatal);
  asio::error_code ec;
  s.init_asio(ec);
  if (ec) return {StatusCode::kUnavailable, "http", "HTTP server: " + ec.message()};
  s.set_reuse_addr(true);
  // Upgrades go to the WebSocket endpoint, or are refused without one; request bodies (none
  // expected) are capped.
  if (m.websocket) {
    m.websocket->Install();
  } else {
    s.set_validate_handler([](websocketpp::connection_hdl) { return false; });
  }
  s.set_max_http_body_size(64 * 1024);
  // websocketpp's open-handshake timer runs from the connection until the request is read.
  s.set_open_handshake_timeout(static_cast<long>(m.request_timeout_s * 1000));
  s.set_fail_handler([&m](websocketpp::connection_hdl hdl) {
    if (m.server.get_con_from_hdl(hdl)->get_ec() == websocketpp::error::open_handshake_timeout) {
      ++m.request_timeouts;
    }
    if (m.websocket) m.websocket->Failed(hdl);
  });
  s.set_http_handler([&m](websocketpp::connection_hdl hdl) {
    WsServer::connection_ptr con = m.server.get_con_from_hdl(hdl);
    std::string path = con->get_resource();
    if (const auto q = path.find('?'); q != std::string::npos) path.resize(q);
    const HttpResponse r =
        m.handler(con->get_request().get_method(), path, con->get_request_header("Authorization"));
    con->set_status(static_cast<websocketpp::http::status_code::value>(r.status));
    con->replace_header("Content-Type", r.content_type);
    con->replace_header("Cache-Control", "no-store");
    if (!r.www_authenticate.empty()) con->replace_header("WWW-Authenticate", r.www_authenticate);
    con->set_body(r.body);
  });
  asio::ip::tcp::resolver resolver(s.get_io_service());
  const auto results = resolver.resolve(hp.host, hp.port, asio::ip::tcp::resolver::passive, ec);
  if (ec || results.empty()) {
    return {StatusCode::kInvalidArgument, "http", "http.listen: cannot resolve '" + m.listen + "'"};
  }
  s.listen(*results.begin(), ec);
  if (ec) {
    return {StatusCode::kUnavailable, "bind",
            "cannot listen on " + m.listen + " (HTTP): " + ec.message()};
  }
  m.port = s.get_local_endpoint(ec).port();
  s.start_accept(ec);
  if (ec) return {StatusCode::kUnavailable, "http", "HTTP server: " + ec.message()};
  m.running = true;
  m.thread = std::thread([&m] { m.server.run(); });
  return Status::Ok();
}

void HttpServer::Stop() {
  Impl& m = *impl_;
  if (!m.running.exchange(false)) return;
  // websocketpp's endpoint and its Asio acceptor are not thread-safe: the server thread may be
  // starting the next accept on them right now. So the listening socket is closed on that thread,
  // which then ends run() (open connections are dropped).
  asio::post(m.server.get_io_service(), [&m] {
    asio::error_code ec;
    m.server.stop_listening(ec);
    m.server.stop();
  });
  if (m.thread.joinable()) m.thread.join();
}

std::uint16_t HttpServer::port() const { return impl_->port; }

void HttpServer::Post(std::function<void()> fn) {
  asio::post(impl_->server.get_io_service(), [m = impl_.get(), fn = std::move(fn)] {
    if (m->running) fn();
  });
}

WebSocketSend HttpServer::Send(WebSocketClientId client, const std::string& text,
                               std::size_t max_buffered_bytes) {
  if (!impl_->websocket) return WebSocketSend::kClosed;
  return impl_->websocket->Send(client, text, max_buffered_bytes);
}

std::size_t HttpServer::buffered_bytes(WebSocketClientId client) const {
  return impl_->websocket ? impl_->websocket->buffered_bytes(client) : 0;
}

void HttpServer::set_request_timeout_s(double seconds) { impl_->request_timeout_s = seconds; }

std::uint64_t HttpServer::request_timeouts() const { return impl_->request_timeouts.load(); }

}  // namespace airprox
