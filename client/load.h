// airprox load: synthetic traffic over real gRPC, measuring the ingest rate, the alert latency
// seen by subscribers and the server's CPU and memory.
#pragma once

#include <string>

#include "client/connection.h"

namespace airprox::cli {

struct LoadOptions {
  Endpoint server;
  std::size_t aircraft = 1000;       // in all, conflict pairs included
  std::size_t conflict_pairs = 10;   // each must give one STARTED event per subscriber
  double km2_per_aircraft = 250;     // density
  double rate = 1000;                // positions per second offered; 0: as fast as acknowledged
  std::size_t batch = 100;           // positions per batch
  double duration_s = 10;            // of the full run
  std::size_t streams = 2;           // parallel Ingest streams, each on its own connection
  std::size_t subscribers = 1;
  double transport_s = 2;            // the transport-only phase first; 0: none
  double drain_s = 10;               // after the run, wait at most this long for the events
  std::string metrics_url = "http://127.0.0.1:9464/metrics";  // "": do not scrape
  bool markdown = false;             // also print one Markdown table row
};

inline constexpr double kLoadMaxDurationS = 600;

// The Markdown table header that matches the rows of --markdown (two lines).
std::string LoadMarkdownHeader();

// 0: done, every expected event received; 3: done, but events missing; 1: error.
int RunLoad(const LoadOptions& options);

}  // namespace airprox::cli
