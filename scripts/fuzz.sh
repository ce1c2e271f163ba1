#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz/ with clang, ASan and UBSan into build-fuzz/ (a build
# folder of its own: -DAIRPROX_FUZZ=ON) and runs each for a while, one after the other on one core.
#
#   scripts/fuzz.sh [--seconds N] [--max-len BYTES] [TARGET...] [-- LIBFUZZER_FLAG...]
#
# TARGET: sbs_merger, canonical_csv, ... (the tests/fuzz/*_fuzz.cc names, with or without _fuzz);
# all of them when none is named. --seconds: how long each target runs (default 60). --max-len:
# the largest input tried (default 8192 bytes). Flags after `--` go to every fuzzer as they are
# (e.g. -use_value_profile=1, -only_ascii=1, -seed=1).
#
# Each target starts from its seeds in tests/fuzz/corpus/TARGET/, copied into a scratch corpus,
# build-fuzz/fuzz/corpus/TARGET/, that keeps what the fuzzer finds from run to run (delete it to
# start over); the repository's corpus is never written. A finding (a crash, a sanitizer report, a
# broken invariant, a leak, an input that runs over 30 s or takes over 2 GB) is saved under
# build-fuzz/fuzz/artifacts/TARGET/; the script prints its path and the command that reproduces
# it, and exits 1 once every target has run. The last line counts the targets:
# "fuzz: N passed, N failed".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build-fuzz"

usage() {
  sed -n '4,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit "${1:-2}"
}

seconds=60
max_len=""
targets=()
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) [ $# -ge 2 ] || usage; seconds="$2"; shift 2 ;;
    --max-len) [ $# -ge 2 ] || usage; max_len="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) usage 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; usage ;;
    *) targets+=("${1%_fuzz}_fuzz"); shift ;;
  esac
done
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: --seconds wants a whole number >= 1" >&2; exit 2; }

all=()
for f in "$root"/tests/fuzz/*_fuzz.cc; do
  all+=("$(basename "$f" .cc)")
done
if [ ${#targets[@]} -eq 0 ]; then
  targets=("${all[@]}")
else
  for t in "${targets[@]}"; do
    [ -f "$root/tests/fuzz/$t.cc" ] || {
      echo "fuzz.sh: no target $t; there are: ${all[*]}" >&2
      exit 2
    }
  done
fi

# clang-14 and libclang-rt-14-dev (libFuzzer) are among setup.sh's test-only packages.
"$root/scripts/setup.sh" --test
if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DAIRPROX_FUZZ=ON -DAIRPROX_BUILD_TESTS=OFF >/dev/null
fi
echo "fuzz.sh: building ${targets[*]}" >&2
cmake --build "$build" --parallel "$(nproc)" --target "${targets[@]}" >"$build/fuzz-build.log" 2>&1 || {
  tail -n 50 "$build/fuzz-build.log" >&2
  echo "fuzz.sh: build failed (whole log: $build/fuzz-build.log)" >&2
  exit 1
}

# Leaks are findings too; UBSan reports with their stack. libFuzzer turns each into a crash.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

passed=0
failed=()
for t in "${targets[@]}"; do
  corpus="$build/fuzz/corpus/$t"
  artifacts="$build/fuzz/artifacts/$t"
  log="$build/fuzz/$t.log"
  mkdir -p "$corpus" "$artifacts"
  cp -n "$root/tests/fuzz/corpus/$t/"* "$corpus/" 2>/dev/null || true
  # Inputs up to max_len bytes: the seeds' sizes (the default config is 6.5 KB) with room to grow.
  len="${max_len:-8192}"
  # A dictionary of the format's words (tests/fuzz/dict/), which mutation alone finds slowly.
  dict=()
  case "$t" in
    sbs_merger_fuzz|sbs_reader_fuzz) dict=(-dict="$root/tests/fuzz/dict/sbs.dict") ;;
    *) [ ! -f "$root/tests/fuzz/dict/${t%_fuzz}.dict" ] || dict=(-dict="$root/tests/fuzz/dict/${t%_fuzz}.dict") ;;
  esac
  marker="$build/fuzz/.started-$t"
  touch "$marker"
  status=0
  "$build/tests/fuzz/$t" -max_total_time="$seconds" -max_len="$len" -rss_limit_mb=2048 \
    -timeout=30 -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" \
    "${extra[@]}" "$corpus" >"$log" 2>&1 || status=$?
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
  # libFuzzer also saves an input that ran over 10 s as slow-unit-*: noted, not a failure (an input
  # over -timeout is one).
  found="$(find "$artifacts" -type f -newer "$marker" ! -name 'slow-unit-*' | head -n 1)"
  slow="$(find "$artifacts" -type f -newer "$marker" -name 'slow-unit-*' | head -n 1)"
  rm -f "$marker"
  [ -z "$slow" ] || echo "fuzz: $t: note: an input took over 10 s: $slow"
  if [ "$status" -eq 0 ] && [ -z "$found" ]; then
    passed=$((passed + 1))
    echo "fuzz: $t: ${runs:-?} inputs in ${seconds}s, no finding (corpus: $(ls "$corpus" | wc -l) inputs)"
  else
    failed+=("$t")
    grep -E "ERROR|SUMMARY|invariant broken|runtime error|terminate called|what\(\)" "$log" | head -n 20 || true
    echo "fuzz: $t: FAILED (exit $status); whole log: $log"
    if [ -n "$found" ]; then
      echo "fuzz: $t: reproducer: $found"
      echo "fuzz: $t: reproduce with: $build/tests/fuzz/$t $found"
    fi
  fi
done
echo "fuzz: ${passed} passed, ${#failed[@]} failed"
[ ${#failed[@]} -eq 0 ]
