// Dialing the server: one channel per command, with a clear one-line error when unreachable.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

namespace airprox::cli {

inline constexpr const char* kDefaultServer = "127.0.0.1:50051";

struct Endpoint {
  std::string address = kDefaultServer;  // HOST:PORT
  double connect_timeout_s = 5.0;
};

// A connected channel, or nullptr with `error` set ("cannot reach airproxd at HOST:PORT ...").
std::shared_ptr<grpc::Channel> Connect(const Endpoint& server, std::string& error);

}  // namespace airprox::cli
