// airprox replay: streams recorded positions to airproxd over TrackIngest.Ingest.
#pragma once

#include <string>
#include <vector>

#include "client/connection.h"

namespace airprox::cli {

struct ReplayOptions {
  Endpoint server;
  std::vector<std::string> files;  // canonical CSV, plain or gzip
  double speed = 0;                // 0: as fast as possible; 1: real time; 10: ten times faster
  std::size_t batch = 1000;        // records per batch, at most
};

// Returns the process exit code; prints a summary to stdout and errors to stderr.
int RunReplay(const ReplayOptions& options);

}  // namespace airprox::cli
