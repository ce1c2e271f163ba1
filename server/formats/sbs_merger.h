// Merges the messages of an SBS-1 / BaseStation feed (the text dump1090 and readsb serve on TCP
// port 30003) into positions, one line at a time: the file reader (sbs_reader.h) and a live feed
// both feed it lines.
//
// A line has 22 comma-separated fields:
//   1 message type (MSG, SEL, ID, AIR, STA, CLK)   2 transmission type 1..8
//   5 hex ident (ICAO address)                    7, 8 date and time the message was generated
//   11 callsign  12 altitude ft  13 ground speed kt  14 track deg  15 lat  16 lon
//   17 vertical rate fpm  22 on ground (-1 true, 0 false)
// (3, 4, 6 are session/aircraft/flight ids, 9, 10 the time logged, 18-21 squawk and flags: unused.)
// The time is fields 7 and 8 (YYYY/MM/DD, HH:MM:SS.sss), read as UTC; when both are empty the
// time logged (9, 10) stands in. A feed that writes local time must run with TZ=UTC.
//
// Per aircraft (hex ident, lowercased as the track id) the merger keeps the latest callsign, the
// latest velocity (ground speed, track and vertical rate, from MSG,4 or MSG,2, as one unit), the
// latest altitude and the latest on-ground flag, each with its data time; "latest" is by data
// time, so a late line never overwrites newer state. Every MSG,3 (airborne position) and MSG,2
// (surface position, on_ground = true) with a lat/lon yields one Position: its own fields first,
// then the kept state, of which velocity, altitude and on-ground are attached only when their
// data time is within max_state_age_s of the position's (the callsign does not age). So a
// position carries the velocity of the last MSG,4 before it, usually a second old.
//
// MSG,1 (callsign), 4 (velocity), 5, 6, 7 (altitude, on-ground) and 8 (on-ground) only update the
// state. MSG,2/3 without lat/lon update it too and are counted in skipped(). Blank lines and the
// other message types (SEL, ID, AIR, STA, CLK) yield nothing and are not errors. A malformed line
// is an error that changes no state.
//
// Bounds: a line longer than max_line_bytes (default kMaxSbsLineBytes) is an error; at most max_aircraft aircraft are kept,
// and a new one beyond that evicts the aircraft heard from longest ago (by feed order).
#pragma once

#include <cstddef>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/core/position.h"
#include "server/core/status.h"

namespace airprox {

inline constexpr std::size_t kMaxSbsLineBytes = 512;  // real lines are about 130 bytes

struct SbsMergerOptions {
  double max_state_age_s = 10.0;     // velocity, altitude, on-ground older than this: not attached
  std::size_t max_aircraft = 10000;  // aircraft kept at once; more evicts the stalest
  std::size_t max_line_bytes = kMaxSbsLineBytes;  // a longer line is an error
};

class SbsMerger {
 public:
  explicit SbsMerger(SbsMergerOptions options = {}) : options_(options) {}

  // Feeds one line, with or without its line ending (dump1090 ends lines with \r\n). out is set
  // when the line yields a position, reset otherwise. An error says what is wrong with the line
  // (the caller adds where it came from).
  Status Feed(std::string_view line, std::optional<Position>& out);

  std::size_t aircraft() const { return by_id_.size(); }
  // Aircraft evicted to keep within max_aircraft, so far.
  std::size_t evicted() const { return evicted_; }
  // MSG,2/3 lines without a lat/lon, so far.
  std::size_t skipped() const { return skipped_; }

 private:
  template <typename T>
  struct Timed {
    std::optional<T> value;
    double time_s = 0;
  };
  struct Velocity {
    std::optional<double> ground_speed_kt, track_deg, vertical_rate_fpm;
  };
  struct Aircraft {
    std::string track_id;
    Timed<std::string> callsign;
    Timed<Velocity> velocity;
    Timed<double> alt_ft;
    Timed<bool> on_ground;
  };
  struct Message;

  Status Parse(std::string_view line, Message& m, bool& is_msg);
  Aircraft& Find(const std::string& track_id);
  // The kept value when it is within max_state_age_s of time_s.
  template <typename T>
  std::optional<T> Recent(const Timed<T>& kept, double time_s) const;

  SbsMergerOptions options_;
  std::list<Aircraft> aircraft_;  // most recently heard first
  std::unordered_map<std::string, std::list<Aircraft>::iterator> by_id_;
  std::size_t evicted_ = 0;
  std::size_t skipped_ = 0;
  std::vector<std::string_view> fields_;
};

}  // namespace airprox
