// airprox subscribe, tracks and encounters.
#pragma once

#include <string>

#include "client/connection.h"

namespace airprox::cli {

struct SubscribeOptions {
  Endpoint server;
  bool json = false;
};
int RunSubscribe(const SubscribeOptions& options);
int RunTracks(const Endpoint& server);
int RunEncounters(const Endpoint& server, bool json);

}  // namespace airprox::cli
