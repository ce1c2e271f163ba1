// The rate cap of one live-map client: at most max_per_s track updates per second. The caller
// passes a monotonic time, so that the cap is tested without sleeping.
#pragma once

namespace airprox {

class UpdatePacer {
 public:
  // max_per_s > 0.
  explicit UpdatePacer(double max_per_s) : interval_s_(1.0 / max_per_s) {}

  // True (and the time is taken) when at least 1/max_per_s seconds have passed since the last
  // update taken, or none was; false otherwise.
  bool TryTake(double now_s) {
    if (taken_ && now_s - last_s_ < interval_s_) return false;
    taken_ = true;
    last_s_ = now_s;
    return true;
  }

 private:
  double interval_s_;
  double last_s_ = 0;
  bool taken_ = false;
};

}  // namespace airprox
