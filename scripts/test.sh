#!/usr/bin/env bash
# Installs (with the test-only packages: scripts/setup.sh --test), builds, and runs the whole test
# suite (ctest), then a short fuzz run of every parser, the config loader and the core
# (scripts/fuzz.sh: clang with ASan and UBSan, in build-fuzz/), AIRPROX_FUZZ_SECONDS per target
# (default 3; 0 skips it). Extra arguments go to ctest (e.g. -R Detector, --output-on-failure is
# already on).
#
#   scripts/test.sh [--sanitize address,undefined|thread] [CTEST_ARG...]
#
# --sanitize builds everything (product, tests, the scripts' binaries) with those sanitizers into a
# folder of its own (build-asan-ubsan/ or build-tsan/) and runs the whole suite there; any finding
# fails its test. The fuzz step is left out: the fuzzers always run under ASan and UBSan, and they
# are single-threaded, which leaves ThreadSanitizer nothing to check.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sanitize=""
if [ "${1:-}" = "--sanitize" ]; then
  [ $# -ge 2 ] || { echo "test.sh: --sanitize wants address,undefined or thread" >&2; exit 2; }
  sanitize="$2"
  shift 2
elif [[ "${1:-}" == --sanitize=* ]]; then
  sanitize="${1#--sanitize=}"
  shift
fi
"$root/scripts/setup.sh" --test
if [ -z "$sanitize" ]; then
  "$root/scripts/build.sh"
  build="$root/build"
else
  case "$sanitize" in
    address,undefined|undefined,address) build="$root/build-asan-ubsan" ;;
    thread) build="$root/build-tsan" ;;
    *) echo "test.sh: --sanitize $sanitize: use address,undefined or thread" >&2; exit 2 ;;
  esac
  generator=()
  if [ ! -f "$build/CMakeCache.txt" ]; then
    command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
  fi
  cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Debug \
    -DAIRPROX_SANITIZE="$sanitize" >/dev/null
  cmake --build "$build" --parallel "$(nproc)"
  supp="$root/tests/sanitizers"
  # Every finding fails: UBSan halts with its stack, LeakSanitizer reports at exit, ThreadSanitizer
  # exits non-zero after a report. The suppressions name third-party code only (see their files).
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1}"
  export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$supp/lsan.supp:print_suppressions=0}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
  export TSAN_OPTIONS="${TSAN_OPTIONS:-suppressions=$supp/tsan.supp:halt_on_error=1:second_deadlock_stack=1}"
fi
cd "$build"
# Tests of the whole shared recordings run when the shared folder is beside the project.
if [ -z "${AIRPROX_SHARED_DATA:-}" ] && [ -d "$root/../shared/data" ]; then
  export AIRPROX_SHARED_DATA="$root/../shared/data"
fi
ctest --output-on-failure --parallel "$(nproc)" --timeout 300 "$@"
fuzz_seconds="${AIRPROX_FUZZ_SECONDS:-3}"
if [ "$fuzz_seconds" != 0 ] && [ -z "$sanitize" ]; then
  "$root/scripts/fuzz.sh" --seconds "$fuzz_seconds"
fi
