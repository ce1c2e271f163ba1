// A live SBS-1 feed that connects to a receiver (dump1090/readsb serve it on TCP port 30003) and
// reconnects with exponential backoff when the connection fails or drops. Runs on an Asio
// io_context (one thread); never blocks it: see FeedBatcher.
#pragma once

#include <asio.hpp>

#include <array>
#include <chrono>
#include <memory>

#include "server/feeds/feed_options.h"
#include "server/feeds/line_splitter.h"
#include "server/feeds/periodic_flush.h"
#include "server/feeds/sbs_ingest.h"

namespace airprox {

class SbsClientFeed : public std::enable_shared_from_this<SbsClientFeed> {
 public:
  SbsClientFeed(asio::io_context& io, FeedOptions options, DetectionLoop& loop,
                std::shared_ptr<FeedCounters> counters);

  // Both may be called from any thread; the work happens on the io_context.
  void Start();
  void Stop();

 private:
  void Connect();
  void Read();
  void Dropped(const std::string& why);
  // Every flush tick: closes a connection silent for longer than options_.idle_timeout_s.
  void CheckIdle();

  asio::io_context& io_;
  FeedOptions options_;
  asio::ip::tcp::resolver resolver_;
  asio::ip::tcp::socket socket_;
  asio::steady_timer retry_timer_;

  SbsIngest ingest_;
  PeriodicFlush flush_;
  LineSplitter splitter_;
  std::array<char, 16384> buffer_{};
  double backoff_s_;
  bool got_data_ = false;
  bool connected_ = false;
  bool idle_closed_ = false;
  std::chrono::steady_clock::time_point last_data_;
  bool stopped_ = false;
};

}  // namespace airprox
