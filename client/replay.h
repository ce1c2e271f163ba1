// airprox replay: streams recorded positions to airproxd over TrackIngest.Ingest.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "client/connection.h"

namespace airprox::cli {

struct ReplayOptions {
  Endpoint server;
  std::vector<std::string> files;  // replayed one after the other, plain or gzip
  std::string format = "auto";     // auto, csv, opensky, sbs, jsonl, aircraft-json
  double speed = 0;                // 0: as fast as possible; 1: real time; 10: ten times faster
  std::size_t batch = 1000;        // records per batch, at most
  // Replay the files again and again (until Ctrl-C); each pass is shifted in time to start 300 s
  // after the previous one ended, so that data time keeps moving forward.
  bool loop = false;
  // "now": shift every timestamp so that the first record is at the current time; a number: so
  // that it is at that UTC epoch second. Empty: timestamps as recorded.
  std::string rebase_time;
  // Draw a progress line on stderr: when stderr is a terminal, unless turned off.
  bool progress = true;
};

// Returns the process exit code (0 done, 1 error, 130 interrupted by Ctrl-C); prints a summary to
// stdout and errors to stderr.
int RunReplay(const ReplayOptions& options);

}  // namespace airprox::cli
