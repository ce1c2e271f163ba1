#include "client/connection.h"

#include <chrono>

namespace airprox::cli {

std::shared_ptr<grpc::Channel> Connect(const Endpoint& server, std::string& error) {
  auto channel = grpc::CreateChannel(server.address, grpc::InsecureChannelCredentials());
  const auto deadline = std::chrono::system_clock::now() +
                        std::chrono::milliseconds(static_cast<long>(server.connect_timeout_s * 1000));
  if (!channel->WaitForConnected(deadline)) {
    error = "cannot reach airproxd at " + server.address +
            " (is it running? start it with ./scripts/run.sh)";
    return nullptr;
  }
  return channel;
}

}  // namespace airprox::cli
