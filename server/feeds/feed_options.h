// One live feed of positions into airproxd, as configured under `feeds:`.
#pragma once

#include <cstddef>
#include <string>

namespace airprox {

enum class FeedType {
  kSbsClient,    // connects to a receiver's SBS-1 port (dump1090/readsb: HOST:30003)
  kSbsListener,  // listens for receivers that push SBS-1 lines
  kAircraftJsonPoll,  // fetches a readsb/dump1090 aircraft.json URL at a set interval
};

struct FeedOptions {
  std::string name;  // in logs and metrics
  FeedType type = FeedType::kSbsClient;
  // HOST:PORT to connect to (client) or listen on (listener); the URL to fetch (poll).
  std::string address;
  // Client: after a failed or dropped connection, wait reconnect_min_s, doubling each failure up
  // to reconnect_max_s; a connection that delivered data resets the wait. Seconds, > 0.
  double reconnect_min_s = 1.0;
  double reconnect_max_s = 30.0;
  // SBS: a connection that delivers no data for this long is dropped (client: then reconnects), so
  // that a receiver that vanished without closing (reboot, NAT timeout) is noticed. Seconds, > 0.
  double idle_timeout_s = 60.0;
  // Listener: connections at once; more are closed at once and counted. Count, >= 1.
  std::size_t max_connections = 16;
  // Positions held while the detection queue is full; past it the oldest are dropped and counted.
  // Count, >= 1.
  std::size_t max_pending = 100000;
  // Poll: fetch every interval_s; give up a fetch after timeout_s. Seconds, > 0.
  double interval_s = 1.0;
  double timeout_s = 5.0;
  // SBS: velocity, altitude and on-ground older than this are not attached to a position. Seconds.
  double max_state_age_s = 10.0;
  // SBS: a longer line is dropped and counted (FeedCounters::too_long_lines); config
  // limits.sbs_max_line_bytes, the same for every feed. Bytes, >= 64.
  std::size_t max_line_bytes = 512;
};

// "sbs-client", "sbs-listener", "aircraft-json-poll". Inline, so that the config loader names
// feeds without linking the feeds themselves.
inline const char* FeedTypeName(FeedType t) {
  switch (t) {
    case FeedType::kSbsClient: return "sbs-client";
    case FeedType::kSbsListener: return "sbs-listener";
    case FeedType::kAircraftJsonPoll: return "aircraft-json-poll";
  }
  return "?";
}

}  // namespace airprox
