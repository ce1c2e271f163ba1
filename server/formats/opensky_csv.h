// OpenSky Network historical state vectors (the column layout of its public
// states_YYYY-MM-DD-HH.csv files), plain or gzip:
//   time,icao24,lat,lon,velocity,heading,vertrate,callsign,onground,alert,spi,squawk,
//   baroaltitude,geoaltitude,lastposupdate,lastcontact
// Units are SI and converted here: baroaltitude m -> alt_ft, velocity m/s -> ground_speed_kt,
// vertrate m/s -> vertical_rate_fpm; heading is the true track -> track_deg; onground True/False.
// Columns are found by header name, in any order; time, icao24, lat and lon must be there, the
// others may be missing (unknown values). alert, spi, squawk, geoaltitude and lastcontact are not
// used (Position altitudes are barometric; a row without baroaltitude has no altitude).
//
// Time: a state vector is sampled every `time` but its position was measured at
// `lastposupdate`, so that is the position's time; `time` only when lastposupdate is empty.
// Rows without a position (lat and lon both empty: OpenSky has not heard one recently) are
// skipped without an error and counted in skipped(); a row with only one of them, or with a
// position but no time or icao24, is a bad line.
// The callsign is trimmed (OpenSky pads it with spaces), icao24 lowercased.
//
// Duplicates: OpenSky repeats the last known position in every state vector until a new one
// arrives, so consecutive rows of an aircraft can carry the same lastposupdate and position. This
// reader passes them on as they are; the core rejects the repeats as "duplicate" (same data time
// as the track's latest), which is what they are.
#pragma once

#include <memory>
#include <string>

#include "server/formats/csv_reader.h"

namespace airprox {

class OpenSkyCsvReader : public CsvReader {
 public:
  // Opens the file and checks its header.
  static Status Open(const std::string& path, std::unique_ptr<OpenSkyCsvReader>& out);

 private:
  enum Column { kTime, kIcao24, kLat, kLon, kVelocity, kHeading, kVertrate, kCallsign, kOnGround,
                kBaroAltitude, kLastPosUpdate };
  OpenSkyCsvReader();
  Status ParseRow(Position& p, Row& row) override;
};

}  // namespace airprox
