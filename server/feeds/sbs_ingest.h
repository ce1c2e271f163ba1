// The shared path of an SBS feed's lines, whatever socket they came from: SBS merger (per feed,
// so that a receiver's messages are merged across reconnects), batcher into the core, counters.
// Single-threaded: used from the feed's Asio thread only.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "server/feeds/feed_batcher.h"
#include "server/feeds/feed_counters.h"
#include "server/feeds/feed_options.h"
#include "server/formats/sbs_merger.h"

namespace airprox {

class SbsIngest {
 public:
  SbsIngest(const FeedOptions& options, DetectionLoop& loop, std::shared_ptr<FeedCounters> counters);

  void OnLine(std::string_view line);
  void OnTooLong();
  void Flush() { batcher_.Flush(); }
  FeedCounters& counters() { return *counters_; }
  const std::string& name() const { return name_; }

 private:
  void Malformed(std::string_view line, const std::string& problem);

  std::string name_;
  std::shared_ptr<FeedCounters> counters_;
  std::size_t max_line_bytes_;
  SbsMerger merger_;
  FeedBatcher batcher_;
};

// Batches of at most this many positions go to the detection loop; the feed flushes what it has
// at least every kFeedFlushMs.
inline constexpr std::size_t kFeedBatchSize = 500;
inline constexpr int kFeedFlushMs = 100;

}  // namespace airprox
