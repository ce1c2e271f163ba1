#include "server/feeds/sbs_listener_feed.h"

#include <spdlog/spdlog.h>

#include "server/feeds/feed_logger.h"
#include "server/net/host_port.h"

namespace airprox {

class SbsListenerFeed::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::ip::tcp::socket socket, SbsListenerFeed& feed)
      : socket_(std::move(socket)), feed_(feed), splitter_(feed.options_.max_line_bytes),
        last_data_(std::chrono::steady_clock::now()) {
    asio::error_code ignored;
    socket_.set_option(asio::socket_base::keep_alive(true), ignored);
  }

  void Read() {
    socket_.async_read_some(asio::buffer(buffer_), [self = shared_from_this()](const asio::error_code& ec,
                                                                                std::size_t n) {
      SbsListenerFeed& feed = self->feed_;
      if (feed.stopped_) return;
      if (ec) {
        ++feed.ingest_.counters().disconnects;
        --feed.ingest_.counters().connected;
        feed.ingest_.Flush();
        feed.connections_.erase(self);
        return;
      }
      self->last_data_ = std::chrono::steady_clock::now();
      self->splitter_.Feed(
          std::string_view(self->buffer_.data(), n), [&](std::string_view line) { feed.ingest_.OnLine(line); },
          [&] { feed.ingest_.OnTooLong(); });
      self->Read();
    });
  }
  void Close() {
    asio::error_code ignored;
    socket_.close(ignored);
  }
  // Closes a connection silent for longer than `idle`: its pending read fails and it goes.
  void CloseIfIdle(std::chrono::steady_clock::duration idle) {
    if (std::chrono::steady_clock::now() - last_data_ > idle) Close();
  }

 private:
  asio::ip::tcp::socket socket_;
  SbsListenerFeed& feed_;  // outlives its connections: Stop closes them first
  LineSplitter splitter_;
  std::array<char, 16384> buffer_{};
  std::chrono::steady_clock::time_point last_data_;
};

SbsListenerFeed::SbsListenerFeed(asio::io_context& io, FeedOptions options, DetectionLoop& loop,
                                 std::shared_ptr<FeedCounters> counters)
    : io_(io),
      options_(std::move(options)),
      acceptor_(io),
      ingest_(options_, loop, std::move(counters)),
      flush_(io, [this] {
        ingest_.Flush();
        const auto idle = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            std::chrono::duration<double>(options_.idle_timeout_s));
        for (const auto& c : connections_) c->CloseIfIdle(idle);
      }) {}

Status SbsListenerFeed::Start() {
  HostPort hp;
  if (Status st = ParseHostPort(options_.address, hp); !st.ok()) return st;
  asio::error_code ec;
  asio::ip::tcp::resolver resolver(io_);
  const auto results = resolver.resolve(hp.host, hp.port, asio::ip::tcp::resolver::passive, ec);
  if (ec || results.empty()) {
    return InvalidArgument("bind", "feed " + options_.name + ": cannot resolve " + options_.address +
                                       ": " + ec.message());
  }
  const asio::ip::tcp::endpoint endpoint = *results.begin();
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return {StatusCode::kUnavailable, "bind",
            "feed " + options_.name + ": cannot listen on " + options_.address + ": " + ec.message()};
  }
  port_ = acceptor_.local_endpoint().port();
  asio::post(io_, [self = shared_from_this()] {
    self->Accept();
    self->flush_.Start();
  });
  return Status::Ok();
}

void SbsListenerFeed::Stop() {
  asio::post(io_, [self = shared_from_this()] {
    self->stopped_ = true;
    asio::error_code ignored;
    self->acceptor_.close(ignored);
    self->flush_.Stop();
    for (const auto& c : self->connections_) c->Close();
    self->connections_.clear();
    self->ingest_.Flush();
  });
}

void SbsListenerFeed::Accept() {
  acceptor_.async_accept([self = shared_from_this()](const asio::error_code& ec, asio::ip::tcp::socket socket) {
    if (self->stopped_) return;
    if (ec) {  // e.g. out of file descriptors: wait a little instead of spinning
      FeedLogger()->warn("feed {}: accept failed: {}; retrying in 0.5 s", self->options_.name, ec.message());
      auto timer = std::make_shared<asio::steady_timer>(self->io_, std::chrono::milliseconds(500));
      timer->async_wait([self, timer](const asio::error_code& e) {
        if (!e && !self->stopped_) self->Accept();
      });
      return;
    }
    {
      if (self->connections_.size() >= self->options_.max_connections) {
        ++self->ingest_.counters().refused_connections;
        asio::error_code ignored;
        socket.close(ignored);
      } else {
        ++self->ingest_.counters().connects;
        ++self->ingest_.counters().connected;
        auto c = std::make_shared<Connection>(std::move(socket), *self);
        self->connections_.insert(c);
        c->Read();
      }
    }
    self->Accept();
  });
}

}  // namespace airprox
