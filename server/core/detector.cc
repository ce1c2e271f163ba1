#include "server/core/detector.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "server/core/pair_assessment.h"
#include "server/core/units.h"

namespace airprox {
namespace {

// How often, in data time, stale tracks are swept.
constexpr double kSweepIntervalS = 1.0;
// How many sweeps between recomputations of the neighbour lists' reach (an O(tracks) walk).
constexpr int kSweepsPerReachRecompute = 10;

// The options as the detector runs them: ground tracks are checked when some rule applies there.
DetectorOptions Prepared(DetectorOptions o) {
  for (const Rule& r : o.rules) o.tracks.check_on_ground |= r.scope.on_ground;
  return o;
}

}  // namespace

Detector::Detector(DetectorOptions options)
    : options_(Prepared(std::move(options))),
      tracks_(options_.tracks),
      index_(options_.index_cell_m),
      neighbours_(index_, options_.neighbours),
      encounters_(options_.rules, options_.alerting, options_.first_sequence),
      reach_(ReachOf(options_.rules)) {
  for (const Rule& r : options_.rules) {
    extents_.push_back({units::nm_to_m(r.horizontal_nm), r.vertical_ft, r.lookahead_s});
  }
}

Status Detector::Ingest(const Position& p, std::vector<EncounterEvent>& out) {
  Status st = ValidatePosition(p);
  if (st.ok() && p.time_s < newest_time_s_ - options_.stale_after_s) {
    st = {StatusCode::kFailedPrecondition, "too_old",
          fmt::format("time {:.3f} is more than stale_after_s = {} before the newest data time {:.3f}",
                      p.time_s, options_.stale_after_s, newest_time_s_)};
  }
  if (st.ok() && newest_time_s_ > 0 && p.time_s > newest_time_s_ + options_.max_time_jump_s) {
    if (++consecutive_time_jumps_ < options_.time_jumps_before_reset) {
      ++counters_.time_jumps;
      st = {StatusCode::kFailedPrecondition, "time_jump",
            fmt::format("time {:.3f} is more than max_time_jump_s = {} after the newest data time "
                        "{:.3f}",
                        p.time_s, options_.max_time_jump_s, newest_time_s_)};
    }
  }
  TrackUpdate update;
  if (st.ok()) st = tracks_.Upsert(p, update);
  if (!st.ok()) {
    ++counters_.rejected;
    if (st.reason() == "out_of_order") ++counters_.out_of_order;
    if (st.reason() == "duplicate") ++counters_.duplicates;
    if (st.reason() == "teleport") ++counters_.teleports;
    return st;
  }
  ++counters_.accepted;
  consecutive_time_jumps_ = 0;
  const Track& t = tracks_.At(update.handle);
  // Tracks that take no part in checks are indexed without altitude: altitude-bounded queries
  // never return them.
  neighbours_.Update(update.handle, MotionOf(t));
  max_ground_speed_mps_ = std::max(max_ground_speed_mps_, t.ground_speed_mps);
  max_vertical_fps_ = std::max(max_vertical_fps_, std::abs(t.vertical_fps));
  newest_time_s_ = std::max(newest_time_s_, p.time_s);
  oldest_report_s_ = std::min(oldest_report_s_, p.time_s);

  if (t.Checkable()) {
    CheckTrack(update.handle, out);
  } else {
    encounters_.EndAllOf(update.handle, p.time_s, "not_checkable",
                         [this](TrackHandle h) -> const Track& { return tracks_.At(h); }, out);
  }
  if (newest_time_s_ - last_sweep_s_ >= kSweepIntervalS) DropStale(out);
  return Status::Ok();
}

double Detector::CandidateRadiusM(const Track& t) const {
  // The other track may be extrapolated by up to ExtrapolationSpanS from its indexed point; within
  // the lookahead both tracks move at most at their speeds. The index measures chords; the predicate
  // measures the chord projected on a tangent plane, shorter by a factor cos(angle/2) (0.99996 at
  // 100 km, 0.999 at 560 km): the 1.001 factor covers radii up to about 560 km, the metre rounding.
  double reach = 0;
  for (const RuleExtent& r : extents_) {
    reach = std::max(reach, r.radius_m + r.lookahead_s * (t.ground_speed_mps + max_ground_speed_mps_));
  }
  reach += ExtrapolationSpanS(t.last.time_s) * max_ground_speed_mps_;
  // The past interval checked for losses between fixes: self back along its fix-to-fix line, the
  // other extrapolated back as far.
  if (t.previous) {
    const double fix_dt = t.last.time_s - t.previous->time_s;
    if (fix_dt > 0 && fix_dt <= options_.max_interpolation_s) {
      const double fix_speed = geo::Norm(t.surface.ecef_m - t.previous->ecef_m) / fix_dt;
      reach += fix_dt * (fix_speed + max_ground_speed_mps_);
    }
  }
  return reach * 1.001 + 1.0;
}

double Detector::ExtrapolationSpanS(double t_s) const {
  // Every checked track reported at or after `oldest` (stale ones are skipped) and at or before
  // the newest data time.
  const double oldest = std::max(oldest_report_s_, newest_time_s_ - options_.stale_after_s);
  return std::max({0.0, t_s - oldest, newest_time_s_ - t_s});
}

double Detector::VerticalReachFt(const Track& t) const {
  double reach = 0;
  for (const RuleExtent& r : extents_) {
    reach = std::max(reach, r.half_height_ft + r.lookahead_s * (std::abs(t.vertical_fps) + max_vertical_fps_));
  }
  reach += ExtrapolationSpanS(t.last.time_s) * max_vertical_fps_;
  if (t.previous) {
    const double fix_dt = t.last.time_s - t.previous->time_s;
    if (fix_dt > 0 && fix_dt <= options_.max_interpolation_s) {
      const double fix_fps = t.previous->alt_ft
                                 ? std::abs(*t.last.alt_ft - *t.previous->alt_ft) / fix_dt
                                 : std::abs(t.vertical_fps);
      reach += fix_dt * (fix_fps + max_vertical_fps_);
    }
  }
  return reach + 1.0;
}

void Detector::CheckTrack(TrackHandle h, std::vector<EncounterEvent>& out) {
  const Track& self = tracks_.At(h);
  partners_ = encounters_.PartnersOf(h);  // a copy: Observe below changes the tracker's lists
  std::sort(partners_.begin(), partners_.end());

  // Pairs with state (partners) are always evaluated: hysteresis needs it. Others only when the
  // index (within the candidate radius and, with the vertical prefilter, the vertical reach) and
  // then the pair prefilter let them through.
  const double vertical_reach_ft =
      options_.vertical_prefilter ? VerticalReachFt(self) : std::numeric_limits<double>::infinity();
  const double t_s = self.last.time_s;
  PairCheckOptions check;
  check.max_interpolation_s = options_.max_interpolation_s;
  check.hold_factor = 1.0 + options_.alerting.end_margin;
  checked_.assign(partners_.begin(), partners_.end());
  // A pair without state looks back over all of self's previous fix interval (past_from_s 0).
  const PairPrefilter prefilter(self, t_s, reach_, check);
  candidates_.clear();
  if (options_.spatial_prefilter && options_.vertical_prefilter && options_.neighbour_lists) {
    // The lists' records carry what the prefilter reads; tracks that are not checkable have a NaN
    // altitude there and are never candidates.
    std::uint64_t found = 0;
    neighbours_.ForEachCandidate(h, CandidateRadiusM(self), vertical_reach_ft,
                                 [&](TrackHandle o, const TrackMotion& other) {
                                   ++found;
                                   if (o == h) return;
                                   if (options_.pair_prefilter && !prefilter.Test(other)) return;
                                   checked_.push_back(o);
                                 });
    counters_.candidates += found;
  } else if (options_.spatial_prefilter) {
    index_.Query(self.surface.ecef_m, CandidateRadiusM(self), candidates_, *self.last.alt_ft,
                 vertical_reach_ft);
  } else {
    tracks_.ForEach([&](TrackHandle o, const Track& other) {
      if (other.Checkable() && std::abs(*other.last.alt_ft - *self.last.alt_ft) <= vertical_reach_ft) {
        candidates_.push_back(o);
      }
    });
  }
  counters_.candidates += candidates_.size();
  for (TrackHandle o : candidates_) {
    const Track& other = tracks_.At(o);
    if (o == h || !other.Checkable()) continue;
    if (options_.pair_prefilter && !prefilter.Test(other)) continue;
    checked_.push_back(o);
  }
  // Handle order: events within one report come out in the same order whatever the index did.
  std::sort(checked_.begin(), checked_.end());
  checked_.erase(std::unique(checked_.begin(), checked_.end()), checked_.end());

  for (TrackHandle o : checked_) {
    const Track& other = tracks_.At(o);
    if (!other.Checkable()) continue;
    // Already past the stale cutoff, to be dropped at the next sweep: never extrapolated further
    // than stale_after_s (the candidate radius and the vertical prefilter rely on that bound).
    if (other.last.time_s < newest_time_s_ - options_.stale_after_s) continue;
    ++counters_.pair_checks;
    // Cover the time since self's previous fix (each aircraft's reports cover its own fix-to-fix
    // line, whichever of the two reports first), but never before the pair's last de-escalation or
    // end: what happened before that has been reported already.
    check.past_from_s = encounters_.LookBackFrom(h, o).value_or(0.0);
    const PairAssessment as = AssessPair(self, other, t_s, options_.rules, check);
    encounters_.Observe(h, self, o, other, t_s, as, out);
  }
}

void Detector::EndAll(std::string_view reason, std::vector<EncounterEvent>& out) {
  auto track_of = [this](TrackHandle x) -> const Track& { return tracks_.At(x); };
  tracks_.ForEach([&](TrackHandle h, const Track&) {
    encounters_.EndAllOf(h, newest_time_s_, reason, track_of, out);
  });
}

void Detector::DropStale(std::vector<EncounterEvent>& out) {
  last_sweep_s_ = newest_time_s_;
  const double cutoff = newest_time_s_ - options_.stale_after_s;
  std::vector<TrackHandle> stale;
  double max_speed = 0, max_vertical = 0;
  double oldest = std::numeric_limits<double>::infinity();
  // Over a contiguous array of every slot's time and speeds (free slots: never stale, speed 0),
  // without branches; the stale handles, when there are any, in a second pass.
  const std::vector<TrackTable::SweepEntry>& entries = tracks_.sweep_entries();
  const TrackTable::SweepEntry* const first = entries.data();
  const TrackTable::SweepEntry* const last = first + entries.size();
  bool any_stale = false;
  for (const TrackTable::SweepEntry* e = first; e != last; ++e) {
    const bool fresh = e->time_s >= cutoff;
    any_stale |= !fresh;
    oldest = std::min(oldest, fresh ? e->time_s : std::numeric_limits<double>::infinity());
    max_speed = std::max(max_speed, fresh ? e->ground_speed_mps : 0.0);
    max_vertical = std::max(max_vertical, fresh ? e->abs_vertical_fps : 0.0);
  }
  for (const TrackTable::SweepEntry* e = first; any_stale && e != last; ++e) {
    if (e->time_s < cutoff) stale.push_back(static_cast<TrackHandle>(e - first));
  }
  auto track_of = [this](TrackHandle x) -> const Track& { return tracks_.At(x); };
  for (TrackHandle h : stale) {
    encounters_.EndAllOf(h, newest_time_s_, "track_dropped", track_of, out);
  }
  for (TrackHandle h : stale) {
    neighbours_.Erase(h);
    tracks_.Erase(h);
    ++counters_.tracks_dropped;
  }
  // Tuning only (lists answer exactly at any reach): lists shrink back after a burst of speed
  // within ten sweeps instead of one, at a tenth of the cost.
  if (++sweeps_ % kSweepsPerReachRecompute == 0) neighbours_.RecomputeReach();
  max_ground_speed_mps_ = max_speed;
  max_vertical_fps_ = max_vertical;
  oldest_report_s_ = oldest;
}

}  // namespace airprox
