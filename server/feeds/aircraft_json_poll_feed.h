// A live feed that fetches a readsb/dump1090 aircraft.json URL at a set interval (as tar1090
// does), with libcurl, on its own thread. Each snapshot's aircraft become positions; an aircraft
// whose position time has not changed since the last snapshot is skipped (counted as unchanged),
// so the core is not sent repeats. Fetch errors are counted, logged (the first few) and retried at
// the next interval.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "server/feeds/feed_batcher.h"
#include "server/feeds/feed_counters.h"
#include "server/feeds/feed_options.h"

namespace airprox {

class AircraftJsonPollFeed {
 public:
  AircraftJsonPollFeed(FeedOptions options, DetectionLoop& loop, std::shared_ptr<FeedCounters> counters);
  ~AircraftJsonPollFeed();

  void Start();
  void Stop();  // prompt: an interval wait is cut short, a fetch in progress is aborted

 private:
  void Run();
  // One fetch and its positions; false when stopping.
  void PollOnce(const std::string& scratch_path);

  FeedOptions options_;
  std::shared_ptr<FeedCounters> counters_;
  FeedBatcher batcher_;
  std::unordered_map<std::string, double> last_time_s_;  // per track id, to skip repeats
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::atomic<bool> stopping_{false};
};

}  // namespace airprox
