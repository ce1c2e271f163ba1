// What a bearer token may do. Every gRPC call needs one role (server/service/call_authorization.h
// maps each to its role); a token holds one or more.
//   ingest     send positions (TrackIngest)
//   subscribe  read: encounter streams and queries (Encounters, Tracks)
//   admin      configuration and track-management calls (none in airprox.v1 yet)
// Roles are independent: admin does not imply the others.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace airprox {

enum class Role : std::uint8_t { kIngest = 1, kSubscribe = 2, kAdmin = 4 };

inline constexpr Role kAllRoles[] = {Role::kIngest, Role::kSubscribe, Role::kAdmin};

std::string_view RoleName(Role role);
// "ingest", "subscribe", "admin"; anything else is nullopt.
std::optional<Role> ParseRole(std::string_view name);

// A set of roles.
class Roles {
 public:
  Roles() = default;
  Roles(std::initializer_list<Role> roles) {
    for (Role r : roles) Add(r);
  }
  void Add(Role role) { bits_ |= static_cast<std::uint8_t>(role); }
  bool Has(Role role) const { return (bits_ & static_cast<std::uint8_t>(role)) != 0; }
  bool empty() const { return bits_ == 0; }
  // "ingest,subscribe" in the order of kAllRoles.
  std::string ToString() const;
  bool operator==(const Roles&) const = default;

 private:
  std::uint8_t bits_ = 0;
};

}  // namespace airprox
