#!/usr/bin/env bash
# Installs (with the test-only packages: scripts/setup.sh --test), builds, and runs the whole test
# suite (ctest). Extra arguments go to ctest (e.g. -R Detector, --output-on-failure is already on).
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
