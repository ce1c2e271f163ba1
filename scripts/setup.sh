#!/usr/bin/env bash
# Installs every Debian 12 package airprox needs to build and run; with --test, also what only the
# test suite needs (Python's gRPC for the Python subscriber test, Node.js and npm for the reflection
# test, promtool (package prometheus) and curl for the metrics test, openssl for the TLS tests'
# certificates, chromium for the live map's browser test, clang-14 and libFuzzer for the fuzz
# targets; node and npm are left alone when already on PATH, e.g. from another source).
# Idempotent: when everything is present it prints nothing and does not touch apt.
set -euo pipefail

with_tests=0
for arg in "$@"; do
  case "$arg" in
    --test) with_tests=1 ;;
    *) echo "usage: setup.sh [--test]" >&2; exit 2 ;;
  esac
done

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libasio-dev libwebsocketpp-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libyaml-cpp-dev libcli11-dev libgeographiclib-dev zlib1g-dev libcurl4-openssl-dev nlohmann-json3-dev
  libjs-leaflet  # the live map's Leaflet, embedded in airproxd at build time
  libssl-dev
)
if [ "$with_tests" -eq 1 ]; then
  PACKAGES+=(python3 python3-grpcio python3-protobuf prometheus curl openssl)  # openssl: test certificates
  PACKAGES+=(chromium)  # the live map's browser test (tests/scripts/map_browser_test.sh)
  PACKAGES+=(clang-14 libclang-rt-14-dev)  # the fuzz targets (scripts/fuzz.sh): clang, libFuzzer
  PACKAGES+=(valgrind)  # callgrind.h for tests/bench/detector_instructions, and callgrind to run it
  command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
  command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup.sh: need root or sudo to install: ${missing[*]}" >&2; exit 1
  fi
fi
echo "setup.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
