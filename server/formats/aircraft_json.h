// readsb / dump1090 aircraft.json snapshots (plain or gzip):
//   {"now": 1678803634.1, "messages": ..., "aircraft": [
//     {"hex": "a2cf43", "flight": "N280PC  ", "lat": 38.96, "lon": -77.45, "alt_baro": 2500,
//      "gs": 120.4, "track": 267.2, "baro_rate": -640, "seen_pos": 0.4, "category": "A1", ...}, ...]}
// One position per aircraft that has a lat/lon: track_id the lowercased hex (readsb's "~" prefix
// for non-ICAO addresses kept), callsign the trimmed flight, alt_ft alt_baro (the string "ground"
// instead: on_ground true and no altitude; a number: on_ground false), ground_speed_kt gs,
// track_deg track, vertical_rate_fpm baro_rate (geom_rate when there is no baro_rate), category.
// Time: now - seen_pos (seconds since the position was received), rounded to the millisecond so
// that one fix repeated in consecutive snapshots keeps one time; now when seen_pos is absent.
// JSON null is the same as an absent key; every other key is ignored.
//
// A file holds one snapshot or several one after the other (as `curl .../aircraft.json >> file`
// in a loop records them), each on one line or spread over many. Aircraft without lat/lon are
// skipped without an error and counted in skipped(). Errors name the line of the aircraft's
// object: a wrong type ("'lat' is not a number"), a missing hex, lat without lon. A snapshot with
// no "now" number or no "aircraft" array is one error at the line where it ends, and none of its
// aircraft are read. A JSON syntax error is one error at its line; reading then goes on with the
// next snapshot that begins at the start of a later line, and lines before it are not reported
// again. The same fix repeated by consecutive snapshots is passed on each time: the core rejects
// the repeats as "duplicate".
//
// The JSON is parsed by nlohmann::json (its SAX interface, one snapshot at a time); the positions
// of one snapshot are held until its end has been read.
#pragma once

#include <deque>
#include <istream>
#include <memory>
#include <optional>
#include <string>

#include "server/formats/line_reader.h"
#include "server/formats/recording_reader.h"

namespace airprox {

class AircraftJsonReader : public RecordingReader {
 public:
  static Status Open(const std::string& path, std::unique_ptr<AircraftJsonReader>& out);
  ~AircraftJsonReader() override;

  Next Read(Position& p, Status& error) override;
  // The line of the last record's aircraft object, or of the last error.
  std::size_t line_number() const override { return line_; }
  double fraction_read() const override { return lines_->fraction_read(); }
  // Aircraft without a position, passed over.
  std::size_t skipped() const override { return skipped_; }

 private:
  class LineBuffer;
  class SnapshotParser;
  // A position or an error (a message without FILE:LINE), and the line it comes from.
  struct Item {
    std::size_t line = 0;
    std::optional<Position> position;
    Status error;
  };
  explicit AircraftJsonReader(std::unique_ptr<LineReader> lines);
  // Parses the next snapshot into pending_; false at the end of the file.
  bool ParseSnapshot();

  std::unique_ptr<LineReader> lines_;
  std::unique_ptr<LineBuffer> buffer_;
  std::istream stream_;
  std::deque<Item> pending_;
  std::size_t line_ = 0;
  std::size_t skipped_ = 0;
  bool resync_ = false;  // after a syntax error: looking for the next whole snapshot
};

}  // namespace airprox
