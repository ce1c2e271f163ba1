#include "server/service/call_authorization.h"

#include <spdlog/spdlog.h>

#include "server/service/grpc_status.h"
#include "server/service/refusal_log.h"

namespace airprox {

std::optional<Role> MethodRoleOf(std::string_view method) {
  for (const MethodRole& m : kMethodRoles) {
    if (m.method == method) return m.role;
  }
  return std::nullopt;
}

std::string_view CallAuthorization(const grpc::CallbackServerContext* context) {
  if (context == nullptr) return {};
  const auto& metadata = context->client_metadata();
  const auto it = metadata.find("authorization");
  return it != metadata.end() ? std::string_view(it->second.data(), it->second.size()) : std::string_view();
}

AccessDecision AuthorizeMethod(const AccessControl& access, std::string_view authorization, std::string_view method) {
  const std::optional<Role> role = MethodRoleOf(method);
  // A method without an entry is a programming error: refuse it rather than let it through.
  if (!role) return {{StatusCode::kPermissionDenied, "unmapped_method", "this method has no role"}, ""};
  return access.Authorize(authorization, role);
}

grpc::Status AuthorizeCall(const AccessControl& access, const grpc::CallbackServerContext* context,
                           std::string_view method) {
  if (!access.enabled()) return grpc::Status::OK;
  const AccessDecision d = AuthorizeMethod(access, CallAuthorization(context), method);
  const std::string peer = context != nullptr ? context->peer() : "";
  if (d.status.ok()) {
    spdlog::debug("auth granted method={} name={} peer={}", method, d.name, peer);
    return grpc::Status::OK;
  }
  LogRefusal(access.refusal_lines(), "auth", fmt::format("auth refused method={} name={} peer={} reason={}", method,
                                              d.name.empty() ? "-" : d.name, peer, d.status.reason()));
  return ToGrpcStatus(d.status);
}

}  // namespace airprox
