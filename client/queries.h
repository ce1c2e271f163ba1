// airprox subscribe, tracks and encounters.
#pragma once

#include <string>

namespace airprox::cli {

struct SubscribeOptions {
  std::string server;
  bool json = false;
};
int RunSubscribe(const SubscribeOptions& options);
int RunTracks(const std::string& server);
int RunEncounters(const std::string& server, bool json);

}  // namespace airprox::cli
