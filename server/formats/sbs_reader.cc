#include "server/formats/sbs_reader.h"

namespace airprox {

Status SbsReader::Open(const std::string& path, std::unique_ptr<SbsReader>& out,
                       SbsMergerOptions options) {
  std::unique_ptr<LineReader> lines;
  if (Status st = LineReader::Open(path, lines); !st.ok()) return st;
  lines->set_max_line_bytes(kMaxSbsLineBytes);  // the merger rejects the longer ones
  out.reset(new SbsReader(std::move(lines), options));
  return Status::Ok();
}

RecordingReader::Next SbsReader::Read(Position& p, Status& error) {
  while (lines_->Next(line_)) {
    if (Status st = merger_.Feed(line_, position_); !st.ok()) {
      error = lines_->Located(st);
      return Next::kBadLine;
    }
    if (position_) {
      p = std::move(*position_);
      return Next::kRecord;
    }
  }
  error = lines_->error();
  return Next::kEnd;
}

}  // namespace airprox
