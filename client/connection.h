// Dialing the server: one channel per command, with a clear one-line error when unreachable.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

namespace airprox::cli {

inline constexpr const char* kDefaultServer = "127.0.0.1:50051";

// A connected channel, or nullptr with `error` set ("cannot reach airproxd at HOST:PORT ...").
std::shared_ptr<grpc::Channel> Connect(const std::string& server, std::string& error,
                                       double timeout_s = 5.0);

}  // namespace airprox::cli
