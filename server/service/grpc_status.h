// The one place where core Status values become grpc::Status.
#pragma once

#include <grpcpp/support/status.h>

#include "server/core/status.h"

namespace airprox {

inline grpc::Status ToGrpcStatus(const Status& s) {
  using grpc::StatusCode;
  StatusCode code = StatusCode::UNKNOWN;
  switch (s.code()) {
    case airprox::StatusCode::kOk: return grpc::Status::OK;
    case airprox::StatusCode::kInvalidArgument: code = StatusCode::INVALID_ARGUMENT; break;
    case airprox::StatusCode::kNotFound: code = StatusCode::NOT_FOUND; break;
    case airprox::StatusCode::kFailedPrecondition: code = StatusCode::FAILED_PRECONDITION; break;
    case airprox::StatusCode::kResourceExhausted: code = StatusCode::RESOURCE_EXHAUSTED; break;
    case airprox::StatusCode::kUnavailable: code = StatusCode::UNAVAILABLE; break;
    case airprox::StatusCode::kUnauthenticated: code = StatusCode::UNAUTHENTICATED; break;
    case airprox::StatusCode::kPermissionDenied: code = StatusCode::PERMISSION_DENIED; break;
    case airprox::StatusCode::kInternal: code = StatusCode::INTERNAL; break;
  }
  return {code, s.message()};
}

}  // namespace airprox
