// A bound on how many lines of one kind are logged: at most N in each one-second window, the
// rest suppressed and counted, their number handed to the next line admitted so that it can say
// how many were left out. Used for the lines of refused requests (server/service/refusal_log.h),
// which a broken or hostile client could otherwise make by the thousand a second. Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>

namespace airprox {

// Lines a second of each kind of refusal (auth, limit) that airproxd logs. Count.
inline constexpr std::size_t kRefusalLinesPerSecond = 5;

class LogRateLimit {
 public:
  using Clock = std::chrono::steady_clock;
  // lines_per_s: Count, >= 1.
  explicit LogRateLimit(std::size_t lines_per_s) : lines_per_s_(lines_per_s) {}

  struct Verdict {
    bool log = false;              // log this line
    std::uint64_t suppressed = 0;  // when logging: lines suppressed since the last one logged
  };
  // The verdict on a line at `now`. A window starts at the first line after the previous window
  // ended.
  Verdict Admit(Clock::time_point now = Clock::now()) {
    std::lock_guard lock(mu_);
    if (!started_ || now - window_start_ >= std::chrono::seconds(1)) {
      started_ = true;
      window_start_ = now;
      admitted_ = 0;
    }
    if (admitted_ >= lines_per_s_) {
      ++suppressed_;
      return {};
    }
    ++admitted_;
    const Verdict v{true, suppressed_};
    suppressed_ = 0;
    return v;
  }

 private:
  const std::size_t lines_per_s_;
  std::mutex mu_;
  bool started_ = false;
  Clock::time_point window_start_{};
  std::size_t admitted_ = 0;
  std::uint64_t suppressed_ = 0;
};

}  // namespace airprox
