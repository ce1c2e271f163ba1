#include "server/formats/canonical_csv.h"

namespace airprox {

CanonicalCsvReader::CanonicalCsvReader()
    : CsvReader({"time_s", "track_id", "callsign", "lat_deg", "lon_deg", "alt_ft", "gs_kt",
                 "track_deg", "vrate_fpm", "on_ground", "category"}) {}

Status CanonicalCsvReader::Open(const std::string& path, std::unique_ptr<CanonicalCsvReader>& out) {
  std::unique_ptr<CanonicalCsvReader> r(new CanonicalCsvReader());
  if (Status st = r->OpenFile(path, {kTime, kId, kLat, kLon}, "canonical CSV",
                              "time_s,track_id,callsign,lat_deg,lon_deg,alt_ft,gs_kt,track_deg,"
                              "vrate_fpm,on_ground");
      !st.ok()) {
    return st;
  }
  out = std::move(r);
  return Status::Ok();
}

Status CanonicalCsvReader::ParseRow(Position& p, Row&) {
  p = Position{};
  for (auto [c, dst] : {std::pair{kTime, &p.time_s}, {kLat, &p.lat_deg}, {kLon, &p.lon_deg}}) {
    if (Status st = columns_.RequiredNumber(c, *dst); !st.ok()) return st;
  }
  p.track_id = std::string(columns_.Cell(kId));
  if (p.track_id.empty()) return InvalidArgument("format", "track_id is empty");
  p.callsign = std::string(columns_.Cell(kCallsign));
  p.category = std::string(columns_.Cell(kCategory));
  for (auto [c, dst] : {std::pair{kAlt, &p.alt_ft}, {kGs, &p.ground_speed_kt},
                        {kTrack, &p.track_deg}, {kVrate, &p.vertical_rate_fpm}}) {
    if (Status st = columns_.Number(c, *dst); !st.ok()) return st;
  }
  return columns_.Flag(kGround, p.on_ground);
}

}  // namespace airprox
