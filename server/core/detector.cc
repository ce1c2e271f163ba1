#include "server/core/detector.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "server/core/pair_assessment.h"
#include "server/core/pair_certificate.h"
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
  certificates_ = options_.certificates && options_.spatial_prefilter &&
                  options_.vertical_prefilter && options_.pair_prefilter &&
                  options_.certificate.epoch_s >= 1.0;
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
  if (certificates_ && update.handle >= anchors_.size()) {
    anchors_.resize(update.handle + 1);
    watched_.resize(update.handle + 1);
  }
  // Tracks that take no part in checks are indexed without altitude: altitude-bounded queries
  // never return them.
  if (certificates_) {
    // The lists are not used: the index alone, without the lists' motion records.
    index_.Update(update.handle, t.surface.ecef_m,
                  t.Checkable() ? *t.last.alt_ft : std::numeric_limits<double>::quiet_NaN());
  } else {
    neighbours_.Update(update.handle, MotionOf(t));
  }
  max_ground_speed_mps_ = std::max(max_ground_speed_mps_, t.ground_speed_mps);
  max_vertical_fps_ = std::max(max_vertical_fps_, std::abs(t.vertical_fps));
  newest_time_s_ = std::max(newest_time_s_, p.time_s);
  oldest_report_s_ = std::min(oldest_report_s_, p.time_s);

  if (t.Checkable()) {
    CheckTrack(update.handle, out);
  } else {
    if (certificates_) Unanchor(update.handle);
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
  // then the pair prefilter let them through; with certificates, when they are watched.
  const double t_s = self.last.time_s;
  PairCheckOptions check;
  check.max_interpolation_s = options_.max_interpolation_s;
  check.hold_factor = 1.0 + options_.alerting.end_margin;
  checked_.assign(partners_.begin(), partners_.end());
  candidates_.clear();
  // Certificates decline a report they cannot serve: it then takes the index path below.
  const bool certified = certificates_ && CertifiedCandidates(h, check);
  const double vertical_reach_ft = !options_.vertical_prefilter || certified
                                       ? std::numeric_limits<double>::infinity()
                                       : VerticalReachFt(self);
  // A pair without state looks back over all of self's previous fix interval (past_from_s 0).
  // (The certificate path makes its own, only when it has pairs to test.)
  std::optional<PairPrefilter> prefilter;
  if (!certified) prefilter.emplace(self, t_s, reach_, check);
  if (certified) {
    // checked_ holds the pairs to evaluate
  } else if (!certificates_ && options_.spatial_prefilter && options_.vertical_prefilter &&
             options_.neighbour_lists) {
    // The lists' records carry what the prefilter reads; tracks that are not checkable have a NaN
    // altitude there and are never candidates. (With certificates the lists are not kept.)
    std::uint64_t found = 0;
    neighbours_.ForEachCandidate(h, CandidateRadiusM(self), vertical_reach_ft,
                                 [&](TrackHandle o, const TrackMotion& other) {
                                   ++found;
                                   if (o == h) return;
                                   if (options_.pair_prefilter && !prefilter->Test(other)) return;
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
    if (options_.pair_prefilter && !prefilter->Test(other)) continue;
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

void Detector::Unanchor(TrackHandle h) {
  TrackAnchor& a = anchors_[h];
  a.valid = false;
  a.serial = next_serial_++;  // voids every other track's entry for h
  watched_[h].clear();
}

Detector::EnumerationSpans Detector::SpansOf(const Track& t, const CertificateWindow& w) const {
  // Every data time an evaluation can look at: by t's report (back to its previous fix) or, in
  // the window, by a later report of t or of another track that follows its anchor.
  const double t_s = t.last.time_s;
  double past_s = 0;
  if (t.previous) {
    const double fix_dt = t_s - t.previous->time_s;
    if (fix_dt > 0 && fix_dt <= options_.max_interpolation_s) past_s = fix_dt;
  }
  const double lo = std::min(w.from_s, t_s - past_s);
  const double hi = std::max(w.to_s, t_s + reach_.lookahead_s);
  // Other tracks reported between the oldest live report and the newest.
  const double oldest = std::max(oldest_report_s_, newest_time_s_ - options_.stale_after_s);
  return {std::max(t_s - lo, hi - t_s),
          std::max({0.0, newest_time_s_ - lo, hi - std::min(oldest, t_s)}), past_s};
}

double Detector::EnumerationRadiusM(const Track& t, const CertificateWindow& w,
                                    const EnumerationSpans& spans) const {
  const double self_span_s = spans.self_s, other_span_s = spans.other_s;
  const double budget_m = options_.certificate.budget_m;
  const double stray_mps = 2 * budget_m / w.length_s();
  // t's own motion: along its line, or back along the chord to its previous fix; later reports
  // that follow its anchor stray by a budget more.
  const double self_speed = geo::Norm(t.velocity_mps);
  const double past_m = spans.past_s > 0 ? geo::Norm(t.surface.ecef_m - t.previous->ecef_m) : 0.0;
  // Another track's: along its latest line, or, anchored, within a budget of its anchor's line,
  // itself within a budget of its latest report's point and no faster than that report by more
  // than stray_mps.
  const double other_speed = max_ground_speed_mps_ * (1 + 1e-9) + stray_mps;
  const double motion_m =
      self_speed * self_span_s + past_m + other_speed * other_span_s + 4 * budget_m;
  OutOfPlaneBound p;
  p.span_s = std::max(self_span_s, other_span_s);
  p.speed_mps = std::max(self_speed + stray_mps, other_speed);
  p.extent_m = (self_speed + stray_mps + other_speed) * p.span_s + past_m + 2 * budget_m;
  // Later reports' chords back to their previous fixes lie in the window (pair_certificate.h).
  p.past_m = std::max(p.speed_mps * w.length_s() + 2 * budget_m, past_m);
  // A pair whose horizontal separation comes under the reach has a chord of at most `chord`
  // then; its reported points are at most motion_m farther apart. (Among chords up to
  // chord + 2 motion_m: pairs farther apart than that at any instant are beyond the candidate
  // radius of every check, CandidateRadiusM, as well.)
  const double chord = ChordReachM(reach_.radius_m, p, 2 * motion_m + reach_.radius_m);
  return chord + motion_m + 1.0;
}

double Detector::EnumerationReachFt(const Track& t, const CertificateWindow& w,
                                    const EnumerationSpans& spans) const {
  const double self_span_s = spans.self_s, other_span_s = spans.other_s;
  const double budget_ft = options_.certificate.budget_ft;
  const double stray_fps = 2 * budget_ft / w.length_s();
  // Back to the previous fix: along the line between the two altitudes, or without one, along
  // the vertical rate (covered by the span below).
  const double past_ft = spans.past_s > 0 && t.previous->alt_ft
                             ? std::abs(*t.last.alt_ft - *t.previous->alt_ft)
                             : 0.0;
  return reach_.half_height_ft + 0.01 + std::abs(t.vertical_fps) * self_span_s + past_ft +
         (max_vertical_fps_ * (1 + 1e-9) + stray_fps) * other_span_s + 4 * budget_ft + 1.0;
}

bool Detector::CertifiedCandidates(TrackHandle h, const PairCheckOptions& check) {
  // The epoch is the newest data time's: a report of an earlier one (reports of different tracks
  // may come out of order) is checked in full and leaves its track unanchored, so that no pair is
  // cleared for a window that does not cover it.
  const Track& self = tracks_.At(h);
  // Data times are valid up to any finite value, but epochs and windows are computed to well
  // under a metre of motion only up to about year 5000 (1e11 s, resolution 15 us): beyond, no
  // certificates.
  constexpr double kLatestCertifiedTimeS = 1e11;
  if (!(newest_time_s_ < kLatestCertifiedTimeS)) return false;
  const double epoch_s = options_.certificate.epoch_s;
  const std::int64_t epoch = EpochOf(newest_time_s_, epoch_s);
  const CertificateWindow w = WindowOf(epoch, epoch_s, reach_.lookahead_s);
  TrackAnchor& a = anchors_[h];
  if (suspended_epoch_ == epoch) return false;
  const bool current = EpochOf(self.last.time_s, epoch_s) == epoch;
  if (current && a.valid && a.epoch == epoch && FollowsAnchor(a, self, w, options_.certificate)) {
    // Every pair of h not watched was cleared for this epoch against both anchors, or is out of
    // reach for it (the last of the two tracks to find, or anchor, looked for the other).
    std::vector<Watched>& list = watched_[h];
    if (list.empty()) return true;
    const PairPrefilter prefilter(self, self.last.time_s, reach_, check);
    std::size_t kept = 0;
    for (const Watched x : list) {
      if (anchors_[x.handle].serial != x.serial) continue;  // that track looked again since
      list[kept++] = x;
      const Track& other = tracks_.At(x.handle);
      if (!other.Checkable()) continue;
      ++counters_.candidates;
      if (prefilter.Test(other)) checked_.push_back(x.handle);
    }
    list.resize(kept);
    return true;
  }
  // Anchor h (or, for a report of an earlier epoch, void its anchor), find every track in reach
  // for the whole window, clear the pairs it can, watch the others from both sides.
  const EnumerationSpans spans = SpansOf(self, w);
  const double radius_m = EnumerationRadiusM(self, w, spans);
  if (!std::isfinite(radius_m)) {
    // Speeds of thousands of knots (a glitch, or a lookahead of minutes): nothing to gain this
    // epoch; every report is checked against the tracks in its candidate radius, none skipped.
    suspended_epoch_ = epoch;
    ++counters_.certificate_suspensions;
    return false;
  }
  ++counters_.anchorings;
  if (current) {
    a = AnchorOf(self, epoch, next_serial_++);
  } else {
    a.valid = false;
    a.serial = next_serial_++;
  }
  watched_[h].clear();
  index_.Query(self.surface.ecef_m, radius_m, candidates_, *self.last.alt_ft,
               EnumerationReachFt(self, w, spans));
  counters_.candidates += candidates_.size();
  const PairPrefilter prefilter(self, self.last.time_s, reach_, check);
  for (TrackHandle o : candidates_) {
    if (o == h) continue;
    const Track& other = tracks_.At(o);
    if (!other.Checkable()) continue;
    const TrackAnchor& b = anchors_[o];
    // This report itself is checked against every track found: the line back to its previous
    // fix, made before the anchor, need not keep within the anchor's budget.
    if (prefilter.Test(other)) checked_.push_back(o);
    if (a.valid && b.valid && b.epoch == epoch &&
        CertifiedClear(a, b, w, reach_, options_.certificate)) {
      ++counters_.pairs_certified;
      continue;
    }
    watched_[h].push_back({o, b.serial});
    watched_[o].push_back({h, a.serial});
  }
  candidates_.clear();
  return true;
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
    if (certificates_) Unanchor(h);
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
