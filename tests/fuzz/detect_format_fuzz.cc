// DetectFormat over the input as a file, then, as `airprox replay` does without --format, the
// reader of the detected format through OpenRecording, read to the end with the checks of
// fuzz_support.h. A detected format must open: DetectFormat and the readers' own header checks
// may disagree only on the CSV header's required columns.
#include <cstdint>
#include <memory>

#include "server/formats/recording_factory.h"
#include "server/formats/recording_format.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace airprox;
  const std::string& path = fuzz::MemoryFile::Get().Set(data, size);
  RecordingFormat format{};
  const Status detected = DetectFormat(path, format);
  if (!detected.ok()) {
    if (detected.message().empty()) fuzz::Fail("DetectFormat: an error without a message");
    return 0;
  }
  std::optional<RecordingFormat> by_name;
  if (!ParseFormatName(FormatName(format), by_name).ok() || by_name != format) {
    fuzz::Fail("DetectFormat: a format whose name does not parse back");
  }
  std::unique_ptr<RecordingReader> reader;
  if (!OpenRecording(path, format, reader).ok()) return 0;
  const bool finite =
      format != RecordingFormat::kJsonLines && format != RecordingFormat::kAircraftJson;
  fuzz::ReadAll(*reader, FormatName(format), path, finite);
  return 0;
}
