// A live SBS-1 feed that listens for receivers pushing BaseStation lines (e.g. readsb
// --net-connector HOST,PORT,sbs_out). Each connection has its own line splitter; all share the
// feed's merger and path into the core. At most max_connections at once: more are closed at once
// and counted. Runs on an Asio io_context (one thread).
#pragma once

#include <asio.hpp>

#include <array>
#include <memory>
#include <unordered_set>

#include "server/core/status.h"
#include "server/feeds/feed_options.h"
#include "server/feeds/line_splitter.h"
#include "server/feeds/periodic_flush.h"
#include "server/feeds/sbs_ingest.h"

namespace airprox {

class SbsListenerFeed : public std::enable_shared_from_this<SbsListenerFeed> {
 public:
  SbsListenerFeed(asio::io_context& io, FeedOptions options, DetectionLoop& loop,
                  std::shared_ptr<FeedCounters> counters);

  // Binds and listens on options.address now (errors say so), then accepts on the io_context.
  Status Start();
  void Stop();  // any thread
  // The port bound (useful with port 0).
  std::uint16_t port() const { return port_; }

 private:
  class Connection;
  void Accept();

  asio::io_context& io_;
  FeedOptions options_;
  asio::ip::tcp::acceptor acceptor_;
  SbsIngest ingest_;
  PeriodicFlush flush_;
  std::unordered_set<std::shared_ptr<Connection>> connections_;
  std::uint16_t port_ = 0;
  bool stopped_ = false;
};

}  // namespace airprox
