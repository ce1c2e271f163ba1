// A small HTTP/1.1 server on standalone Asio for the operations endpoints (/metrics, /healthz,
// /readyz) and the live map (its page, and one WebSocket endpoint), built on websocketpp (a
// maintained library: no hand-written HTTP or WebSocket parsing). Requests are served on one thread
// of its own; the handler must be quick and thread-safe.
//
// This header exposes no websocketpp types: websocketpp 0.8.2 (Debian 12) does not compile as
// C++20, so its one translation unit is built as C++17 (target airprox_http).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "server/core/status.h"
#include "server/http/websocket_endpoint.h"

namespace airprox {

struct HttpResponse {
  HttpResponse() = default;
  HttpResponse(int status_code, std::string type, std::string text, std::string authenticate = "")
      : status(status_code), content_type(std::move(type)), body(std::move(text)),
        www_authenticate(std::move(authenticate)) {}

  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::string www_authenticate;  // the WWW-Authenticate header of a 401, when not empty
};

// Called with the request's method ("GET", ...), path without the query string, and the value of
// its Authorization header ("" when absent).
using HttpHandler = std::function<HttpResponse(const std::string& method, const std::string& path,
                                               const std::string& authorization)>;

// The TLS identity of an HTTPS server, as PEM text: the private key and the certificate chain (in
// one text: each is found by its PEM label), and the CA that client certificates must chain to
// ("": none asked for). The caller checks them (the key matches the chain).
struct HttpTlsIdentity {
  std::string key_and_chain_pem;
  std::string client_ca_pem;
};
// Asked on the server's thread at each new connection, so a replaced certificate is served from
// the next connection on.
using HttpTlsSource = std::function<HttpTlsIdentity()>;

class HttpServer {
 public:
  // listen: HOST:PORT; port 0 picks a free one (see port()). Without `websocket`, upgrade
  // requests are refused. With `tls`, the server speaks only HTTPS (and wss://), TLS 1.2 or later;
  // a connection that fails the TLS handshake (plaintext HTTP, or no client certificate of the CA)
  // is closed.
  HttpServer(std::string listen, HttpHandler handler,
             std::optional<WebSocketEndpoint> websocket = std::nullopt, HttpTlsSource tls = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts serving; an address that cannot be bound is an error naming it.
  Status Start();
  // Stops accepting, closes connections, joins the thread.
  void Stop();
  std::uint16_t port() const;

  // Runs fn on the server's thread, where the WebSocket handlers run and Send may be called. Any
  // thread, after Start; fn never runs once the server has stopped.
  void Post(std::function<void()> fn);
  // Server thread only: queues a text message to a WebSocket client unless more than
  // max_buffered_bytes are already waiting to be written to it (a client that does not read).
  WebSocketSend Send(WebSocketClientId client, const std::string& text, std::size_t max_buffered_bytes);
  // Server thread only: bytes queued to a WebSocket client, not yet written (0 when closed).
  std::size_t buffered_bytes(WebSocketClientId client) const;
  // Before Start: a connection that has not sent a whole request within this many seconds of
  // connecting (a slowloris dribbling headers, or a socket that sends nothing) is closed.
  // Default 10. Seconds, > 0.
  void set_request_timeout_s(double seconds);
  // Connections closed so.
  std::uint64_t request_timeouts() const;

 private:
  struct Impl;
  template <typename Server>
  struct ImplOf;
  std::unique_ptr<Impl> impl_;
};

}  // namespace airprox
