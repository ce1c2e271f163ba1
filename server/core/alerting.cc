#include "server/core/alerting.h"

#include <fmt/format.h>

#include <cmath>

namespace airprox {

Status ValidateAlerting(const AlertingOptions& o) {
  if (!(o.confirm_window >= 1 && o.confirm_window <= 32)) {
    return InvalidArgument("alerting", fmt::format("alerting.confirm_window: {} is outside [1, 32]",
                                                   o.confirm_window));
  }
  if (!(o.confirm_hits >= 1 && o.confirm_hits <= o.confirm_window)) {
    return InvalidArgument("alerting",
                           fmt::format("alerting.confirm_hits: {} is outside [1, confirm_window = {}]",
                                       o.confirm_hits, o.confirm_window));
  }
  if (!(std::isfinite(o.end_margin) && o.end_margin >= 0 && o.end_margin <= 1)) {
    return InvalidArgument("alerting",
                           fmt::format("alerting.end_margin: {} is outside [0, 1]", o.end_margin));
  }
  if (!(std::isfinite(o.end_hold_s) && o.end_hold_s >= 0 && o.end_hold_s <= 3600)) {
    return InvalidArgument("alerting",
                           fmt::format("alerting.end_hold_s: {} is outside [0, 3600]", o.end_hold_s));
  }
  return Status::Ok();
}

}  // namespace airprox
