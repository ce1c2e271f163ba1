#include "client/connection.h"

#include <chrono>

namespace airprox::cli {

std::shared_ptr<grpc::Channel> Connect(const std::string& server, std::string& error,
                                       double timeout_s) {
  auto channel = grpc::CreateChannel(server, grpc::InsecureChannelCredentials());
  const auto deadline = std::chrono::system_clock::now() +
                        std::chrono::milliseconds(static_cast<long>(timeout_s * 1000));
  if (!channel->WaitForConnected(deadline)) {
    error = "cannot reach airproxd at " + server + " (is it running? start it with ./scripts/run.sh)";
    return nullptr;
  }
  return channel;
}

}  // namespace airprox::cli
