#include "server/feeds/sbs_client_feed.h"

#include <chrono>

#include "server/feeds/feed_logger.h"
#include "server/net/host_port.h"

namespace airprox {
namespace {

std::chrono::steady_clock::duration Seconds(double s) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(s));
}

}  // namespace

SbsClientFeed::SbsClientFeed(asio::io_context& io, FeedOptions options, DetectionLoop& loop,
                             std::shared_ptr<FeedCounters> counters)
    : io_(io),
      options_(std::move(options)),
      resolver_(io),
      socket_(io),
      retry_timer_(io),
      ingest_(options_, loop, std::move(counters)),
      flush_(io, [this] {
        ingest_.Flush();
        CheckIdle();
      }),
      splitter_(options_.max_line_bytes),
      backoff_s_(options_.reconnect_min_s) {}

void SbsClientFeed::Start() {
  asio::post(io_, [self = shared_from_this()] {
    self->Connect();
    self->flush_.Start();
  });
}

void SbsClientFeed::Stop() {
  asio::post(io_, [self = shared_from_this()] {
    self->stopped_ = true;
    self->resolver_.cancel();
    self->retry_timer_.cancel();
    self->flush_.Stop();
    asio::error_code ignored;
    self->socket_.close(ignored);
    self->ingest_.Flush();
  });
}

void SbsClientFeed::Connect() {
  if (stopped_) return;
  HostPort hp;
  if (Status st = ParseHostPort(options_.address, hp); !st.ok()) {  // validated with the config
    FeedLogger()->error("feed {}: {}", options_.name, st.message());
    return;
  }
  resolver_.async_resolve(
      hp.host, hp.port,
      [self = shared_from_this()](const asio::error_code& ec, asio::ip::tcp::resolver::results_type results) {
        if (self->stopped_) return;
        if (ec) return self->Dropped("cannot resolve: " + ec.message());
        asio::async_connect(self->socket_, results,
                            [self](const asio::error_code& ec2, const asio::ip::tcp::endpoint&) {
                              if (self->stopped_) return;
                              if (ec2) return self->Dropped("cannot connect: " + ec2.message());
                              ++self->ingest_.counters().connects;
                              ++self->ingest_.counters().connected;
                              self->got_data_ = false;
                              self->connected_ = true;
                              self->idle_closed_ = false;
                              self->last_data_ = std::chrono::steady_clock::now();
                              asio::error_code ignored;
                              self->socket_.set_option(asio::socket_base::keep_alive(true), ignored);
                              FeedLogger()->info("feed {}: connected to {}", self->options_.name,
                                           self->options_.address);
                              self->Read();
                            });
      });
}

void SbsClientFeed::Read() {
  socket_.async_read_some(asio::buffer(buffer_), [self = shared_from_this()](const asio::error_code& ec,
                                                                              std::size_t n) {
    if (self->stopped_) return;
    if (ec) {
      --self->ingest_.counters().connected;
      ++self->ingest_.counters().disconnects;
      self->connected_ = false;
      return self->Dropped(self->idle_closed_
                               ? fmt::format("no data for {} s", self->options_.idle_timeout_s)
                               : ec == asio::error::eof ? "the receiver closed the connection" : ec.message());
    }
    self->last_data_ = std::chrono::steady_clock::now();
    if (!self->got_data_) {
      self->got_data_ = true;
      self->backoff_s_ = self->options_.reconnect_min_s;  // it works again: back to the short wait
    }
    self->splitter_.Feed(
        std::string_view(self->buffer_.data(), n), [&](std::string_view line) { self->ingest_.OnLine(line); },
        [&] { self->ingest_.OnTooLong(); });
    self->Read();
  });
}

void SbsClientFeed::CheckIdle() {
  if (!connected_ || idle_closed_) return;
  if (std::chrono::steady_clock::now() - last_data_ > Seconds(options_.idle_timeout_s)) {
    idle_closed_ = true;
    asio::error_code ignored;
    socket_.close(ignored);  // the pending read fails: Dropped, then a reconnect
  }
}

void SbsClientFeed::Dropped(const std::string& why) {
  asio::error_code ignored;
  socket_.close(ignored);
  splitter_ = LineSplitter(options_.max_line_bytes);  // a partial line does not continue on a new connection
  ingest_.Flush();
  FeedLogger()->warn("feed {}: {} ({}); retrying in {:.2f} s", options_.name, why, options_.address, backoff_s_);
  retry_timer_.expires_after(Seconds(backoff_s_));
  backoff_s_ = std::min(backoff_s_ * 2, options_.reconnect_max_s);
  retry_timer_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
    if (!ec) self->Connect();
  });
}

}  // namespace airprox
