#include "server/formats/line_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace airprox {

Status LineReader::Open(const std::string& path, std::unique_ptr<LineReader>& out) {
  errno = 0;
  gzFile f = gzopen(path.c_str(), "rb");  // reads plain files transparently too
  if (f == nullptr) {
    return InvalidArgument("open", path + ": cannot open: " +
                                       (errno != 0 ? std::strerror(errno) : "out of memory"));
  }
  gzbuffer(f, 1 << 17);
  std::error_code ec;
  const auto size = std::filesystem::is_regular_file(path, ec) ? std::filesystem::file_size(path, ec) : 0;
  out.reset(new LineReader(path, f, ec || size == 0 ? -1 : static_cast<std::int64_t>(size)));
  return Status::Ok();
}

LineReader::~LineReader() { gzclose(file_); }

double LineReader::fraction_read() const {
  if (size_bytes_ <= 0) return -1;
  const auto at = gzoffset(file_);
  return at < 0 ? -1 : std::min(1.0, static_cast<double>(at) / static_cast<double>(size_bytes_));
}

bool LineReader::Fill() {
  const int n = gzread(file_, buffer_.data(), static_cast<unsigned>(buffer_.size()));
  if (n <= 0) return false;
  begin_ = 0;
  end_ = static_cast<std::size_t>(n);
  return true;
}

bool LineReader::Next(std::string& line) {
  line.clear();
  bool got_any = false;
  // Up to and including the next '\n', from as many blocks as the line spans. (Not gzgets: it
  // says how much it read only through a NUL terminator, so a NUL byte in a line cut the line
  // there and, when it hid the '\n', joined it to the next one.)
  while (begin_ < end_ || Fill()) {
    got_any = true;
    const char* start = buffer_.data() + begin_;
    const std::size_t available = end_ - begin_;
    const void* newline = std::memchr(start, '\n', available);
    const std::size_t n =
        newline != nullptr ? static_cast<std::size_t>(static_cast<const char*>(newline) - start) + 1
                           : available;
    const std::size_t room = line.size() > max_line_bytes_ ? 0 : max_line_bytes_ + 1 - line.size();
    line.append(start, std::min(n, room));
    begin_ += n;
    if (newline != nullptr) break;
  }
  if (!got_any) {
    int err = 0;
    const char* msg = gzerror(file_, &err);
    if (err != Z_OK && err != Z_BUF_ERROR) {
      error_ = InvalidArgument("read", path_ + ": read error after line " +
                                           std::to_string(line_number_) + ": " + msg);
    }
    return false;
  }
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  ++line_number_;
  return true;
}

Status LineReader::Located(const Status& problem, std::size_t line) const {
  return {problem.code(), problem.reason(), fmt::format("{}:{}: {}", path_, line, problem.message())};
}

}  // namespace airprox
