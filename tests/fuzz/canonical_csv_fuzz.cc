// CanonicalCsvReader over the input as a file (plain, or gzip when it starts like one): every
// record holds CheckRecord, every bad line is located, line numbers never go back.
#include <cstdint>

#include "server/formats/canonical_csv.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return airprox::fuzz::FuzzReader<airprox::CanonicalCsvReader>(data, size, "CanonicalCsvReader");
}
