// Log lines of refused requests, rate-limited so that a flood of refusals (a broken client in a
// retry loop, a scan with bad tokens) cannot flood the log: per kind and server, at most
// kRefusalLinesPerSecond lines in each second (LogRateLimit); the others are suppressed, and the
// first line logged after some were is preceded by one saying how many. The counters in /metrics
// (airprox_auth_refused_total, airprox_limit_exceeded_total) count every refusal all the same.
// The kinds: `auth refused ...` and `auth revoked ...` lines (AccessControl::refusal_lines()),
// `limit refused ...` lines (LimitCounters::refusal_lines()).
#pragma once

#include <cstddef>
#include <string_view>

#include "server/core/status.h"
#include "server/log/log_rate_limit.h"
#include "server/service/limit_counters.h"

namespace airprox {

// Logs `line` at warning when `rate` admits it; `kind` ("auth", "limit") names the kind in the
// line about suppressed ones.
void LogRefusal(LogRateLimit& rate, std::string_view kind, std::string_view line);

// `limit refused limit=KEY peer=PEER: MESSAGE` for a refusal by a limit (its reason is the
// limit's key under limits.), through `counters`' rate limit.
void LogLimitRefusal(LimitCounters& counters, const Status& refusal, std::string_view peer);

}  // namespace airprox
