// limits.max_message_bytes on the gRPC port. gRPC's own size check refuses a message before any
// service code runs and tells nobody (no hook, no interceptor sees it in gRPC 1.51), so the
// airprox.v1 services check each message they receive themselves: past the limit the call ends
// with RESOURCE_EXHAUSTED naming the limit, counted in
// airprox_limit_exceeded_total{limit="max_message_bytes"}. gRPC's cap stays as a backstop, at
// twice the limit (GrpcReceiveCap): a message larger than that is refused by gRPC, uncounted, and
// no message larger than it is ever held.
#pragma once

#include <cstddef>
#include <string_view>

#include "server/core/status.h"
#include "server/service/limit_counters.h"

namespace airprox {

class MessageSizeLimit {
 public:
  // `counters` outlives the limit. max_bytes: Bytes, >= 1.
  MessageSizeLimit(std::size_t max_bytes, LimitCounters& counters) : max_bytes_(max_bytes), counters_(&counters) {}

  // Ok when a received `message_type` (e.g. "PositionBatch") of `bytes` from `peer` is within the
  // limit; otherwise ResourceExhausted with reason max_message_bytes, counted and logged
  // (rate-limited).
  Status Check(std::size_t bytes, std::string_view message_type, std::string_view peer) const;
  std::size_t max_bytes() const { return max_bytes_; }

 private:
  std::size_t max_bytes_;
  LimitCounters* counters_;
};

// The size gRPC itself refuses past (ServerBuilder::SetMaxReceiveMessageSize): twice
// `max_message_bytes`, at most INT_MAX. Bytes.
int GrpcReceiveCap(std::size_t max_message_bytes);

}  // namespace airprox
