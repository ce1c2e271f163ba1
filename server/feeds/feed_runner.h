// Runs every configured live feed on one Asio thread: start/stop, and their counters for metrics.
#pragma once

#include <asio.hpp>

#include <memory>
#include <thread>
#include <vector>

#include "server/core/status.h"
#include "server/feeds/feed_counters.h"
#include "server/feeds/feed_options.h"
#include "server/pipeline/detection_loop.h"

namespace airprox {

class AircraftJsonPollFeed;
class SbsClientFeed;
class SbsListenerFeed;

class FeedRunner {
 public:
  FeedRunner(std::vector<FeedOptions> feeds, DetectionLoop& loop);
  ~FeedRunner();

  // Listeners bind now (an error names the feed and the address); clients start connecting.
  Status Start();
  // Stops every feed, flushing what it holds, and joins the thread.
  void Stop();

  struct Feed {
    FeedOptions options;
    std::shared_ptr<FeedCounters> counters;
    std::uint16_t port = 0;  // listeners: the port bound
  };
  const std::vector<Feed>& feeds() const { return feeds_; }

 private:
  DetectionLoop& loop_;
  asio::io_context io_;
  std::vector<Feed> feeds_;
  std::vector<std::shared_ptr<SbsClientFeed>> clients_;
  std::vector<std::shared_ptr<SbsListenerFeed>> listeners_;
  std::vector<std::unique_ptr<AircraftJsonPollFeed>> polls_;
  std::thread thread_;
  bool started_ = false;
};

}  // namespace airprox
