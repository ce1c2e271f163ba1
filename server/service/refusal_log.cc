#include "server/service/refusal_log.h"

#include <spdlog/spdlog.h>

namespace airprox {

void LogRefusal(LogRateLimit& rate, std::string_view kind, std::string_view line) {
  const LogRateLimit::Verdict v = rate.Admit();
  if (!v.log) return;
  if (v.suppressed > 0) {
    spdlog::warn("{} refusals: {} log lines suppressed (at most {} a second are logged; /metrics counts every refusal)",
                 kind, v.suppressed, kRefusalLinesPerSecond);
  }
  spdlog::warn("{}", line);
}

void LogLimitRefusal(LimitCounters& counters, const Status& refusal, std::string_view peer) {
  LogRefusal(counters.refusal_lines(), "limit",
             fmt::format("limit refused limit={} peer={}: {}", refusal.reason(), peer.empty() ? "-" : peer,
                         refusal.message()));
}

}  // namespace airprox
