// An in-process airproxd on 127.0.0.1 port 0, with the embedded default config, for tests.
#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <thread>

#include "server/app/config.h"
#include "server/app/server.h"

namespace airprox::testing {

inline Config TestConfig() {
  Config c;
  EXPECT_TRUE(LoadConfig("", c).ok());
  c.listen = "127.0.0.1:0";
  c.http_listen = "127.0.0.1:0";
  c.storage.dir.clear();  // no journal unless a test gives one
  return c;
}

// `c` with one live feed: an SBS listener named "pushed" on a free port of 127.0.0.1.
inline Config WithPushedSbsFeed(Config c) {
  FeedOptions feed;
  feed.name = "pushed";
  feed.type = FeedType::kSbsListener;
  feed.address = "127.0.0.1:0";
  c.feeds = {feed};
  return c;
}

inline std::unique_ptr<AirproxServer> StartServer(Config c = TestConfig()) {
  auto server = std::make_unique<AirproxServer>(std::move(c));
  const Status st = server->Start();
  EXPECT_TRUE(st.ok()) << st.message();
  EXPECT_GT(server->port(), 0);
  return server;
}

inline std::shared_ptr<grpc::Channel> Dial(const AirproxServer& s) {
  return grpc::CreateChannel(s.address(), grpc::InsecureChannelCredentials());
}

// Waits (up to 10 s) until `n` subscribers are registered.
inline bool WaitForSubscribers(const AirproxServer& s, std::size_t n) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (s.hub().subscribers() < n) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

// Runs f(const Detector&) on the server's detection thread, between batches, and returns its result.
template <typename F>
auto OnDetector(AirproxServer& s, F f) {
  using R = decltype(f(std::declval<const Detector&>()));
  auto result = std::make_shared<std::promise<R>>();
  auto future = result->get_future();
  const Status st = s.detection().SubmitQuery([f, result](const Detector& d) { result->set_value(f(d)); });
  EXPECT_TRUE(st.ok()) << st.message();
  return future.get();
}

}  // namespace airprox::testing
