// A live track: the latest position report of one aircraft and the geometry derived from it once,
// at upsert time, so that pair checks do no trigonometry.
#pragma once

#include <cstdint>

#include "server/core/geo.h"
#include "server/core/position.h"

namespace airprox {

// Index of a track in the TrackTable; reused after the track is dropped.
using TrackHandle = std::uint32_t;

// Where the track was at its previous fix: with the latest fix it gives the motion between fixes.
struct PreviousFix {
  geo::Vec3 ecef_m;
  std::optional<double> alt_ft;
  double time_s = 0;
};

// Members are ordered so that what the pair checks read of a candidate (surface point, velocities,
// then the report's time and altitude) shares as few cache lines as possible.
struct Track {
  geo::SurfacePoint surface;  // of last.lat_deg / last.lon_deg
  geo::Vec3 velocity_mps;     // horizontal ECEF velocity; zero when unknown
  double vertical_fps = 0;    // vertical rate, feet per second; 0 when unknown
  double ground_speed_mps = 0;
  // True when the report had no ground speed/track (or no vertical rate) and the velocity was
  // derived from the previous fix instead.
  bool velocity_derived = false;
  // True when the report had no altitude and the previous one's was carried over (extrapolated).
  bool altitude_carried = false;
  // Set by the TrackTable (TrackTableOptions::check_on_ground): tracks on the ground with an
  // altitude take part in checks too.
  bool on_ground_checked = false;
  int consecutive_teleports = 0;  // reports refused in a row as teleports
  Position last;              // latest report, with the callsign carried over when a report has none
  std::optional<PreviousFix> previous;
  // sin and cos of last.track_deg (in radians) when it has a value: reports of a straight flight
  // repeat their track, and its trigonometry is then not done again.
  double track_sin = 0, track_cos = 1;

  // Only tracks with an altitude take part in separation checks; on the ground, only when
  // on_ground_checked and with an altitude the report gave (one carried over from an earlier
  // report would go on extrapolating the last climb or descent along the runway).
  bool Checkable() const {
    if (!last.alt_ft.has_value()) return false;
    if (!last.on_ground.value_or(false)) return true;
    return on_ground_checked && !altitude_carried;
  }
  // Surface position extrapolated along the velocity to data time t_s (straight line in ECEF; the
  // error is negligible over the short horizons used: < 1 m in 60 s at 600 kt).
  geo::Vec3 EcefAt(double t_s) const {
    return surface.ecef_m + velocity_mps * (t_s - last.time_s);
  }
  double AltitudeFtAt(double t_s) const {
    return *last.alt_ft + vertical_fps * (t_s - last.time_s);
  }
};

// Builds the derived geometry of a report.
// Vertical rates of magnitude up to level_flight_max_fps (feet per second) count as level.
Track MakeTrack(const Position& p, double level_flight_max_fps = 0);

// Two fixes less than this far apart in time give no derived velocity (seconds).
inline constexpr double kMinDeriveGapS = 1.0;
// A derived vertical rate beyond this magnitude is an altitude glitch and is taken as 0 (ft/s;
// 60,000 ft/min).
inline constexpr double kMaxDerivedVerticalFps = 1000.0;

// Builds the track of report p following `before`: carries the callsign over when p has none,
// keeps `before`'s fix as the previous fix and, when the two are at most max_derive_gap_s apart,
// carries the altitude over (extrapolated) when p has none and derives the velocity from the two
// fixes when p has none and they are at least kMinDeriveGapS apart.
Track FollowTrack(const Track& before, const Position& p, double max_derive_gap_s,
                  double level_flight_max_fps = 0);

// FollowTrack in place: t becomes FollowTrack(t, p, ...), given p's surface point (which the caller
// has computed already, e.g. to check for a teleport), without copying the report's strings
// (p.track_id must equal t.last.track_id).
void AdvanceTrack(Track& t, const Position& p, const geo::SurfacePoint& surface,
                  double max_derive_gap_s, double level_flight_max_fps = 0);

}  // namespace airprox
