// The canonical CSV format of recorded tracks (plain or gzip):
//   time_s,track_id,callsign,lat_deg,lon_deg,alt_ft,gs_kt,track_deg,vrate_fpm,on_ground
// time_s: UTC epoch seconds (may be fractional); alt_ft barometric; gs_kt ground speed in knots;
// track_deg true track; vrate_fpm feet per minute; on_ground 1/0 (empty: airborne); an optional
// `category` column (aircraft category). Columns are found by their header name, in any order;
// empty cells are unknown values.
#pragma once

#include <array>
#include <memory>
#include <string>

#include "server/core/position.h"
#include "server/core/status.h"
#include "server/formats/line_reader.h"

namespace airprox {

class CanonicalCsvReader {
 public:
  // Opens the file and checks its header.
  static Status Open(const std::string& path, std::unique_ptr<CanonicalCsvReader>& out);

  enum class Next { kRecord, kBadLine, kEnd };
  // kRecord: p holds the next record. kBadLine: error says "FILE:LINE: problem" and reading can go
  // on with the next call. kEnd: the end of the file, or a read error in error.
  Next Read(Position& p, Status& error);
  std::size_t line_number() const { return lines_->line_number(); }

 private:
  enum Column { kTime, kId, kCallsign, kLat, kLon, kAlt, kGs, kTrack, kVrate, kGround, kCategory, kColumns };
  explicit CanonicalCsvReader(std::unique_ptr<LineReader> lines) : lines_(std::move(lines)) {}
  Status ParseLine(const std::string& line, Position& p) const;

  std::unique_ptr<LineReader> lines_;
  std::array<int, kColumns> index_{};  // column position of each field, -1 when absent
  std::size_t fields_ = 0;
  std::string line_;
};

}  // namespace airprox
