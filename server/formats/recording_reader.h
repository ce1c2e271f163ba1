// The common shape of every streaming reader of recorded positions, whatever the file format, so
// that a caller (the CLI's replay, tests) can read any recording the same way. OpenRecording in
// server/formats/recording_factory.h opens one by format.
#pragma once

#include <cstddef>

#include "server/core/position.h"
#include "server/core/status.h"

namespace airprox {

class RecordingReader {
 public:
  virtual ~RecordingReader() = default;

  enum class Next { kRecord, kBadLine, kEnd };
  // kRecord: p holds the next position. kBadLine: error says "FILE:LINE: problem" and reading goes
  // on with the next call. kEnd: the end of the file, or a read error in error.
  virtual Next Read(Position& p, Status& error) = 0;
  // The line of the file the last record or error came from, from 1.
  virtual std::size_t line_number() const = 0;
  // Records the format allows to carry no position (an OpenSky row without lat/lon, an
  // aircraft.json entry without one), passed over without an error so far. They are not bad
  // lines: the source had nothing to say about where the aircraft was.
  virtual std::size_t skipped() const { return 0; }
  // How far through the file reading is, 0..1 (-1: unknown); for progress display only.
  virtual double fraction_read() const = 0;
};

}  // namespace airprox
