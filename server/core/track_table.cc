#include "server/core/track_table.h"

#include <fmt/format.h>

namespace airprox {

Status TrackTable::Upsert(const Position& p, TrackUpdate& update) {
  auto it = by_id_.find(std::string_view(p.track_id));
  if (it != by_id_.end()) {
    Slot& slot = slots_[it->second];
    if (p.time_s < slot.track.last.time_s) {
      return {StatusCode::kFailedPrecondition, "out_of_order",
              fmt::format("time {:.3f} precedes track {}'s latest report at {:.3f}", p.time_s,
                          p.track_id, slot.track.last.time_s)};
    }
    update.handle = it->second;
    update.previous = std::move(slot.track);
    slot.track = MakeTrack(p);
    if (p.callsign.empty()) slot.track.last.callsign = update.previous->last.callsign;
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
  slots_[h].track = MakeTrack(p);
  slots_[h].live = true;
  by_id_.emplace(p.track_id, h);
  update.handle = h;
  update.previous.reset();
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
