// airprox subscribe, tracks and encounters.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "client/connection.h"

namespace airprox::cli {

struct SubscribeOptions {
  Endpoint server;
  bool json = false;
  bool snapshot = false;
  std::uint64_t from_sequence = 0;
  bool follow = false;  // reconnect and resume after the stream ends (e.g. a server restart)
  std::string min_severity;                    // ADVISORY, WARNING, ALERT; empty: all
  std::vector<std::string> rules, track_ids, callsign_patterns;
  std::vector<double> bbox;                    // min_lat, min_lon, max_lat, max_lon
};
int RunSubscribe(const SubscribeOptions& options);
int RunTracks(const Endpoint& server);
int RunEncounters(const Endpoint& server, bool json);

}  // namespace airprox::cli
