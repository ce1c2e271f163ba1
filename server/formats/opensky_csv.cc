#include "server/formats/opensky_csv.h"

#include "server/core/units.h"
#include "server/formats/icao_address.h"

namespace airprox {

OpenSkyCsvReader::OpenSkyCsvReader()
    : CsvReader({"time", "icao24", "lat", "lon", "velocity", "heading", "vertrate", "callsign",
                 "onground", "baroaltitude", "lastposupdate"}) {}

Status OpenSkyCsvReader::Open(const std::string& path, std::unique_ptr<OpenSkyCsvReader>& out) {
  std::unique_ptr<OpenSkyCsvReader> r(new OpenSkyCsvReader());
  if (Status st = r->OpenFile(path, {kTime, kIcao24, kLat, kLon}, "OpenSky state vector",
                              "time,icao24,lat,lon,velocity,heading,vertrate,callsign,onground,"
                              "alert,spi,squawk,baroaltitude,geoaltitude,lastposupdate,lastcontact");
      !st.ok()) {
    return st;
  }
  out = std::move(r);
  return Status::Ok();
}

Status OpenSkyCsvReader::ParseRow(Position& p, Row& row) {
  if (columns_.Cell(kLat).empty() && columns_.Cell(kLon).empty()) {
    row = Row::kNoPosition;
    return Status::Ok();
  }
  p = Position{};
  for (auto [c, dst] : {std::pair{kTime, &p.time_s}, {kLat, &p.lat_deg}, {kLon, &p.lon_deg}}) {
    if (Status st = columns_.RequiredNumber(c, *dst); !st.ok()) return st;
  }
  std::optional<double> last_position_s, velocity_mps, vertrate_mps, altitude_m;
  for (auto [c, dst] : {std::pair{kLastPosUpdate, &last_position_s}, {kVelocity, &velocity_mps},
                        {kHeading, &p.track_deg}, {kVertrate, &vertrate_mps},
                        {kBaroAltitude, &altitude_m}}) {
    if (Status st = columns_.Number(c, *dst); !st.ok()) return st;
  }
  if (last_position_s) p.time_s = *last_position_s;
  if (velocity_mps) p.ground_speed_kt = units::mps_to_kt(*velocity_mps);
  if (vertrate_mps) p.vertical_rate_fpm = units::mps_to_fpm(*vertrate_mps);
  if (altitude_m) p.alt_ft = units::m_to_ft(*altitude_m);
  p.track_id = TrackIdFromAddress(columns_.Cell(kIcao24));
  if (p.track_id.empty()) return InvalidArgument("format", "icao24 is empty");
  p.callsign = std::string(columns_.Cell(kCallsign));
  return columns_.Flag(kOnGround, p.on_ground);
}

}  // namespace airprox
