#include "server/app/json_log_formatter.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <chrono>
#include <ctime>
#include <string_view>

namespace airprox {
namespace {

bool IsKey(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// -?(0|[1-9][0-9]*)(\.[0-9]+)?
bool IsDecimal(std::string_view v) {
  std::size_t i = 0;
  if (i < v.size() && v[i] == '-') ++i;
  const std::size_t int_start = i;
  while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
  const std::size_t int_digits = i - int_start;
  if (int_digits == 0 || (int_digits > 1 && v[int_start] == '0')) return false;
  if (i == v.size()) return true;
  if (v[i] != '.') return false;
  const std::size_t frac_start = ++i;
  while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
  return i > frac_start && i == v.size();
}

nlohmann::ordered_json Value(std::string_view v) {
  if (IsDecimal(v)) {
    if (v.find('.') == std::string_view::npos) {
      std::int64_t n = 0;
      if (std::from_chars(v.data(), v.data() + v.size(), n).ec == std::errc()) return n;
      std::uint64_t u = 0;
      if (std::from_chars(v.data(), v.data() + v.size(), u).ec == std::errc()) return u;
    }
    double d = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
    if (ec == std::errc() && end == v.data() + v.size()) return d;
  }
  return std::string(v);
}

std::string UtcTimestamp(std::chrono::system_clock::time_point t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t s = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  std::tm tm{};
  gmtime_r(&s, &tm);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", tm, ms - static_cast<std::int64_t>(s) * 1000);
}

}  // namespace

void JsonLogFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  const std::string_view text(msg.payload.data(), msg.payload.size());
  nlohmann::ordered_json line;
  line["ts"] = UtcTimestamp(msg.time);
  const auto level = spdlog::level::to_string_view(msg.level);
  line["level"] = std::string(level.data(), level.size());
  line["logger"] = std::string(msg.logger_name.data(), msg.logger_name.size());
  line["msg"] = std::string(text);
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view token = text.substr(pos, end - pos);
    pos = end + 1;
    const std::size_t eq = token.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string key(token.substr(0, eq));
    if (!IsKey(key) || line.contains(key)) continue;
    const std::string_view value = token.substr(eq + 1);
    line[key] = string_keys_.count(key) != 0 ? nlohmann::ordered_json(std::string(value)) : Value(value);
  }
  const std::string out = line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  dest.append(out.data(), out.data() + out.size());
  dest.push_back('\n');
}

std::unique_ptr<spdlog::formatter> JsonLogFormatter::clone() const {
  return std::make_unique<JsonLogFormatter>(string_keys_);
}

}  // namespace airprox
