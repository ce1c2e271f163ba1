// The canonical CSV format of recorded tracks (plain or gzip):
//   time_s,track_id,callsign,lat_deg,lon_deg,alt_ft,gs_kt,track_deg,vrate_fpm,on_ground
// time_s: UTC epoch seconds (may be fractional); alt_ft barometric; gs_kt ground speed in knots;
// track_deg true track; vrate_fpm feet per minute; on_ground 1/0 (empty: airborne); an optional
// `category` column (aircraft category). Columns are found by their header name, in any order;
// empty cells are unknown values, except in time_s, track_id, lat_deg and lon_deg (a bad line).
#pragma once

#include <memory>
#include <string>

#include "server/formats/csv_reader.h"

namespace airprox {

class CanonicalCsvReader : public CsvReader {
 public:
  // Opens the file and checks its header.
  static Status Open(const std::string& path, std::unique_ptr<CanonicalCsvReader>& out);

 private:
  enum Column { kTime, kId, kCallsign, kLat, kLon, kAlt, kGs, kTrack, kVrate, kGround, kCategory };
  CanonicalCsvReader();
  Status ParseRow(Position& p, Row& row) override;
};

}  // namespace airprox
