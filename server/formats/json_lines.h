// JSON lines of positions (plain or gzip): one airprox.v1.Position a line, in protobuf's JSON
// mapping (proto/airprox/v1/airprox.proto), e.g.
//   {"trackId":"39c424","callsign":"AFR787V","time":"2017-12-01T12:47:57.500Z","latDeg":48.998,
//    "lonDeg":2.609,"altFt":1300,"groundSpeedKt":148,"trackDeg":86,"verticalRateFpm":2346}
// Field names may also be the proto's own (track_id, lat_deg); the parsing is protobuf's
// (google::protobuf::util::JsonStringToMessage). Unknown fields make a bad line, since a
// misspelt latDeg would otherwise silently read as latitude 0 (proto3 omits zero values, so an
// absent latDeg or lonDeg is 0 and cannot be told from a missing one). A line without "time" or
// "trackId" is a bad line; the core checks everything else. Blank lines are skipped; a line
// longer than kMaxJsonLineBytes is a bad line.
#pragma once

#include <memory>
#include <string>

#include "server/formats/line_reader.h"
#include "server/formats/recording_reader.h"

namespace airprox {

namespace v1 {
class Position;
}

inline constexpr std::size_t kMaxJsonLineBytes = 64 * 1024;  // a position is a few hundred

class JsonLinesReader : public RecordingReader {
 public:
  static Status Open(const std::string& path, std::unique_ptr<JsonLinesReader>& out);
  ~JsonLinesReader() override;

  Next Read(Position& p, Status& error) override;
  std::size_t line_number() const override { return lines_->line_number(); }
  double fraction_read() const override { return lines_->fraction_read(); }

 private:
  explicit JsonLinesReader(std::unique_ptr<LineReader> lines);
  Status ParseLine(Position& p);

  std::unique_ptr<LineReader> lines_;
  std::unique_ptr<v1::Position> message_;
  std::string line_;
};

}  // namespace airprox
