// Holds a DetectionLoop's thread busy until released (or destroyed), so that its queue fills: for
// tests of what happens when detection falls behind.
#pragma once

#include <gtest/gtest.h>

#include <future>

#include "server/pipeline/detection_loop.h"

namespace airprox::testing {

class BusyDetection {
 public:
  explicit BusyDetection(DetectionLoop& loop) : released_(release_.get_future().share()) {
    std::promise<void> busy;
    auto started = busy.get_future();
    auto released = released_;
    EXPECT_TRUE(loop.SubmitQuery([&busy, released](const Detector&) {
                      busy.set_value();
                      released.wait();
                    }).ok());
    started.wait();
  }
  ~BusyDetection() { Release(); }
  void Release() {
    if (!done_) release_.set_value();
    done_ = true;
  }

 private:
  std::promise<void> release_;
  std::shared_future<void> released_;
  bool done_ = false;
};

}  // namespace airprox::testing
