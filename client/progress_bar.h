// A one-line progress display on a terminal (stderr), redrawn at most a few times a second:
//   [########............]  41%  120,400 positions  52,310/s  ETA 0:03
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace airprox::cli {

class ProgressBar {
 public:
  // enabled: draw at all (on when stderr is a terminal, normally).
  explicit ProgressBar(bool enabled);

  // fraction: 0..1 of the work done, or < 0 when unknown (then no bar and no ETA).
  // Draws when at least the redraw period has passed since the last draw.
  void Update(double fraction, std::uint64_t sent, const std::string& note = "");
  // Erases the line, so that the summary that follows starts clean.
  void Clear();

  // The text of one line, without drawing: exposed for tests.
  static std::string Render(double fraction, std::uint64_t sent, double rate_per_s,
                            double eta_s, const std::string& note);

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace airprox::cli
