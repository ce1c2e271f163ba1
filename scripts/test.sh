#!/usr/bin/env bash
# Installs, builds, and runs the whole test suite (ctest). Extra arguments go to ctest
# (e.g. -R Detector, --output-on-failure is already on).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/build.sh"
cd "$root/build"
ctest --output-on-failure --parallel "$(nproc)" --timeout 300 "$@"
