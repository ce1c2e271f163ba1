#include "server/app/log_setup.h"

#include <fmt/format.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/dist_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <mutex>
#include <set>

#include "server/app/encounter_log.h"
#include "server/app/grpc_log_bridge.h"
#include "server/app/json_log_formatter.h"

namespace airprox {
namespace {

constexpr const char* kTextPattern = "%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%n] %v";

struct LogState {
  std::mutex mu;  // serializes SetUpLogging, ReopenLogFiles and ComponentLogger
  LogOptions options;
  std::shared_ptr<spdlog::sinks::sink> console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  std::shared_ptr<spdlog::sinks::dist_sink_mt> fanout = [this] {
    console->set_pattern(kTextPattern);
    return std::make_shared<spdlog::sinks::dist_sink_mt>(std::vector<spdlog::sink_ptr>{console});
  }();
};

// Never destroyed: threads may still log while static objects are destroyed at exit.
LogState& State() {
  static auto* state = new LogState;
  return *state;
}

Status MakeFileSink(const LogOptions& options, spdlog::sink_ptr& out) {
  try {
    if (options.max_files == 0) {
      out = std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file);
    } else {
      out = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(options.file, options.max_file_bytes,
                                                                   options.max_files);
    }
  } catch (const spdlog::spdlog_ex& e) {
    return {StatusCode::kUnavailable, "log_file", fmt::format("log.file: {}", e.what())};
  }
  out->set_formatter(MakeLogFormatter(options));
  return Status::Ok();
}

// Under State().mu.
std::shared_ptr<spdlog::logger> GetOrCreate(LogState& s, const std::string& name) {
  auto logger = spdlog::get(name);
  const bool ours = logger && logger->sinks().size() == 1 && logger->sinks()[0] == s.fanout;
  if (!ours) {
    // Absent, or registered by someone else with other sinks: ours replaces it in the registry.
    if (logger) spdlog::drop(name);
    logger = std::make_shared<spdlog::logger>(name, s.fanout);
    logger->set_level(spdlog::level::from_str(ComponentLevel(s.options, name)));
    logger->flush_on(spdlog::level::trace);
    spdlog::register_logger(logger);
  }
  return logger;
}

}  // namespace

std::unique_ptr<spdlog::formatter> MakeLogFormatter(const LogOptions& options) {
  if (options.format == LogFormat::kJson) {
    std::set<std::string, std::less<>> string_keys;
    for (std::string_view key : kEncounterLogStringKeys) string_keys.emplace(key);
    return std::make_unique<JsonLogFormatter>(std::move(string_keys));
  }
  return std::make_unique<spdlog::pattern_formatter>(kTextPattern);
}

Status SetUpLogging(const LogOptions& options) {
  if (Status st = ValidateLogOptions(options); !st.ok()) return st;
  LogState& s = State();
  std::lock_guard lock(s.mu);
  std::vector<spdlog::sink_ptr> sinks{s.console};
  if (!options.file.empty()) {
    spdlog::sink_ptr file;
    if (Status st = MakeFileSink(options, file); !st.ok()) return st;
    sinks.push_back(file);
  }
  s.options = options;
  s.console->set_formatter(MakeLogFormatter(options));
  s.fanout->set_sinks(std::move(sinks));
  for (std::string_view component : kLogComponents) {
    auto logger = GetOrCreate(s, std::string(component));
    logger->set_level(spdlog::level::from_str(ComponentLevel(options, component)));
  }
  spdlog::set_default_logger(spdlog::get("airproxd"));
  RouteGrpcLogs("grpc", spdlog::level::from_str(ComponentLevel(options, "grpc")));
  return Status::Ok();
}

Status ReopenLogFiles() {
  LogState& s = State();
  std::lock_guard lock(s.mu);
  if (s.options.file.empty()) return Status::Ok();
  spdlog::sink_ptr file;
  if (Status st = MakeFileSink(s.options, file); !st.ok()) return st;
  s.fanout->set_sinks({s.console, file});  // the old file sink is closed as its last owner goes
  return Status::Ok();
}

std::shared_ptr<spdlog::logger> ComponentLogger(const std::string& name) {
  LogState& s = State();
  std::lock_guard lock(s.mu);
  return GetOrCreate(s, name);
}

}  // namespace airprox
