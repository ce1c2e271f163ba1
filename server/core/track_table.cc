#include "server/core/track_table.h"

#include <fmt/format.h>

#include "server/core/units.h"

namespace airprox {

Status TrackTable::Upsert(const Position& p, TrackUpdate& update) {
  auto it = by_id_.find(std::string_view(p.track_id));
  if (it != by_id_.end()) {
    Slot& slot = slots_[it->second];
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
    Track next = FollowTrack(before, p, options_.max_derive_gap_s, level_fps);
    const double dt = p.time_s - before.last.time_s;
    const double moved_m = geo::Norm(next.surface.ecef_m - before.surface.ecef_m);
    const double allowed_m = units::kt_to_mps(options_.max_speed_kt) * dt + kTeleportSlackM;
    if (moved_m > allowed_m && before.consecutive_teleports + 1 < options_.teleports_before_reset) {
      ++slot.track.consecutive_teleports;
      return {StatusCode::kFailedPrecondition, "teleport",
              fmt::format("track {} would have moved {:.0f} m in {:.3f} s, faster than "
                          "max_speed_kt = {}",
                          p.track_id, moved_m, dt, options_.max_speed_kt)};
    }
    if (moved_m > allowed_m) {  // re-anchored: nothing is derived from the old fix
      next = MakeTrack(p, level_fps);
      if (p.callsign.empty()) next.last.callsign = before.last.callsign;
    }
    update.handle = it->second;
    update.created = false;
    slot.track = std::move(next);
    return Status::Ok();
  }
  TrackHandle h;
  if (!free_.empty()) {
    h = free_.back();
    free_.pop_back();
  } else {
    h = static_cast<TrackHandle>(slots_.size());
    slots_.emplace_back();
  }
  slots_[h].track = MakeTrack(p, units::fpm_to_fps(options_.level_flight_max_fpm));
  slots_[h].live = true;
  by_id_.emplace(p.track_id, h);
  update.handle = h;
  update.created = true;
  return Status::Ok();
}

const Track* TrackTable::Find(std::string_view track_id) const {
  auto h = HandleOf(track_id);
  return h ? &slots_[*h].track : nullptr;
}

std::optional<TrackHandle> TrackTable::HandleOf(std::string_view track_id) const {
  auto it = by_id_.find(track_id);
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

void TrackTable::Erase(TrackHandle h) {
  if (!Live(h)) return;
  by_id_.erase(slots_[h].track.last.track_id);
  slots_[h] = Slot{};
  free_.push_back(h);
}

}  // namespace airprox
