// Bearer tokens on gRPC: the role each method of airprox.v1 needs, and the check of a call's
// `authorization: Bearer TOKEN` metadata against the token file (AccessControl). The standard
// health service and server reflection are not checked (see the README's Security section).
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/status.h>

#include <optional>
#include <string_view>

#include "server/auth/access_control.h"

namespace airprox {

struct MethodRole {
  std::string_view method;  // full gRPC method name
  Role role;
};

// Every method of the airprox.v1 services. Ingest needs ingest; subscriptions and read queries
// need subscribe; configuration and track-management calls (none yet) will need admin.
inline constexpr MethodRole kMethodRoles[] = {
    {"/airprox.v1.TrackIngest/Ingest", Role::kIngest},
    {"/airprox.v1.Encounters/Subscribe", Role::kSubscribe},
    {"/airprox.v1.Encounters/ListActive", Role::kSubscribe},
    {"/airprox.v1.Tracks/ListTracks", Role::kSubscribe},
    {"/airprox.v1.Tracks/GetTrack", Role::kSubscribe},
};

// The call's `authorization` metadata ("Bearer TOKEN"), or "" without one (or without a context).
std::string_view CallAuthorization(const grpc::CallbackServerContext* context);

// The role `method` needs, or nullopt for a method not in the table.
std::optional<Role> MethodRoleOf(std::string_view method);

// The decision for a call of `method` whose authorization metadata is `authorization`; a method
// not in kMethodRoles is refused (PERMISSION_DENIED, unmapped_method). Counted, not logged.
AccessDecision AuthorizeMethod(const AccessControl& access, std::string_view authorization, std::string_view method);

// OK when the call may go on (no token file, or a token with the method's role); otherwise
// UNAUTHENTICATED or PERMISSION_DENIED with a message for the client. Refusals are logged with
// the holder's name and the peer, never the token (rate-limited: refusal_log.h); granted calls at
// debug.
grpc::Status AuthorizeCall(const AccessControl& access, const grpc::CallbackServerContext* context,
                           std::string_view method);

}  // namespace airprox
