// SbsReader over the input as a file (plain, or gzip when it starts like one): every record holds
// CheckRecord, every bad line is located, line numbers never go back.
#include <cstdint>
#include <memory>

#include "server/formats/sbs_reader.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace airprox;
  const std::string& path = fuzz::MemoryFile::Get().Set(data, size);
  std::unique_ptr<SbsReader> reader;
  if (!SbsReader::Open(path, reader).ok()) return 0;
  fuzz::ReadAll(*reader, "SbsReader", path);
  return 0;
}
