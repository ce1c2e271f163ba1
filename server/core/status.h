// Errors as values at the boundaries of the core. Adapters map them to their transport's codes
// (grpc::Status in server/service) and nowhere else.
#pragma once

#include <string>
#include <utility>

namespace airprox {

enum class StatusCode {
  kOk,
  kInvalidArgument,    // the input itself is wrong: a record, a flag, a config key
  kNotFound,           // a named thing (track, encounter) does not exist
  kFailedPrecondition, // valid input that does not fit the current state (e.g. out of order)
  kResourceExhausted,  // a bounded resource is full
  kUnavailable,        // the component is stopping or not started
  kUnauthenticated,    // no credentials, or credentials nobody issued
  kPermissionDenied,   // known credentials without the right to do this
  kInternal,
};

class Status {
 public:
  Status() = default;
  // `reason` is a short stable machine-readable token ("lat_out_of_range"); `message` says what was
  // wrong, naming the field and the value.
  Status(StatusCode code, std::string reason, std::string message)
      : code_(code), reason_(std::move(reason)), message_(std::move(message)) {}

  static Status Ok() { return {}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& reason() const { return reason_; }
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string reason_;
  std::string message_;
};

inline Status InvalidArgument(std::string reason, std::string message) {
  return {StatusCode::kInvalidArgument, std::move(reason), std::move(message)};
}

}  // namespace airprox
