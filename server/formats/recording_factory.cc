#include "server/formats/recording_factory.h"

#include "server/formats/aircraft_json.h"
#include "server/formats/canonical_csv.h"
#include "server/formats/json_lines.h"
#include "server/formats/opensky_csv.h"
#include "server/formats/sbs_reader.h"

namespace airprox {
namespace {

template <typename Reader>
Status Open(const std::string& path, std::unique_ptr<RecordingReader>& out) {
  std::unique_ptr<Reader> reader;
  if (Status st = Reader::Open(path, reader); !st.ok()) return st;
  out = std::move(reader);
  return Status::Ok();
}

}  // namespace

Status OpenRecording(const std::string& path, RecordingFormat format,
                     std::unique_ptr<RecordingReader>& out) {
  switch (format) {
    case RecordingFormat::kCanonicalCsv: return Open<CanonicalCsvReader>(path, out);
    case RecordingFormat::kOpenSkyCsv: return Open<OpenSkyCsvReader>(path, out);
    case RecordingFormat::kSbs: return Open<SbsReader>(path, out);
    case RecordingFormat::kJsonLines: return Open<JsonLinesReader>(path, out);
    case RecordingFormat::kAircraftJson: return Open<AircraftJsonReader>(path, out);
  }
  return InvalidArgument("format", path + ": unknown recording format");
}

Status OpenRecording(const std::string& path, std::unique_ptr<RecordingReader>& out) {
  RecordingFormat format{};
  if (Status st = DetectFormat(path, format); !st.ok()) return st;
  return OpenRecording(path, format, out);
}

}  // namespace airprox
