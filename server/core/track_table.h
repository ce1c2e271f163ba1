// Every live track by id, in stable slots addressed by TrackHandle.
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/hash_slots.h"
#include "server/core/status.h"
#include "server/core/track.h"

namespace airprox {

// What an upsert changed: the change record that the spatial index and detection consume.
struct TrackUpdate {
  TrackHandle handle = 0;
  bool created = false;  // a new track (no previous fix is kept for it)
};

struct TrackTableOptions {
  // A report implying a ground speed above this from the track's latest fix is a "teleport" and is
  // refused (position allowance: kTeleportSlackM). Knots.
  double max_speed_kt = 2000.0;
  // After this many teleports in a row the track is re-anchored at the new position (the earlier
  // fix was the bad one).
  int teleports_before_reset = 3;
  // A report without velocity gets one derived from the previous fix when at most this many
  // seconds separate them. Seconds.
  double max_derive_gap_s = 60.0;
  // Vertical rates of at most this magnitude are taken as level flight for extrapolation and
  // prediction: ADS-B rates come in 64 fpm steps and level aircraft report +-64..192 fpm of noise,
  // which, extrapolated, turns 1000 ft of vertical separation into 989 ft. Feet per minute, >= 0.
  double level_flight_max_fpm = 200.0;
  // Live tracks at most (config limits.max_tracks): past it, a report for a new track is refused
  // ("too_many_tracks", ResourceExhausted) while the existing tracks keep updating. Count, >= 1.
  std::size_t max_tracks = 500000;
  // Tracks on the ground (with an altitude) take part in checks; the Detector sets this when a
  // rule applies on the ground (RuleScope::on_ground). Default: only airborne tracks are checked.
  bool check_on_ground = false;
};

class TrackTable {
 public:
  // Position error tolerated on top of max_speed_kt when checking for teleports. Metres.
  static constexpr double kTeleportSlackM = 500.0;

  explicit TrackTable(TrackTableOptions options = {}) : options_(options) {}

  // Inserts or replaces the track of p.track_id. Refused, changing nothing (FailedPrecondition):
  // a report older than the track's latest ("out_of_order"), one at the same data time
  // ("duplicate"), one that implies an impossible speed ("teleport"). A report without a callsign
  // keeps the track's callsign; one without velocity gets it derived from the previous fix.
  // A report for a new track while max_tracks are live is refused ("too_many_tracks").
  Status Upsert(const Position& p, TrackUpdate& update);

  const Track* Find(std::string_view track_id) const;
  std::optional<TrackHandle> HandleOf(std::string_view track_id) const;
  const Track& At(TrackHandle h) const { return slots_[h].track; }
  bool Live(TrackHandle h) const { return h < slots_.size() && slots_[h].live(); }
  void Erase(TrackHandle h);
  std::size_t size() const { return ids_.size(); }

  // What the stale sweep reads of every slot, contiguous by handle (h < sweep_entries().size()):
  // the latest report's time and the track's speeds. A free slot has time +infinity and speeds 0,
  // so that it is neither stale nor the fastest.
  struct SweepEntry {
    double time_s = std::numeric_limits<double>::infinity();
    double ground_speed_mps = 0;
    double abs_vertical_fps = 0;
  };
  const std::vector<SweepEntry>& sweep_entries() const { return sweep_; }

  template <typename F>
  void ForEach(F&& f) const {
    for (TrackHandle h = 0; h < slots_.size(); ++h) {
      if (slots_[h].live()) f(h, slots_[h].track);
    }
  }

 private:
  struct alignas(64) Slot {  // cache-line aligned: a track's hot members share the fewest lines
    Track track;
    // Every live track has an id (ValidatePosition); a free slot is reset to an empty Track.
    bool live() const { return !track.last.track_id.empty(); }
  };
  // Six cache lines (libstdc++, x86-64): a member added in the wrong place pads it to seven.
  static_assert(sizeof(Slot) <= 384, "TrackTable::Slot grew past 384 bytes: reorder Track's members");
  // Handles by track id, under HashId; the ids compared are the tracks' own (last.track_id), so a
  // lookup touches the track it is about to update anyway and no id is stored twice.
  static std::uint64_t HashId(std::string_view id);
  std::size_t FindId(std::string_view id, std::uint64_t hash) const {
    return ids_.Find(hash, [&](TrackHandle h) { return slots_[h].track.last.track_id == id; });
  }

  TrackTableOptions options_;
  void SetSweepEntry(TrackHandle h);
  std::vector<Slot> slots_;
  std::vector<SweepEntry> sweep_;  // by handle, beside slots_
  std::vector<TrackHandle> free_;
  HashSlots ids_;
};

}  // namespace airprox
