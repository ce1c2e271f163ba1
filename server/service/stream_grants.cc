#include "server/service/stream_grants.h"

#include <spdlog/spdlog.h>

#include "server/service/call_authorization.h"
#include "server/service/refusal_log.h"

namespace airprox {

StreamGrant& StreamGrant::operator=(StreamGrant&& other) noexcept {
  if (this != &other) {
    Release();
    grants_ = other.grants_;
    id_ = other.id_;
    other.grants_ = nullptr;
  }
  return *this;
}

void StreamGrant::Release() {
  if (grants_ == nullptr) return;
  grants_->Remove(id_);
  grants_ = nullptr;
}

StreamGrant StreamGrants::Open(std::string_view method, std::string_view authorization, std::string_view peer,
                               End end) {
  StreamGrant grant;
  if (!access_.enabled()) return grant;
  Entry e{std::string(method), std::string(authorization), "", std::string(peer), std::move(end)};
  // Checked again under the lock, so that a reload between the call's check and now is not missed.
  std::lock_guard lock(mu_);
  const AccessDecision d = AuthorizeMethod(access_, e.authorization, e.method);
  e.name = d.name;
  if (!d.status.ok()) {
    EndStream(e, d.status);
    return grant;
  }
  grant.grants_ = this;
  grant.id_ = next_id_++;
  open_.emplace(grant.id_, std::move(e));
  return grant;
}

std::size_t StreamGrants::Revoke() {
  std::lock_guard lock(mu_);
  std::size_t revoked = 0;
  for (auto it = open_.begin(); it != open_.end();) {
    const AccessDecision d = AuthorizeMethod(access_, it->second.authorization, it->second.method);
    if (d.status.ok()) {
      ++it;
      continue;
    }
    EndStream(it->second, d.status);
    it = open_.erase(it);
    ++revoked;
  }
  return revoked;
}

void StreamGrants::EndStream(const Entry& e, const Status& refusal) const {
  LogRefusal(access_.refusal_lines(), "auth", fmt::format("auth revoked method={} name={} peer={} reason={}", e.method,
                                              e.name.empty() ? "-" : e.name, e.peer, refusal.reason()));
  e.end(Status(refusal.code(), refusal.reason(),
               "access revoked by a reload of the server's token file: " + refusal.message()));
}

std::size_t StreamGrants::size() const {
  std::lock_guard lock(mu_);
  return open_.size();
}

void StreamGrants::Remove(std::uint64_t id) {
  std::lock_guard lock(mu_);
  open_.erase(id);
}

}  // namespace airprox
