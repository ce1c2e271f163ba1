#include "server/http/http_server.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <atomic>
#include <thread>

#include "server/http/websocket_sessions.h"
#include "server/http/websocket_transport.h"
#include "server/net/host_port.h"

namespace airprox {

// What does not depend on the websocketpp config; ImplOf<Server> is the server itself.
struct HttpServer::Impl {
  virtual ~Impl() = default;
  virtual Status Start(const HostPort& hp) = 0;
  virtual void Stop() = 0;
  virtual void Post(std::function<void()> fn) = 0;
  virtual WebSocketSend Send(WebSocketClientId client, const std::string& text, std::size_t max_buffered_bytes) = 0;
  virtual std::size_t buffered_bytes(WebSocketClientId client) const = 0;

  std::string listen;
  HttpHandler handler;
  std::optional<WebSocketEndpoint> endpoint;
  HttpTlsSource tls;
  std::thread thread;
  std::uint16_t port = 0;
  std::atomic<bool> running{false};  // read by posted functions on the server thread
  double request_timeout_s = 10.0;
  std::atomic<std::uint64_t> request_timeouts{0};
};

namespace {

using SslContext = asio::ssl::context;

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct ChainFree {
  void operator()(STACK_OF(X509) * c) const { sk_X509_pop_free(c, X509_free); }
};
struct StoreFree {
  void operator()(X509_STORE* s) const { X509_STORE_free(s); }
};
struct NamesFree {
  void operator()(STACK_OF(X509_NAME) * n) const { sk_X509_NAME_pop_free(n, X509_NAME_free); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};

std::unique_ptr<BIO, BioFree> ReadBio(const std::string& pem) {
  return std::unique_ptr<BIO, BioFree>(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// The identity in force, parsed, for the handshakes: OpenSSL asks for it in each handshake (the
// certificate callback), so a reload reaches the very next connection, even one accepted before
// it. Rebuilt when the source's PEM changes. Server thread only.
class TlsIdentity {
 public:
  explicit TlsIdentity(HttpTlsSource source) : source_(std::move(source)) {}

  // Puts the current certificate, chain, key, client CA store and the client CA names (sent in the
  // certificate request, so that a client with several certificates can pick the right one) on
  // `ssl`; false when the PEM cannot be parsed (the caller checked it, so this is not expected),
  // which fails the handshake.
  bool Apply(SSL* ssl) {
    HttpTlsIdentity now = source_();
    if (!key_ || now.key_and_chain_pem != pem_.key_and_chain_pem || now.client_ca_pem != pem_.client_ca_pem) {
      pem_ = std::move(now);
      if (!Parse()) {
        key_.reset();
        return false;
      }
    }
    if (SSL_use_cert_and_key(ssl, cert_.get(), key_.get(), chain_.get(), 1) != 1) return false;
    if (!ca_store_) return true;
    if (SSL_set1_verify_cert_store(ssl, ca_store_.get()) != 1) return false;
    STACK_OF(X509_NAME)* names = SSL_dup_CA_list(ca_names_.get());
    if (names == nullptr) return false;
    SSL_set_client_CA_list(ssl, names);  // takes it
    return true;
  }

 private:
  bool Parse() {
    auto certs = ReadBio(pem_.key_and_chain_pem);
    cert_.reset(PEM_read_bio_X509(certs.get(), nullptr, nullptr, nullptr));
    chain_.reset(sk_X509_new_null());
    while (X509* more = PEM_read_bio_X509(certs.get(), nullptr, nullptr, nullptr)) sk_X509_push(chain_.get(), more);
    auto key = ReadBio(pem_.key_and_chain_pem);
    key_.reset(PEM_read_bio_PrivateKey(key.get(), nullptr, nullptr, nullptr));
    ca_store_.reset();
    ca_names_.reset();
    if (!pem_.client_ca_pem.empty()) {
      ca_store_.reset(X509_STORE_new());
      ca_names_.reset(sk_X509_NAME_new_null());
      auto cas = ReadBio(pem_.client_ca_pem);
      int added = 0;
      while (X509* ca = PEM_read_bio_X509(cas.get(), nullptr, nullptr, nullptr)) {
        added += X509_STORE_add_cert(ca_store_.get(), ca);
        X509_NAME* name = X509_NAME_dup(X509_get_subject_name(ca));
        if (name != nullptr && sk_X509_NAME_push(ca_names_.get(), name) == 0) X509_NAME_free(name);
        X509_free(ca);
      }
      if (added == 0) return false;
    }
    ERR_clear_error();  // the end of each PEM text
    return cert_ && key_;
  }

  HttpTlsSource source_;
  HttpTlsIdentity pem_;
  std::unique_ptr<X509, X509Free> cert_;
  std::unique_ptr<STACK_OF(X509), ChainFree> chain_;
  std::unique_ptr<EVP_PKEY, KeyFree> key_;
  std::unique_ptr<X509_STORE, StoreFree> ca_store_;
  std::unique_ptr<STACK_OF(X509_NAME), NamesFree> ca_names_;  // the subjects of the client CAs
};

// Installs what only the TLS server has: one context, TLS 1.2 or later, whose certificate comes
// from the source at each handshake; client certificates required when the source has a client CA.
template <typename Server>
struct TlsSetup {
  static void Install(Server&, const HttpTlsSource&) {}
};

template <>
struct TlsSetup<WssServer> {
  static void Install(WssServer& s, const HttpTlsSource& source) {
    auto identity = std::make_shared<TlsIdentity>(source);
    auto ctx = std::make_shared<SslContext>(SslContext::tls_server);
    asio::error_code ec;
    ctx->set_options(SslContext::default_workarounds | SslContext::no_sslv2 | SslContext::no_sslv3 |
                         SslContext::no_tlsv1 | SslContext::no_tlsv1_1 | SslContext::single_dh_use,
                     ec);
    if (!source().client_ca_pem.empty()) {
      ctx->set_verify_mode(asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert, ec);
    }
    // No session resumption: a resumed session skips the client-certificate check, so a client
    // dropped from tls.client_ca by a reload could go on reconnecting with its ticket; and a TLS 1.2
    // resumption with client certificates needs a session id context. Every connection gets a full
    // handshake against the certificates in force (the operations port sees few connections).
    SSL_CTX_set_session_cache_mode(ctx->native_handle(), SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(ctx->native_handle(), SSL_OP_NO_TICKET);
    SSL_CTX_set_num_tickets(ctx->native_handle(), 0);
    SSL_CTX_set_cert_cb(
        ctx->native_handle(),
        [](SSL* ssl, void* arg) { return static_cast<TlsIdentity*>(arg)->Apply(ssl) ? 1 : 0; }, identity.get());
    s.set_tls_init_handler([ctx, identity](websocketpp::connection_hdl) { return ctx; });
  }
};

}  // namespace

template <typename Server>
struct HttpServer::ImplOf : HttpServer::Impl {
  Server server;
  std::optional<WebSocketSessions<Server>> websocket;  // with a WebSocket endpoint

  Status Start(const HostPort& hp) override {
    if (endpoint) websocket.emplace(server, std::move(*endpoint));
    Server& s = server;
    s.clear_access_channels(websocketpp::log::alevel::all);
    s.clear_error_channels(websocketpp::log::elevel::all);
    s.set_error_channels(websocketpp::log::elevel::fatal);
    asio::error_code ec;
    s.init_asio(ec);
    if (ec) return {StatusCode::kUnavailable, "http", "HTTP server: " + ec.message()};
    s.set_reuse_addr(true);
    TlsSetup<Server>::Install(s, tls);
    // Upgrades go to the WebSocket endpoint, or are refused without one; request bodies (none
    // expected) are capped.
    if (websocket) {
      websocket->Install();
    } else {
      s.set_validate_handler([](websocketpp::connection_hdl) { return false; });
    }
    s.set_max_http_body_size(64 * 1024);
    // websocketpp's open-handshake timer runs from the connection until the request is read.
    s.set_open_handshake_timeout(static_cast<long>(request_timeout_s * 1000));
    s.set_fail_handler([this](websocketpp::connection_hdl hdl) {
      if (server.get_con_from_hdl(hdl)->get_ec() == websocketpp::error::open_handshake_timeout) {
        ++request_timeouts;
      }
      if (websocket) websocket->Failed(hdl);
    });
    s.set_http_handler([this](websocketpp::connection_hdl hdl) {
      typename Server::connection_ptr con = server.get_con_from_hdl(hdl);
      std::string path = con->get_resource();
      if (const auto q = path.find('?'); q != std::string::npos) path.resize(q);
      const HttpResponse r =
          handler(con->get_request().get_method(), path, con->get_request_header("Authorization"));
      con->set_status(static_cast<websocketpp::http::status_code::value>(r.status));
      con->replace_header("Content-Type", r.content_type);
      con->replace_header("Cache-Control", "no-store");
      if (!r.www_authenticate.empty()) con->replace_header("WWW-Authenticate", r.www_authenticate);
      if (con->get_request().get_method() == "HEAD") {  // the headers GET would have, no body
        con->set_body("");
        con->replace_header("Content-Length", std::to_string(r.body.size()));
      } else {
        con->set_body(r.body);
      }
    });
    asio::ip::tcp::resolver resolver(s.get_io_service());
    const auto results = resolver.resolve(hp.host, hp.port, asio::ip::tcp::resolver::passive, ec);
    if (ec || results.empty()) {
      return {StatusCode::kInvalidArgument, "http", "http.listen: cannot resolve '" + listen + "'"};
    }
    s.listen(*results.begin(), ec);
    if (ec) {
      return {StatusCode::kUnavailable, "bind", "cannot listen on " + listen + " (HTTP): " + ec.message()};
    }
    port = s.get_local_endpoint(ec).port();
    s.start_accept(ec);
    if (ec) return {StatusCode::kUnavailable, "http", "HTTP server: " + ec.message()};
    running = true;
    thread = std::thread([this] { server.run(); });
    return Status::Ok();
  }

  void Stop() override {
    if (!running.exchange(false)) return;
    // websocketpp's endpoint and its Asio acceptor are not thread-safe: the server thread may be
    // starting the next accept on them right now. So the listening socket is closed on that
    // thread, which then ends run() (open connections are dropped).
    asio::post(server.get_io_service(), [this] {
      asio::error_code ec;
      server.stop_listening(ec);
      server.stop();
    });
    if (thread.joinable()) thread.join();
  }

  void Post(std::function<void()> fn) override {
    asio::post(server.get_io_service(), [this, fn = std::move(fn)] {
      if (running) fn();
    });
  }

  WebSocketSend Send(WebSocketClientId client, const std::string& text, std::size_t max_buffered_bytes) override {
    if (!websocket) return WebSocketSend::kClosed;
    return websocket->Send(client, text, max_buffered_bytes);
  }

  std::size_t buffered_bytes(WebSocketClientId client) const override {
    return websocket ? websocket->buffered_bytes(client) : 0;
  }
};

HttpServer::HttpServer(std::string listen, HttpHandler handler, std::optional<WebSocketEndpoint> websocket,
                       HttpTlsSource tls) {
  if (tls) {
    impl_ = std::make_unique<ImplOf<WssServer>>();
  } else {
    impl_ = std::make_unique<ImplOf<WsServer>>();
  }
  impl_->listen = std::move(listen);
  impl_->handler = std::move(handler);
  impl_->endpoint = std::move(websocket);
  impl_->tls = std::move(tls);
}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  HostPort hp;
  if (Status st = ParseHostPort(impl_->listen, hp); !st.ok()) return st;
  return impl_->Start(hp);
}

void HttpServer::Stop() { impl_->Stop(); }

std::uint16_t HttpServer::port() const { return impl_->port; }

void HttpServer::Post(std::function<void()> fn) { impl_->Post(std::move(fn)); }

WebSocketSend HttpServer::Send(WebSocketClientId client, const std::string& text,
                               std::size_t max_buffered_bytes) {
  return impl_->Send(client, text, max_buffered_bytes);
}

std::size_t HttpServer::buffered_bytes(WebSocketClientId client) const { return impl_->buffered_bytes(client); }

void HttpServer::set_request_timeout_s(double seconds) { impl_->request_timeout_s = seconds; }

std::uint64_t HttpServer::request_timeouts() const { return impl_->request_timeouts.load(); }

}  // namespace airprox
