#include "server/app/grpc_log_bridge.h"

#include <grpc/support/log.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <mutex>

namespace airprox {
namespace {

std::mutex& NameMutex() {
  static auto* mu = new std::mutex;
  return *mu;
}

std::string& LoggerName() {
  static auto* name = new std::string;
  return *name;
}

void Forward(gpr_log_func_args* args) {
  std::string name;
  {
    std::lock_guard lock(NameMutex());
    name = LoggerName();
  }
  const auto logger = spdlog::get(name);
  if (!logger) return;
  const spdlog::level::level_enum level = args->severity == GPR_LOG_SEVERITY_ERROR  ? spdlog::level::err
                                          : args->severity == GPR_LOG_SEVERITY_INFO ? spdlog::level::debug
                                                                                    : spdlog::level::trace;
  logger->log(level, "{}:{}: {}", args->file != nullptr ? args->file : "?", args->line,
              args->message != nullptr ? args->message : "");
}

}  // namespace

void RouteGrpcLogs(const std::string& name, spdlog::level::level_enum level) {
  {
    std::lock_guard lock(NameMutex());
    LoggerName() = name;
  }
  gpr_set_log_verbosity(level <= spdlog::level::trace   ? GPR_LOG_SEVERITY_DEBUG
                        : level <= spdlog::level::debug ? GPR_LOG_SEVERITY_INFO
                                                        : GPR_LOG_SEVERITY_ERROR);
  gpr_set_log_function(&Forward);
  // gRPC may log while static objects are destroyed at exit, spdlog's registry among them: hand
  // its messages back to its own output first. The registry exists by now (SetUpLogging made it),
  // so this handler runs before it is destroyed.
  static const bool registered = [] { return std::atexit(&StopRoutingGrpcLogs) == 0; }();
  (void)registered;
}

void StopRoutingGrpcLogs() { gpr_set_log_function(nullptr); }

}  // namespace airprox
