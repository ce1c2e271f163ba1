// Calls a feed's flush every kFeedFlushMs on its io_context, so that positions never wait in a
// batch for more than that when lines arrive slowly.
#pragma once

#include <asio.hpp>

#include <functional>
#include <memory>

namespace airprox {

class PeriodicFlush {
 public:
  PeriodicFlush(asio::io_context& io, std::function<void()> flush)
      : state_(std::make_shared<State>(io, std::move(flush))) {}
  // On the io_context's thread.
  void Start() { Schedule(state_); }
  void Stop() {
    state_->stopped = true;
    state_->timer.cancel();
  }

 private:
  struct State {
    State(asio::io_context& io, std::function<void()> f) : timer(io), flush(std::move(f)) {}
    asio::steady_timer timer;
    std::function<void()> flush;
    bool stopped = false;
  };
  static void Schedule(const std::shared_ptr<State>& s);
  std::shared_ptr<State> state_;
};

}  // namespace airprox
