// The live map's options (config section `map`), apart from LiveMap so that the config reads them
// without the HTTP server.
#pragma once

#include <cstddef>
#include <string>

namespace airprox {

struct LiveMapOptions {
  double max_updates_per_s = 2;              // map.max_updates_per_s: track updates per client per second, (0, 20]
  std::size_t max_buffered_bytes = 1 << 20;  // map.max_buffered_bytes: per client, unsent bytes beyond which sends stop
  std::size_t max_clients = 16;              // map.max_clients: browsers at once; more are refused (503)
  std::string tile_url;                      // map.tile_url: {z}/{x}/{y} tile URL; "" = the offline base layer only
  std::size_t max_pending_events = 1024;     // events waiting for the HTTP thread
  std::size_t history_events = 50;           // recent ENDED events a new client is given
};

}  // namespace airprox
