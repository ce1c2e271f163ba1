// Splits a byte stream from a socket into lines, with a bound on line length: the partial line
// carried between reads never grows past max_line_bytes (the rest of an over-long line is skipped
// up to its end and reported once).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace airprox {

class LineSplitter {
 public:
  explicit LineSplitter(std::size_t max_line_bytes) : max_line_bytes_(max_line_bytes) {}

  // Calls on_line(std::string_view) for every complete line in `data` (without its \n; a \r before
  // it is kept for the parser to strip), and on_too_long() once for each line longer than
  // max_line_bytes, which is dropped.
  template <typename OnLine, typename OnTooLong>
  void Feed(std::string_view data, OnLine&& on_line, OnTooLong&& on_too_long) {
    while (!data.empty()) {
      const std::size_t nl = data.find('\n');
      const std::string_view piece = data.substr(0, nl);
      if (!skipping_) {
        if (partial_.size() + piece.size() > max_line_bytes_) {
          skipping_ = true;
          partial_.clear();
          on_too_long();
        } else if (nl != std::string_view::npos && partial_.empty()) {
          on_line(piece);  // the common case: a whole line inside one read, no copy
        } else {
          partial_.append(piece);
          if (nl != std::string_view::npos) {
            on_line(std::string_view(partial_));
            partial_.clear();
          }
        }
      }
      if (nl == std::string_view::npos) return;
      skipping_ = false;
      data.remove_prefix(nl + 1);
    }
  }

  // Bytes of an unfinished line held since the last read.
  std::size_t pending_bytes() const { return partial_.size(); }

 private:
  std::size_t max_line_bytes_;
  std::string partial_;
  bool skipping_ = false;
};

}  // namespace airprox
