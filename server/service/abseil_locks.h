// Abseil's mutexes, which gRPC takes for every call, stream and completion.
#pragma once

namespace airprox {

// Debian 12 builds Abseil without NDEBUG, so absl::Mutex runs its debug-only deadlock detection:
// every lock taken while holding another goes through a global lock-order graph (GraphCycles),
// about 5x the cost of the lock itself. Release builds of Abseil leave it off; so do airproxd and
// airprox, at the start of main, before any gRPC thread.
void TurnOffAbseilDeadlockDetection();

}  // namespace airprox
