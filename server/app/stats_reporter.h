// The periodic stats line (log.stats_interval_s), at info on the "stats" logger, with stable
// key=value fields:
//   stats tracks=412 accepted=1204332 rejected=87 updates_per_s=201.4 active_encounters=2
//   subscribers=3 events_queued=5120 coalesced=0 gap_overflows=0 write_timeouts=0
//   blocked_submits=0 feed_positions=1190211 feed_dropped=0 detector=fresh
// tracks, active_encounters: now; accepted, rejected: positions since start (all sources);
// updates_per_s: accepted positions per second since the previous line's detector numbers;
// subscribers: streams now; events_queued, coalesced, gap_overflows, write_timeouts: the
// subscriber hub since start; blocked_submits: ingest batches that waited for a full detection
// queue; feed_positions, feed_dropped: positions the live feeds parsed and dropped, all feeds.
//
// The detector numbers come from a query on the detection thread (DetectionLoop::SubmitQuery),
// which never blocks: when the queue is full or the answer takes over a second, the line repeats
// the previous detector numbers and says detector=stale. The rest are atomic counters.
// Wall clock (steady), not data time: this is about the process, not the traffic.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <spdlog/logger.h>

#include "server/feeds/feed_runner.h"
#include "server/pipeline/detection_loop.h"
#include "server/service/subscriber_hub.h"

namespace airprox {

class StatsReporter {
 public:
  // `feeds` may be null (no live feeds).
  StatsReporter(double interval_s, DetectionLoop& loop, const SubscriberHub& hub, const FeedRunner* feeds,
                std::shared_ptr<spdlog::logger> logger);
  ~StatsReporter();

  // Starts the thread that logs a line every interval (none when the interval is 0).
  void Start();
  // Stops and joins it; no line after it returns. Call before the detection loop stops.
  void Stop();

  // The line the thread logs, now (tests; the thread calls it once per interval).
  std::string Line();

 private:
  struct DetectorSample {
    std::size_t tracks = 0;
    std::size_t active_encounters = 0;
    std::uint64_t accepted = 0;
    std::uint64_t rejected = 0;
    std::chrono::steady_clock::time_point at;
  };
  // Shared with queries still queued on the detection thread, which may outlive a wait.
  struct Shared {
    std::mutex mu;
    std::condition_variable cv;
    bool stopping = false;
    std::uint64_t answered = 0;  // generation of `sample`
    DetectorSample sample;
  };

  void Run();
  // A fresh sample from the detection thread, or false (refused, late, stopping).
  bool QueryDetector(DetectorSample& out);

  const std::chrono::duration<double> interval_;
  DetectionLoop& loop_;
  const SubscriberHub& hub_;
  const FeedRunner* feeds_;
  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
  std::uint64_t asked_ = 0;  // generations asked for; Line() callers only
  DetectorSample last_;       // the latest fresh sample
  double updates_per_s_ = 0;
  std::mutex line_mu_;  // one Line() at a time
  std::thread thread_;
};

}  // namespace airprox
