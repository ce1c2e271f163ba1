#include "client/progress_bar.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace airprox::cli {
namespace {

constexpr int kWidth = 24;
constexpr auto kRedraw = std::chrono::milliseconds(200);

std::string Thousands(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string Clock(double s) {
  const auto total = static_cast<long>(std::lround(s));
  return total >= 3600 ? fmt::format("{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60)
                       : fmt::format("{}:{:02}", total / 60, total % 60);
}

}  // namespace

ProgressBar::ProgressBar(bool enabled)
    : enabled_(enabled), start_(std::chrono::steady_clock::now()), last_draw_(start_ - kRedraw) {}

std::string ProgressBar::Render(double fraction, std::uint64_t sent, double rate_per_s,
                                double eta_s, const std::string& note) {
  std::string line;
  if (fraction >= 0) {
    const int filled = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * kWidth);
    line = fmt::format("[{}{}] {:3.0f}%  ", std::string(filled, '#'), std::string(kWidth - filled, '.'),
                       std::clamp(fraction, 0.0, 1.0) * 100);
  }
  line += fmt::format("{} positions  {}/s", Thousands(sent), Thousands(static_cast<std::uint64_t>(rate_per_s)));
  if (eta_s >= 0) line += "  ETA " + Clock(eta_s);
  if (!note.empty()) line += "  " + note;
  return line;
}

void ProgressBar::Update(double fraction, std::uint64_t sent, const std::string& note) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < kRedraw) return;
  last_draw_ = now;
  const double elapsed_s = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed_s > 0 ? static_cast<double>(sent) / elapsed_s : 0.0;
  const double eta = fraction > 0.01 && fraction < 1 ? elapsed_s * (1 - fraction) / fraction : -1;
  std::fprintf(stderr, "\r\033[K%s", Render(fraction, sent, rate, eta, note).c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::Clear() {
  if (!drawn_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace airprox::cli
