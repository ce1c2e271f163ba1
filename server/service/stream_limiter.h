// Bounds on the long-lived gRPC streams (TrackIngest.Ingest and Encounters.Subscribe) open at
// once: in all, per client address, and subscribers in all. A stream holds a StreamSlot for its
// lifetime; one past a limit is refused with RESOURCE_EXHAUSTED naming the limit's config key.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "server/core/status.h"
#include "server/service/limit_counters.h"

namespace airprox {

struct StreamLimits {
  std::size_t max_streams = 10000;          // Ingest and Subscribe streams in all. Count, >= 1
  std::size_t max_streams_per_peer = 2000;  // of them from one client IP address. Count, >= 1
  std::size_t max_subscribers = 10000;      // Subscribe streams in all. Count, >= 1
};

enum class StreamKind { kIngest, kSubscribe };

class StreamLimiter;

// A place taken by one open stream; given back when destroyed. Move-only; empty when
// default-constructed or moved from.
class StreamSlot {
 public:
  StreamSlot() = default;
  StreamSlot(StreamSlot&& other) noexcept { *this = std::move(other); }
  StreamSlot& operator=(StreamSlot&& other) noexcept;
  ~StreamSlot() { Release(); }
  StreamSlot(const StreamSlot&) = delete;
  StreamSlot& operator=(const StreamSlot&) = delete;

  bool held() const { return limiter_ != nullptr; }
  void Release();

 private:
  friend class StreamLimiter;
  StreamLimiter* limiter_ = nullptr;
  std::string peer_;
  StreamKind kind_ = StreamKind::kIngest;
};

class StreamLimiter {
 public:
  StreamLimiter(StreamLimits limits, LimitCounters& counters) : limits_(limits), counters_(counters) {}

  // Takes a slot for a stream from `peer` (gRPC's peer string, "ipv4:127.0.0.1:40312": the port
  // is not part of the address counted). ResourceExhausted, counted, past a limit.
  Status Acquire(std::string_view peer, StreamKind kind, StreamSlot& slot);

  std::size_t streams() const;
  const StreamLimits& limits() const { return limits_; }

  // "ipv4:127.0.0.1:40312" -> "127.0.0.1", "ipv6:[::1]:5" -> "::1"; anything else as it is.
  static std::string PeerAddress(std::string_view peer);

 private:
  friend class StreamSlot;
  void Release(const std::string& peer, StreamKind kind);

  const StreamLimits limits_;
  LimitCounters& counters_;
  mutable std::mutex mu_;
  std::size_t streams_ = 0;
  std::size_t subscribers_ = 0;
  std::map<std::string, std::size_t, std::less<>> per_peer_;
};

}  // namespace airprox
