// JsonLinesReader over the input as a file: every record has a track id (its numbers are
// protobuf's JSON mapping, which allows "NaN" and "Infinity": the format leaves their checks to
// the core), every bad line is located, line numbers never go back.
#include <cstdint>

#include "server/formats/json_lines.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return airprox::fuzz::FuzzReader<airprox::JsonLinesReader>(data, size, "JsonLinesReader",
                                                             /*check_finite=*/false);
}
