// Reads a text file line by line, plain or gzip-compressed (detected from the content, not the
// name), counting line numbers for error messages.
#pragma once

#include <zlib.h>

#include <limits>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "server/core/status.h"

namespace airprox {

class LineReader {
 public:
  static Status Open(const std::string& path, std::unique_ptr<LineReader>& out);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line without its line ending; false at the end of the file or on a read error
  // (then error() is not OK). Every byte but '\n' belongs to its line, NUL included.
  bool Next(std::string& line);
  std::size_t line_number() const { return line_number_; }
  // How far through the file reading is, 0..1, by bytes of the file as stored (compressed or not);
  // for progress display only. -1 when the size is unknown (a pipe).
  double fraction_read() const;
  // Bounds the memory a line can take: a line longer than max_bytes comes back as its first
  // max_bytes + 1 bytes (the rest is read and dropped), so that the caller's own length check
  // still sees it as too long. Unbounded unless set.
  void set_max_line_bytes(std::size_t max_bytes) { max_line_bytes_ = max_bytes; }
  // problem, its message prefixed with "FILE:LINE: " for the current line or the given one (same
  // code and reason).
  Status Located(const Status& problem) const { return Located(problem, line_number_); }
  Status Located(const Status& problem, std::size_t line) const;
  const std::string& path() const { return path_; }
  const Status& error() const { return error_; }

 private:
  LineReader(std::string path, gzFile file, std::int64_t size_bytes)
      : path_(std::move(path)), file_(file), size_bytes_(size_bytes), buffer_(1 << 16) {}
  // Reads the next block of the (decompressed) file into buffer_; false at the end or on an error.
  bool Fill();

  std::string path_;
  gzFile file_;
  std::int64_t size_bytes_;  // -1: unknown
  std::vector<char> buffer_;
  std::size_t begin_ = 0, end_ = 0;  // the part of buffer_ not yet returned
  std::size_t line_number_ = 0;
  std::size_t max_line_bytes_ = std::numeric_limits<std::size_t>::max() - 1;
  Status error_;
};

}  // namespace airprox
