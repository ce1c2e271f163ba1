// The `log:` section of the config: levels per component, console and file sinks, the format of
// a line, and the periodic stats line. Read by config.cc, applied by log_setup.h.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "server/core/status.h"

namespace airprox {

enum class LogFormat { kText, kJson };

// The named loggers ("components") of airproxd; `log.levels` sets a level per name.
//   airproxd   everything else (the default logger)
//   encounter  one line per encounter event (encounter_log.h)
//   feeds      live feeds: connections, fetch errors, malformed lines
//   stats      the periodic stats line (stats_reporter.h)
//   grpc       gRPC's own messages
inline constexpr std::string_view kLogComponents[] = {"airproxd", "encounter", "feeds", "stats", "grpc"};

struct LogOptions {
  std::string level = "info";  // every component without an entry in `levels`
  std::map<std::string, std::string> levels;  // component -> level
  std::string file;  // "" = console (stderr) only
  std::uint64_t max_file_bytes = 100ull << 20;  // the file is rotated past this size
  std::size_t max_files = 5;  // rotated files kept (FILE.1.ext ...); 0: never rotated here
  LogFormat format = LogFormat::kText;
  double stats_interval_s = 60;  // 0: no stats line
};

bool IsLogLevelName(std::string_view level);
bool IsLogComponent(std::string_view name);
std::string_view LogFormatName(LogFormat format);

// The level of `component`: its `levels` entry, else `level`.
const std::string& ComponentLevel(const LogOptions& options, std::string_view component);

// Checks what a flag may have set or the YAML reader cannot (level names, component names).
// Errors name the key: "log.level: 'loud' is not one of trace, debug, ...".
Status ValidateLogOptions(const LogOptions& options);

}  // namespace airprox
