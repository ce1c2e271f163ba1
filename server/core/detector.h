// The detection core: applies position reports in order and emits encounter events.
//
// Single-threaded by design: one writer owns a Detector (see server/pipeline/detection_loop.h).
// Time is data time only, taken from the reports; nothing here reads a clock, so a recording
// replayed at any speed yields the same events.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "server/core/alerting.h"
#include "server/core/encounter_event.h"
#include "server/core/encounter_tracker.h"
#include "server/core/neighbour_lists.h"
#include "server/core/pair_assessment.h"
#include "server/core/rule.h"
#include "server/core/spatial_index.h"
#include "server/core/status.h"
#include "server/core/track_anchor.h"
#include "server/core/track_table.h"

namespace airprox {

struct DetectorOptions {
  std::vector<Rule> rules;
  // Sequence number of the first event: after a restart, one past the journal's last.
  std::uint64_t first_sequence = 1;
  AlertingOptions alerting;
  TrackTableOptions tracks;
  // Longest gap between two fixes of a track over which its motion is interpolated to find
  // losses of separation between fixes. Seconds.
  double max_interpolation_s = 60.0;
  // A track whose latest report is this much older than the newest data time seen is dropped and
  // its encounters end (reason "track_dropped"). Seconds, > 0.
  double stale_after_s = 60.0;
  // A report more than this ahead of the newest data time is refused ("time_jump"): one record with
  // a wrong clock must not age every other track out. Seconds, > 0.
  double max_time_jump_s = 600.0;
  // ... unless this many such reports arrive in a row with nothing accepted between them: then the
  // data really moved on (a new recording), and the newest data time follows. Count, >= 1.
  int time_jumps_before_reset = 10;
  // Edge of the spatial index's grid cubes, metres. Tuning only: results do not depend on it.
  double index_cell_m = 100000.0;
  // Candidates from the spatial index within the candidate radius (a conservative bound); false:
  // every live track is a candidate. Tuning only: results do not depend on it.
  bool spatial_prefilter = true;
  // Skip candidates whose altitude difference no rule can close in time (a conservative bound).
  // Tuning only: results do not depend on it (tests compare against it switched off).
  bool vertical_prefilter = true;
  // Skip candidates (pairs not yet in state) that MayViolate (pair_assessment.h) clears: closest
  // approaches beyond every rule's extent. Tuning only: results do not depend on it.
  bool pair_prefilter = true;
  // With the spatial and vertical prefilters: candidates come from each track's neighbour list
  // (neighbour_lists.h), which returns exactly what the index would, walking the grid only when a
  // list is rebuilt. Tuning only: results do not depend on it.
  bool neighbour_lists = true;
  NeighbourListOptions neighbours;
  // With the spatial, vertical and pair prefilters: pair certificates (track_anchor.h,
  // pair_certificate.h). A track anchors to its report's line once per epoch, finds every track
  // in reach for the whole epoch, and clears the pairs it can; its later reports in the epoch that
  // keep to the line are checked only against the pairs it could not clear. Replaces the
  // neighbour lists. Tuning only: results do not depend on it.
  bool certificates = true;
  CertificateOptions certificate;
};

struct DetectorCounters {
  std::uint64_t accepted = 0;
  std::uint64_t rejected = 0;  // all reasons, including the three below
  std::uint64_t out_of_order = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t teleports = 0;
  std::uint64_t time_jumps = 0;
  std::uint64_t tracks_dropped = 0;
  std::uint64_t candidates = 0;   // returned by the index, before the pair prefilter
  std::uint64_t pair_checks = 0;  // exact checks (AssessPair)
  // With certificates: reports that anchored their track (or, reporting for an earlier epoch,
  // looked for every track in reach without anchoring), and pairs cleared for an epoch.
  std::uint64_t anchorings = 0;
  std::uint64_t pairs_certified = 0;
  // Epochs in which certificates were given up at some report, because the reach of a track's
  // anchoring could not be bounded (speeds of thousands of knots): from then to the epoch's end,
  // every report is checked against the tracks in its candidate radius.
  std::uint64_t certificate_suspensions = 0;
};

class Detector {
 public:
  explicit Detector(DetectorOptions options);

  // Applies one report at its data time: validates it, updates the track and the index, checks the
  // track against its candidates, drops stale tracks, and appends the resulting events to out.
  // A rejected report changes nothing and its Status says why.
  Status Ingest(const Position& p, std::vector<EncounterEvent>& out);

  // Ends every active encounter now with `reason` (e.g. "shutdown"), at the newest data time.
  void EndAll(std::string_view reason, std::vector<EncounterEvent>& out);

  const TrackTable& tracks() const { return tracks_; }
  std::vector<EncounterEvent> ActiveEncounters() const { return encounters_.Active(); }
  double newest_time_s() const { return newest_time_s_; }
  const DetectorCounters& counters() const { return counters_; }
  const DetectorOptions& options() const { return options_; }

 private:
  void CheckTrack(TrackHandle h, std::vector<EncounterEvent>& out);
  // The certificate path of CheckTrack: appends to checked_ the pairs to evaluate; false when
  // certificates cannot serve this report (given up for the epoch, or data times beyond their
  // resolution), which then takes the index path.
  bool CertifiedCandidates(TrackHandle h, const PairCheckOptions& check);
  // Voids h's anchor and what others watch of it.
  void Unanchor(TrackHandle h);
  // How far in time from its report t's line, and another track's, can be extrapolated by the
  // evaluations an anchoring of t in window w covers, and the interval back to t's previous fix
  // that its own check covers (0: none). Seconds.
  struct EnumerationSpans {
    double self_s, other_s, past_s;
  };
  EnumerationSpans SpansOf(const Track& t, const CertificateWindow& w) const;
  // Chord radius and altitude difference, around t's reported point, within which every track is
  // found that any evaluation in window w could flag with t (see CertifiedCandidates).
  double EnumerationRadiusM(const Track& t, const CertificateWindow& w,
                            const EnumerationSpans& spans) const;
  double EnumerationReachFt(const Track& t, const CertificateWindow& w,
                            const EnumerationSpans& spans) const;
  void DropStale(std::vector<EncounterEvent>& out);
  // Radius around a track's reported point that contains every track the predicate could flag.
  double CandidateRadiusM(const Track& t) const;
  // Altitude difference beyond which no rule can flag a pair with t that is not yet in state.
  double VerticalReachFt(const Track& t) const;
  // How far in time another live, checkable track can be extrapolated to reach data time t_s.
  double ExtrapolationSpanS(double t_s) const;

  DetectorOptions options_;
  TrackTable tracks_;
  SpatialIndex index_;
  NeighbourLists neighbours_;  // updates index_: every index change goes through it
  EncounterTracker encounters_;
  DetectorCounters counters_;
  double newest_time_s_ = 0;
  double last_sweep_s_ = 0;
  int consecutive_time_jumps_ = 0;
  // Largest ground speed over live tracks: exact after each sweep, an upper bound between.
  double max_ground_speed_mps_ = 0;
  double max_vertical_fps_ = 0;  // |vertical rate| over live tracks, maintained like the speed
  // Earliest latest-report time over live tracks: exact after each sweep, a lower bound between.
  double oldest_report_s_ = std::numeric_limits<double>::infinity();
  RuleReach reach_;                      // of options_.rules
  // Each rule's extents in the units the candidate bounds use, in rule order (read per report).
  struct RuleExtent {
    double radius_m, half_height_ft, lookahead_s;
  };
  std::vector<RuleExtent> extents_;
  int sweeps_ = 0;
  // Pair certificates, by handle: each track's anchor, and the tracks it must check while it follows
  // it (with the serial of their anchor when added: the entry is void once that changes).
  struct Watched {
    TrackHandle handle;
    std::uint64_t serial;
  };
  bool certificates_ = false;  // in use (options_.certificates and the three prefilters)
  std::vector<TrackAnchor> anchors_;
  std::vector<std::vector<Watched>> watched_;
  std::uint64_t next_serial_ = 1;
  // The epoch in which certificates were given up (see DetectorCounters::certificate_suspensions).
  std::int64_t suspended_epoch_ = std::numeric_limits<std::int64_t>::min();
  std::vector<TrackHandle> candidates_;  // scratch
  std::vector<TrackHandle> partners_;    // scratch
  std::vector<TrackHandle> checked_;     // scratch
};

}  // namespace airprox
