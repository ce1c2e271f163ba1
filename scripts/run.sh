#!/usr/bin/env bash
# Installs, builds, and runs airproxd in the foreground on 127.0.0.1:50051 with the embedded default
# config, logging to the console. Extra arguments go to airproxd (e.g. --config FILE, --listen ADDR).
# Stop it with Ctrl-C.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/build.sh"
exec "$root/build/server/airproxd" "$@"
