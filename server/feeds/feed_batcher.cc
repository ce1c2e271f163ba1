#include "server/feeds/feed_batcher.h"

namespace airprox {

FeedBatcher::FeedBatcher(DetectionLoop& loop, std::shared_ptr<FeedCounters> counters,
                         std::size_t batch_size, std::size_t max_pending)
    : loop_(loop),
      counters_(std::move(counters)),
      batch_size_(batch_size == 0 ? 1 : batch_size),
      max_pending_(max_pending == 0 ? 1 : max_pending) {}

void FeedBatcher::Add(Position p) {
  if (pending_.size() >= max_pending_) {
    // Drop the oldest: erase a chunk at once so that a long stall costs O(1) per position.
    const std::size_t drop = std::max<std::size_t>(1, max_pending_ / 16);
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(drop));
    counters_->dropped += drop;
  }
  pending_.push_back(std::move(p));
  if (pending_.size() >= batch_size_) Flush();
}

void FeedBatcher::Flush() {
  if (pending_.empty()) return;
  // The counters outlive the feed: the callback may run after it is gone.
  std::shared_ptr<FeedCounters> counters = counters_;
  const Status st = loop_.TrySubmitBatch(pending_, [counters](std::vector<Status> results) {
    for (const Status& r : results) (r.ok() ? counters->accepted : counters->rejected)++;
  });
  if (!st.ok() && st.code() != StatusCode::kResourceExhausted) {
    counters_->dropped += pending_.size();  // the loop is stopping: nothing will take them
    pending_.clear();
  }
}

}  // namespace airprox
