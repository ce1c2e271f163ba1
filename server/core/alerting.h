// When a violation becomes an alert and when an alert ends: confirmation, escalation, hysteresis.
#pragma once

#include "server/core/status.h"

namespace airprox {

struct AlertingOptions {
  // Confirmation before STARTED: a pair must violate a rule in at least confirm_hits of its last
  // confirm_window evaluations (each report of either aircraft evaluates the pair). 1 of 1 alerts
  // on the first violation.
  int confirm_hits = 2;
  int confirm_window = 3;
  // Hysteresis: a rule stops holding an encounter only once the pair is clear of that rule's
  // minima enlarged by this fraction (0.1: 5.5 NM / 1100 ft for 5 NM / 1000 ft) ...
  double end_margin = 0.10;
  // ... continuously for this many seconds of data time. Then the encounter de-escalates to the
  // most severe rule still held (violated with the enlarged minima), or ENDS when none is.
  double end_hold_s = 60.0;
  // Escalation to a more severe rule is immediate (no confirmation, no hold), and so is the start
  // of a loss that began and ended between two fixes (no later evaluation could confirm it).
};

// 1 <= confirm_hits <= confirm_window <= 32, 0 <= end_margin <= 1, 0 <= end_hold_s <= 3600.
Status ValidateAlerting(const AlertingOptions& o);

}  // namespace airprox
