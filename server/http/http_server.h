// A small HTTP/1.1 server on standalone Asio for the operations endpoints (/metrics, /healthz,
// /readyz), built on websocketpp (a maintained library: no hand-written HTTP parsing). Requests
// are served on one thread of its own; the handler must be quick and thread-safe.
//
// This header exposes no websocketpp types: websocketpp 0.8.2 (Debian 12) does not compile as
// C++20, so its one translation unit is built as C++17 (target airprox_http).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "server/core/status.h"

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

class HttpServer {
 public:
  // listen: HOST:PORT; port 0 picks a free one (see port()).
  HttpServer(std::string listen, HttpHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts serving; an address that cannot be bound is an error naming it.
  Status Start();
  // Stops accepting, closes connections, joins the thread.
  void Stop();
  std::uint16_t port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace airprox
