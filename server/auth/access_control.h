// Who may do what: the token file in force (AccessTokens), re-read on demand (SIGHUP), and the
// decision for one request from its `Authorization: Bearer TOKEN` value. Without a token file
// everything is allowed. Thread-safe; transport-free (the gRPC and HTTP adapters map decisions to
// their status codes).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "server/auth/access_tokens.h"
#include "server/log/log_rate_limit.h"

namespace airprox {

struct AccessDecision {
  // Ok; kUnauthenticated (no token, or one nobody holds); kPermissionDenied (a known token
  // without the role). The message never contains the token.
  Status status;
  std::string name;  // the token's holder when it is known, else ""
};

class AccessControl {
 public:
  // Reads the token file at `path` and enforces it from now on. An error (FILE:LINE: problem)
  // changes nothing.
  Status Load(const std::string& path);
  // Re-reads the file given to Load. An invalid file keeps the tokens in force and returns why.
  // Without a token file it does nothing.
  Status Reload();

  bool enabled() const;
  std::size_t tokens() const;

  // The decision for a request whose Authorization value is `authorization` ("Bearer TOKEN", the
  // scheme in any case; "" when absent), needing `role`, or any valid token when nullopt.
  AccessDecision Authorize(std::string_view authorization, std::optional<Role> role) const;

  // Requests refused so far, by kind.
  std::uint64_t unauthenticated() const { return unauthenticated_.load(); }
  std::uint64_t permission_denied() const { return permission_denied_.load(); }
  // The rate limit of the log lines of refusals (server/service/refusal_log.h).
  LogRateLimit& refusal_lines() const { return refusal_lines_; }

 private:
  std::shared_ptr<const AccessTokens> Current() const;

  mutable std::mutex mu_;
  std::string path_;
  std::shared_ptr<const AccessTokens> tokens_;  // nullptr: no token file, everything allowed
  mutable std::atomic<std::uint64_t> unauthenticated_{0};
  mutable std::atomic<std::uint64_t> permission_denied_{0};
  mutable LogRateLimit refusal_lines_{kRefusalLinesPerSecond};
};

// The token of an Authorization value "Bearer TOKEN" (scheme in any case), or "" when the value
// is empty or of another scheme.
std::string_view BearerToken(std::string_view authorization);

}  // namespace airprox
