#include "server/core/track_table.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>

#include "server/core/units.h"

namespace airprox {

std::uint64_t TrackTable::HashId(std::string_view id) {
  // Eight bytes at a time, each mixed in by a multiply and a fold (ids are short: ICAO hex codes).
  constexpr std::uint64_t kMul = 0x9e3779b97f4a7c15ull;
  std::uint64_t h = id.size() * kMul;
  std::size_t i = 0;
  for (; i + 8 <= id.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, id.data() + i, 8);
    h = (h ^ w) * kMul;
    h ^= h >> 29;
  }
  if (i < id.size()) {
    std::uint64_t w = 0;
    std::memcpy(&w, id.data() + i, id.size() - i);
    h = (h ^ w) * kMul;
    h ^= h >> 29;
  }
  return h * kMul;  // the table uses the top bits
}

Status TrackTable::Upsert(const Position& p, TrackUpdate& update) {
  const std::uint64_t hash = HashId(p.track_id);
  const TrackHandle found = ids_.value(FindId(p.track_id, hash));
  if (found != HashSlots::kNone) {
    Slot& slot = slots_[found];
    const Track& before = slot.track;
    if (p.time_s < before.last.time_s) {
      return {StatusCode::kFailedPrecondition, "out_of_order",
              fmt::format("time {:.3f} precedes track {}'s latest report at {:.3f}", p.time_s,
                          p.track_id, before.last.time_s)};
    }
    if (p.time_s == before.last.time_s) {
      return {StatusCode::kFailedPrecondition, "duplicate",
              fmt::format("track {} already has a report at time {:.3f}", p.track_id, p.time_s)};
    }
    const double level_fps = units::fpm_to_fps(options_.level_flight_max_fpm);
    const geo::SurfacePoint surface = geo::ToSurfacePoint(p.lat_deg, p.lon_deg);
    const double dt = p.time_s - before.last.time_s;
    const double moved_m = geo::Norm(surface.ecef_m - before.surface.ecef_m);
    const double allowed_m = units::kt_to_mps(options_.max_speed_kt) * dt + kTeleportSlackM;
    if (moved_m > allowed_m && before.consecutive_teleports + 1 < options_.teleports_before_reset) {
      ++slot.track.consecutive_teleports;
      return {StatusCode::kFailedPrecondition, "teleport",
              fmt::format("track {} would have moved {:.0f} m in {:.3f} s, faster than "
                          "max_speed_kt = {}",
                          p.track_id, moved_m, dt, options_.max_speed_kt)};
    }
    if (moved_m > allowed_m) {  // re-anchored: nothing is derived from the old fix
      Track next = MakeTrack(p, level_fps);
      if (p.callsign.empty()) next.last.callsign = std::move(slot.track.last.callsign);
      slot.track = std::move(next);
    } else {
      AdvanceTrack(slot.track, p, surface, options_.max_derive_gap_s, level_fps);
    }
    slot.track.on_ground_checked = options_.check_on_ground;
    SetSweepEntry(found);
    update.handle = found;
    update.created = false;
    return Status::Ok();
  }
  if (ids_.size() >= options_.max_tracks) {
    return {StatusCode::kResourceExhausted, "too_many_tracks",
            fmt::format("track {} would be new, but {} tracks are live, the limit "
                        "(limits.max_tracks = {})",
                        p.track_id, ids_.size(), options_.max_tracks)};
  }
  TrackHandle h;
  if (!free_.empty()) {
    h = free_.back();
    free_.pop_back();
  } else {
    h = static_cast<TrackHandle>(slots_.size());
    slots_.emplace_back();
    sweep_.emplace_back();
  }
  slots_[h].track = MakeTrack(p, units::fpm_to_fps(options_.level_flight_max_fpm));
  slots_[h].track.on_ground_checked = options_.check_on_ground;
  SetSweepEntry(h);
  ids_.Insert(hash, h);
  update.handle = h;
  update.created = true;
  return Status::Ok();
}

void TrackTable::SetSweepEntry(TrackHandle h) {
  const Track& t = slots_[h].track;
  sweep_[h] = {t.last.time_s, t.ground_speed_mps, std::abs(t.vertical_fps)};
}

const Track* TrackTable::Find(std::string_view track_id) const {
  auto h = HandleOf(track_id);
  return h ? &slots_[*h].track : nullptr;
}

std::optional<TrackHandle> TrackTable::HandleOf(std::string_view track_id) const {
  const TrackHandle h = ids_.value(FindId(track_id, HashId(track_id)));
  if (h == HashSlots::kNone) return std::nullopt;
  return h;
}

void TrackTable::Erase(TrackHandle h) {
  if (!Live(h)) return;
  const std::string_view id = slots_[h].track.last.track_id;
  ids_.EraseAt(FindId(id, HashId(id)));
  slots_[h] = Slot{};
  sweep_[h] = SweepEntry{};
  free_.push_back(h);
}

}  // namespace airprox
