#include "server/formats/json_lines.h"

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include "airprox/v1/airprox.pb.h"
#include "server/formats/csv_columns.h"
#include "server/service/proto_convert.h"

namespace airprox {

JsonLinesReader::JsonLinesReader(std::unique_ptr<LineReader> lines)
    : lines_(std::move(lines)), message_(std::make_unique<v1::Position>()) {}

JsonLinesReader::~JsonLinesReader() = default;

Status JsonLinesReader::Open(const std::string& path, std::unique_ptr<JsonLinesReader>& out) {
  std::unique_ptr<LineReader> lines;
  if (Status st = LineReader::Open(path, lines); !st.ok()) return st;
  lines->set_max_line_bytes(kMaxJsonLineBytes);
  out.reset(new JsonLinesReader(std::move(lines)));
  return Status::Ok();
}

RecordingReader::Next JsonLinesReader::Read(Position& p, Status& error) {
  while (lines_->Next(line_)) {
    if (TrimBlanks(line_).empty()) continue;
    if (Status st = ParseLine(p); !st.ok()) {
      error = lines_->Located(st);
      return Next::kBadLine;
    }
    return Next::kRecord;
  }
  error = lines_->error();
  return Next::kEnd;
}

Status JsonLinesReader::ParseLine(Position& p) {
  if (line_.size() > kMaxJsonLineBytes) {
    return InvalidArgument("format", fmt::format("line is longer than {} bytes", kMaxJsonLineBytes));
  }
  message_->Clear();
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto st = google::protobuf::util::JsonStringToMessage(line_, message_.get(), options);
  if (!st.ok()) {
    return InvalidArgument("format", fmt::format("not an airprox.v1.Position in JSON: {}",
                                                 std::string(st.message())));
  }
  if (message_->track_id().empty()) return InvalidArgument("format", "trackId is missing");
  if (!message_->has_time()) return InvalidArgument("format", "time is missing");
  p = FromProto(*message_);
  return Status::Ok();
}

}  // namespace airprox
