// Where detection's events go: the subscriber hub, the log. Called on the detection thread, in
// sequence order, once per processed batch; an implementation must not block.
#pragma once

#include <vector>

#include "server/core/encounter_event.h"

namespace airprox {

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void OnEvents(const std::vector<EncounterEvent>& events) = 0;
};

}  // namespace airprox
