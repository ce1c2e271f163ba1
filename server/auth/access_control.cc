#include "server/auth/access_control.h"

#include <fmt/format.h>

namespace airprox {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

std::string_view BearerToken(std::string_view authorization) {
  authorization = Trim(authorization);
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    const char c = authorization[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kScheme[i]) return {};
  }
  const char separator = authorization[kScheme.size()];
  if (separator != ' ' && separator != '\t') return {};
  return Trim(authorization.substr(kScheme.size()));
}

Status AccessControl::Load(const std::string& path) {
  auto tokens = std::make_shared<AccessTokens>();
  if (Status st = AccessTokens::Load(path, *tokens); !st.ok()) return st;
  std::lock_guard lock(mu_);
  path_ = path;
  tokens_ = std::move(tokens);
  return Status::Ok();
}

Status AccessControl::Reload() {
  std::string path;
  {
    std::lock_guard lock(mu_);
    path = path_;
  }
  if (path.empty()) return Status::Ok();
  auto tokens = std::make_shared<AccessTokens>();
  if (Status st = AccessTokens::Load(path, *tokens); !st.ok()) return st;
  std::lock_guard lock(mu_);
  tokens_ = std::move(tokens);
  return Status::Ok();
}

std::shared_ptr<const AccessTokens> AccessControl::Current() const {
  std::lock_guard lock(mu_);
  return tokens_;
}

bool AccessControl::enabled() const { return Current() != nullptr; }

std::size_t AccessControl::tokens() const {
  const auto tokens = Current();
  return tokens ? tokens->size() : 0;
}

AccessDecision AccessControl::Authorize(std::string_view authorization, std::optional<Role> role) const {
  const auto tokens = Current();
  if (!tokens) return {};
  const std::string_view token = BearerToken(authorization);
  if (token.empty()) {
    ++unauthenticated_;
    return {{StatusCode::kUnauthenticated, "missing_token",
             "this server requires a bearer token: send 'authorization: Bearer TOKEN'"},
            ""};
  }
  const TokenHolder* holder = tokens->Find(token);
  if (holder == nullptr) {
    ++unauthenticated_;
    return {{StatusCode::kUnauthenticated, "unknown_token", "the bearer token is not valid on this server"}, ""};
  }
  if (role && !holder->roles.Has(*role)) {
    ++permission_denied_;
    return {{StatusCode::kPermissionDenied, "missing_role",
             fmt::format("the token of '{}' lacks the role {} (it has {})", holder->name, RoleName(*role),
                         holder->roles.ToString())},
            holder->name};
  }
  return {Status::Ok(), holder->name};
}

}  // namespace airprox
