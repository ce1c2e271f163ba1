#include "server/formats/canonical_csv.h"

#include <fmt/format.h>

namespace airprox {

CanonicalCsvReader::CanonicalCsvReader(std::unique_ptr<LineReader> lines)
    : lines_(std::move(lines)),
      columns_({"time_s", "track_id", "callsign", "lat_deg", "lon_deg", "alt_ft", "gs_kt",
                "track_deg", "vrate_fpm", "on_ground", "category"}) {}

Status CanonicalCsvReader::Open(const std::string& path, std::unique_ptr<CanonicalCsvReader>& out) {
  std::unique_ptr<LineReader> lines;
  if (Status st = LineReader::Open(path, lines); !st.ok()) return st;
  std::unique_ptr<CanonicalCsvReader> r(new CanonicalCsvReader(std::move(lines)));
  std::string header;
  if (!r->lines_->Next(header)) {
    return InvalidArgument("format", path + ":1: empty file, expected a canonical CSV header");
  }
  r->columns_.ReadHeader(header);
  for (Column c : {kTime, kId, kLat, kLon}) {
    if (!r->columns_.has(c)) {
      return InvalidArgument("format",
                             fmt::format("{}:1: header has no '{}' column; expected "
                                         "time_s,track_id,callsign,lat_deg,lon_deg,alt_ft,gs_kt,"
                                         "track_deg,vrate_fpm,on_ground",
                                         path, r->columns_.name(c)));
    }
  }
  out = std::move(r);
  return Status::Ok();
}

RecordingReader::Next CanonicalCsvReader::Read(Position& p, Status& error) {
  while (lines_->Next(line_)) {
    if (TrimBlanks(line_).empty()) continue;
    Status st = ParseLine(line_, p);
    if (st.ok()) return Next::kRecord;
    error = lines_->Located(st);
    return Next::kBadLine;
  }
  error = lines_->error();
  return Next::kEnd;
}

Status CanonicalCsvReader::ParseLine(const std::string& line, Position& p) {
  if (Status st = columns_.Split(line); !st.ok()) return st;
  p = Position{};
  for (auto [c, dst] : {std::pair{kTime, &p.time_s}, {kLat, &p.lat_deg}, {kLon, &p.lon_deg}}) {
    if (Status st = columns_.RequiredNumber(c, *dst); !st.ok()) return st;
  }
  p.track_id = std::string(columns_.Cell(kId));
  p.callsign = std::string(columns_.Cell(kCallsign));
  p.category = std::string(columns_.Cell(kCategory));
  for (auto [c, dst] : {std::pair{kAlt, &p.alt_ft}, {kGs, &p.ground_speed_kt},
                        {kTrack, &p.track_deg}, {kVrate, &p.vertical_rate_fpm}}) {
    if (Status st = columns_.Number(c, *dst); !st.ok()) return st;
  }
  return columns_.Flag(kGround, p.on_ground);
}

}  // namespace airprox
