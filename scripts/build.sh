#!/usr/bin/env bash
# Installs what is missing (scripts/setup.sh), then configures and builds Release into build/.
# Incremental: a second run rebuilds only what changed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
generator=()
if [ ! -f "$root/build/CMakeCache.txt" ]; then
  command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
fi
cmake -S "$root" -B "$root/build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build" --parallel "$(nproc)"
