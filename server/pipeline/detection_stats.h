// What the detection thread has done, readable from any thread (metrics, the stats log line):
// positions by outcome and rejection reason, the live tracks, and histograms of batch size and of
// detection latency (a batch's wait in the queue plus its processing, wall clock).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "server/pipeline/histogram.h"

namespace airprox {

class DetectionStats {
 public:
  DetectionStats()
      : latency_s_({0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}),
        batch_size_({1, 10, 100, 1000, 10000, 100000}) {}

  // On the detection thread, once per batch.
  void RecordBatch(std::size_t size, double latency_s, std::uint64_t accepted,
                   const std::map<std::string, std::uint64_t>& rejected_by_reason, std::size_t tracks) {
    batches_.fetch_add(1, std::memory_order_relaxed);
    accepted_.fetch_add(accepted, std::memory_order_relaxed);
    tracks_.store(tracks, std::memory_order_relaxed);
    batch_size_.Observe(static_cast<double>(size));
    latency_s_.Observe(latency_s);
    if (!rejected_by_reason.empty()) {
      std::lock_guard lock(mu_);
      for (const auto& [reason, n] : rejected_by_reason) rejected_[reason] += n;
    }
  }

  std::uint64_t batches() const { return batches_.load(); }
  std::uint64_t accepted() const { return accepted_.load(); }
  std::map<std::string, std::uint64_t> rejected_by_reason() const {
    std::lock_guard lock(mu_);
    return rejected_;
  }
  std::size_t tracks() const { return tracks_.load(); }
  const Histogram& latency_s() const { return latency_s_; }
  const Histogram& batch_size() const { return batch_size_; }

 private:
  std::atomic<std::uint64_t> batches_{0}, accepted_{0};
  std::atomic<std::size_t> tracks_{0};
  mutable std::mutex mu_;
  std::map<std::string, std::uint64_t> rejected_;
  Histogram latency_s_, batch_size_;
};

}  // namespace airprox
