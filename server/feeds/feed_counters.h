// What a live feed has done so far, readable from any thread (metrics, the stats log line).
#pragma once

#include <atomic>
#include <cstdint>

namespace airprox {

struct FeedCounters {
  std::atomic<std::uint64_t> connects{0};      // connections made (client) or accepted (listener)
  std::atomic<std::uint64_t> disconnects{0};   // connections lost or closed by the peer
  std::atomic<std::uint64_t> refused_connections{0};  // listener: over max_connections
  std::atomic<std::uint64_t> lines{0};         // lines read
  std::atomic<std::uint64_t> malformed{0};     // lines the parser refused (incl. too long)
  std::atomic<std::uint64_t> too_long_lines{0};  // SBS lines over max_line_bytes (also malformed)
  std::atomic<std::uint64_t> positions{0};     // positions the lines yielded
  std::atomic<std::uint64_t> accepted{0};      // positions the core accepted
  std::atomic<std::uint64_t> rejected{0};      // positions the core refused (any reason)
  std::atomic<std::uint64_t> dropped{0};       // positions dropped: detection queue full too long
  std::atomic<std::uint64_t> connected{0};     // connections open now
  std::atomic<std::uint64_t> fetches{0};       // poll: snapshots fetched
  std::atomic<std::uint64_t> fetch_errors{0};  // poll: fetches that failed (HTTP, timeout, ...)
  std::atomic<std::uint64_t> unchanged{0};     // poll: aircraft whose position had not changed
};

}  // namespace airprox
