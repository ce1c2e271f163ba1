// log.format: json. One JSON object per line:
//   {"ts":"2026-11-29T04:04:27.145Z","level":"info","logger":"encounter","msg":"encounter event=...",
//    "event":"STARTED","seq":1,"h_nm":1.764,...}
// ts is UTC with milliseconds; level and logger as in text lines. Every `key=value` token of the
// message (space-separated, key of letters, digits, '_' and '.') also becomes a field of its own:
// a decimal number (-12, 0.5; no exponent, no leading zeros) as a JSON number, anything else as a
// string. Keys named in `string_keys` (ids, callsigns: "400123" is an ICAO address, not a number)
// are always strings, so that a field keeps one JSON type on every line. A token whose key is
// ts, level, logger or msg, or repeats an earlier key, stays in msg only. nlohmann::json builds
// and escapes the object; invalid UTF-8 is replaced, never an error.
#pragma once

#include <memory>
#include <set>
#include <string>

#include <spdlog/formatter.h>

namespace airprox {

class JsonLogFormatter final : public spdlog::formatter {
 public:
  explicit JsonLogFormatter(std::set<std::string, std::less<>> string_keys = {})
      : string_keys_(std::move(string_keys)) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;

 private:
  std::set<std::string, std::less<>> string_keys_;
};

}  // namespace airprox
