// The open Ingest and Subscribe streams and the bearer token each was opened with, so that a reload
// of the token file (SIGHUP, AirproxServer::Reload) ends the streams whose token is no longer valid
// or no longer has their method's role. A stream holds a StreamGrant for its lifetime; Revoke
// re-checks every open stream against the tokens now in force and hands each refused one its
// refusal (UNAUTHENTICATED or PERMISSION_DENIED) through the callback it registered.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "server/auth/access_control.h"
#include "server/core/status.h"

namespace airprox {

class StreamGrants;

// An open stream's entry in StreamGrants, removed when destroyed (after a running Revoke has
// finished with it, so a stream that ends meanwhile is never called after it is gone). Move-only;
// empty when default-constructed, moved from, or opened without a token file.
class StreamGrant {
 public:
  StreamGrant() = default;
  StreamGrant(StreamGrant&& other) noexcept { *this = std::move(other); }
  StreamGrant& operator=(StreamGrant&& other) noexcept;
  ~StreamGrant() { Release(); }
  StreamGrant(const StreamGrant&) = delete;
  StreamGrant& operator=(const StreamGrant&) = delete;

  bool held() const { return grants_ != nullptr; }
  void Release();

 private:
  friend class StreamGrants;
  StreamGrants* grants_ = nullptr;
  std::uint64_t id_ = 0;
};

class StreamGrants {
 public:
  // Called at most once, from Revoke or Open (under their lock: it must not wait for the stream's
  // own calls to StreamGrants), with the refusal that now applies to the stream.
  using End = std::function<void(Status)>;

  // `access` outlives this.
  explicit StreamGrants(const AccessControl& access) : access_(access) {}

  // Registers a stream of `method` (full gRPC name, in kMethodRoles) from `peer` whose
  // authorization metadata ("Bearer TOKEN", CallAuthorization) has been authorized (AuthorizeCall). Without a token file in force, an empty grant: nothing to
  // revoke. Should the token have been revoked since that check, `end` is called at once instead
  // and the grant is empty.
  StreamGrant Open(std::string_view method, std::string_view authorization, std::string_view peer, End end);

  // After a reload: each open stream whose token no longer has its method's role is removed and
  // its End called with the refusal (counted in AccessControl's refusals, logged at warning as
  // `auth revoked method=... name=... peer=... reason=...`, with the name the stream was opened
  // with). Returns how many were revoked.
  std::size_t Revoke();

  std::size_t size() const;

 private:
  friend class StreamGrant;
  struct Entry {
    std::string method;
    std::string authorization;
    std::string name;
    std::string peer;
    End end;
  };
  void Remove(std::uint64_t id);
  // Logs the revocation and calls e.end (under mu_).
  void EndStream(const Entry& e, const Status& refusal) const;

  const AccessControl& access_;
  mutable std::mutex mu_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, Entry> open_;
};

}  // namespace airprox
