#!/usr/bin/env bash
# Installs (with the test-only packages: scripts/setup.sh --test), builds, and runs the whole test
# suite (ctest), then a short fuzz run of every parser, the config loader and the core
# (scripts/fuzz.sh: clang with ASan and UBSan, in build-fuzz/), AIRPROX_FUZZ_SECONDS per target
# (default 3; 0 skips it). Extra arguments go to ctest (e.g. -R Detector, --output-on-failure is
# already on).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" --test
"$root/scripts/build.sh"
cd "$root/build"
# Tests of the whole shared recordings run when the shared folder is beside the project.
if [ -z "${AIRPROX_SHARED_DATA:-}" ] && [ -d "$root/../shared/data" ]; then
  export AIRPROX_SHARED_DATA="$root/../shared/data"
fi
ctest --output-on-failure --parallel "$(nproc)" --timeout 300 "$@"
fuzz_seconds="${AIRPROX_FUZZ_SECONDS:-3}"
if [ "$fuzz_seconds" != 0 ]; then
  "$root/scripts/fuzz.sh" --seconds "$fuzz_seconds"
fi
