// The logger of the live feeds: "feeds" once airproxd's logging is set up (server/app/log_setup.h;
// its level is log.levels.feeds), else the default logger.
#pragma once

#include <memory>

#include <spdlog/spdlog.h>

namespace airprox {

inline std::shared_ptr<spdlog::logger> FeedLogger() {
  if (auto logger = spdlog::get("feeds")) return logger;
  return spdlog::default_logger();
}

}  // namespace airprox
