// AircraftJsonReader over the input as a file: one or many snapshots, whole or broken. Every
// record has a track id (JSON numbers beyond a double's range read as infinities, which the core
// refuses), every bad line is located, line numbers never go back.
#include <cstdint>

#include "server/formats/aircraft_json.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return airprox::fuzz::FuzzReader<airprox::AircraftJsonReader>(data, size, "AircraftJsonReader",
                                                                /*check_finite=*/false);
}
