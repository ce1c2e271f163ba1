// LineReader, which every file reader reads through, against a model of what it promises for a
// plain file: the lines between '\n's (a last line without one too), without their trailing '\r's,
// numbered from 1, and, with set_max_line_bytes(n), a longer line cut to its first n + 1 bytes.
// Input that starts like gzip is only read (zlib decodes it), not compared.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "server/formats/line_reader.h"
#include "tests/fuzz/fuzz_support.h"

namespace airprox::fuzz {
namespace {

std::vector<std::string> ModelLines(std::string_view all, std::size_t max_bytes) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < all.size()) {
    std::size_t end = all.find('\n', start);
    end = end == std::string_view::npos ? all.size() : end + 1;  // with its '\n'
    std::string line(all.substr(start, std::min(end - start, max_bytes + 1)));
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    lines.push_back(std::move(line));
    start = end;
  }
  return lines;
}

void Compare(const std::string& path, std::string_view all, std::size_t max_bytes, bool bounded) {
  std::unique_ptr<LineReader> reader;
  if (!LineReader::Open(path, reader).ok()) Fail("LineReader: cannot open the input");
  if (bounded) reader->set_max_line_bytes(max_bytes);
  const std::vector<std::string> expected = ModelLines(all, max_bytes);
  std::string line;
  std::size_t n = 0;
  while (reader->Next(line)) {
    if (n >= expected.size()) Fail("LineReader: more lines than the input has");
    if (line != expected[n]) Fail("LineReader: line " + std::to_string(n + 1) + " differs");
    if (reader->line_number() != ++n) Fail("LineReader: wrong line number");
  }
  if (!reader->error().ok()) Fail("LineReader: a read error on a plain file");
  if (n != expected.size()) Fail("LineReader: fewer lines than the input has");
}

}  // namespace
}  // namespace airprox::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace airprox;
  const std::string& path = fuzz::MemoryFile::Get().Set(data, size);
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  if (size > 0 && data[0] == 0x1f) {  // gzip, or a prefix of its magic: zlib decides
    std::unique_ptr<LineReader> reader;
    if (!LineReader::Open(path, reader).ok()) fuzz::Fail("LineReader: cannot open the input");
    std::string line;
    while (reader->Next(line)) (void)reader->fraction_read();
    return 0;
  }
  fuzz::Compare(path, all, std::string::npos - 1, /*bounded=*/false);
  fuzz::Compare(path, all, 16, /*bounded=*/true);
  return 0;
}
