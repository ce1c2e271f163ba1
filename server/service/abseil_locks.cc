#include "server/service/abseil_locks.h"

#include <absl/synchronization/mutex.h>

namespace airprox {

void TurnOffAbseilDeadlockDetection() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

}  // namespace airprox
