// gRPC's own messages (gpr_log) into a named spdlog logger, so that they share the console and file
// sinks, the format and a level (log.levels.grpc) with airproxd's lines.
#pragma once

#include <string>

#include <spdlog/common.h>

namespace airprox {

// From now on gRPC's messages go to the logger `name` (when registered; dropped otherwise): gRPC
// ERROR at error, INFO at debug (gRPC says "info" of start-up chatter such as its epoll fd), DEBUG
// at trace. gRPC is told to produce what `level` shows; this replaces its GRPC_VERBOSITY variable.
void RouteGrpcLogs(const std::string& name, spdlog::level::level_enum level);

// Back to gRPC's own stderr output. Also done at exit (std::atexit), before static objects go.
void StopRoutingGrpcLogs();

}  // namespace airprox
