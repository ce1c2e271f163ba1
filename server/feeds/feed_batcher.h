// The path from a live feed into the core: positions are batched and handed to the detection loop
// without ever blocking the feed's thread. While the detection queue is full they wait in a
// bounded buffer; past max_pending the oldest are dropped and counted (a live picture prefers the
// newest positions).
#pragma once

#include <memory>
#include <vector>

#include "server/core/position.h"
#include "server/feeds/feed_counters.h"
#include "server/pipeline/detection_loop.h"

namespace airprox {

class FeedBatcher {
 public:
  // Batches are submitted when they reach batch_size, or on Flush.
  FeedBatcher(DetectionLoop& loop, std::shared_ptr<FeedCounters> counters, std::size_t batch_size,
              std::size_t max_pending);

  // What is still pending when the feed goes (the detection queue stayed full) counts as dropped.
  ~FeedBatcher() { counters_->dropped += pending_.size(); }
  FeedBatcher(const FeedBatcher&) = delete;
  FeedBatcher& operator=(const FeedBatcher&) = delete;

  void Add(Position p);
  // Submits what is pending if the detection queue takes it; keeps it otherwise (bounded).
  void Flush();
  std::size_t pending() const { return pending_.size(); }

 private:
  DetectionLoop& loop_;
  std::shared_ptr<FeedCounters> counters_;
  std::size_t batch_size_, max_pending_;
  std::vector<Position> pending_;
};

}  // namespace airprox
