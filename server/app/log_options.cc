#include "server/app/log_options.h"

#include <fmt/format.h>

namespace airprox {
namespace {

constexpr std::string_view kLevels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};

std::string LevelError(const std::string& key, const std::string& level) {
  return fmt::format("{}: '{}' is not one of trace, debug, info, warn, error, critical, off", key, level);
}

}  // namespace

bool IsLogLevelName(std::string_view level) {
  for (std::string_view l : kLevels) {
    if (l == level) return true;
  }
  return false;
}

bool IsLogComponent(std::string_view name) {
  for (std::string_view c : kLogComponents) {
    if (c == name) return true;
  }
  return false;
}

std::string_view LogFormatName(LogFormat format) { return format == LogFormat::kJson ? "json" : "text"; }

const std::string& ComponentLevel(const LogOptions& options, std::string_view component) {
  const auto it = options.levels.find(std::string(component));
  return it != options.levels.end() ? it->second : options.level;
}

Status ValidateLogOptions(const LogOptions& options) {
  if (!IsLogLevelName(options.level)) return InvalidArgument("config", LevelError("log.level", options.level));
  for (const auto& [component, level] : options.levels) {
    if (!IsLogComponent(component)) {
      return InvalidArgument("config", fmt::format("log.levels.{}: unknown component (known: {})", component,
                                                   fmt::join(kLogComponents, ", ")));
    }
    if (!IsLogLevelName(level)) return InvalidArgument("config", LevelError("log.levels." + component, level));
  }
  return Status::Ok();
}

}  // namespace airprox
