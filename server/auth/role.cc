#include "server/auth/role.h"

namespace airprox {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kIngest: return "ingest";
    case Role::kSubscribe: return "subscribe";
    case Role::kAdmin: return "admin";
  }
  return "?";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : kAllRoles) {
    if (RoleName(r) == name) return r;
  }
  return std::nullopt;
}

std::string Roles::ToString() const {
  std::string out;
  for (Role r : kAllRoles) {
    if (!Has(r)) continue;
    if (!out.empty()) out += ",";
    out += RoleName(r);
  }
  return out;
}

}  // namespace airprox
