// How often each limit on client input was exceeded, for /metrics
// (airprox_limit_exceeded_total{limit}). Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "server/log/log_rate_limit.h"

namespace airprox {

// The limits the gRPC services enforce themselves, by their config key under `limits:`.
enum class Limit : std::size_t {
  kMaxMessageBytes,
  kMaxBatchPositions,
  kMaxStreams,
  kMaxStreamsPerPeer,
  kMaxSubscribers,
  kFilterMaxVertices,
  kFilterMaxEntries,
  kFilterMaxPatternBytes,
  kCount,
};

inline constexpr std::array<std::string_view, static_cast<std::size_t>(Limit::kCount)> kLimitNames = {
    "max_message_bytes",   "max_batch_positions", "max_streams",
    "max_streams_per_peer", "max_subscribers",    "filter_max_vertices",
    "filter_max_entries",  "filter_max_pattern_bytes",
};

class LimitCounters {
 public:
  void Count(Limit limit) { ++counts_[static_cast<std::size_t>(limit)]; }
  // Counts the limit whose name is `reason` (a Status reason such as "filter_max_vertices"); false
  // when `reason` names no limit.
  bool CountReason(std::string_view reason) {
    for (std::size_t i = 0; i < kLimitNames.size(); ++i) {
      if (kLimitNames[i] == reason) {
        ++counts_[i];
        return true;
      }
    }
    return false;
  }
  std::uint64_t count(Limit limit) const { return counts_[static_cast<std::size_t>(limit)].load(); }
  // The rate limit of `limit refused` log lines (server/service/refusal_log.h).
  LogRateLimit& refusal_lines() { return refusal_lines_; }

 private:
  std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(Limit::kCount)> counts_{};
  LogRateLimit refusal_lines_{kRefusalLinesPerSecond};
};

}  // namespace airprox
