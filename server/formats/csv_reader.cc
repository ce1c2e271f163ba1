#include "server/formats/csv_reader.h"

#include <fmt/format.h>

namespace airprox {

Status CsvReader::OpenFile(const std::string& path, std::initializer_list<int> required,
                           std::string_view format, std::string_view expected) {
  if (Status st = LineReader::Open(path, lines_); !st.ok()) return st;
  std::string header;
  if (!lines_->Next(header)) {
    return InvalidArgument("format", fmt::format("{}:1: empty file, expected a {} header", path, format));
  }
  columns_.ReadHeader(header);
  for (int c : required) {
    if (!columns_.has(c)) {
      return InvalidArgument("format", fmt::format("{}:1: header has no '{}' column; expected {}",
                                                   path, columns_.name(c), expected));
    }
  }
  return Status::Ok();
}

RecordingReader::Next CsvReader::Read(Position& p, Status& error) {
  while (lines_->Next(line_)) {
    if (TrimBlanks(line_).empty()) continue;
    Row row = Row::kPosition;
    Status st = columns_.Split(line_);
    if (st.ok()) st = ParseRow(p, row);
    if (!st.ok()) {
      error = lines_->Located(st);
      return Next::kBadLine;
    }
    if (row == Row::kPosition) return Next::kRecord;
    ++skipped_;
  }
  error = lines_->error();
  return Next::kEnd;
}

}  // namespace airprox
