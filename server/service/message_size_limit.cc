#include "server/service/message_size_limit.h"

#include <fmt/format.h>

#include "server/service/refusal_log.h"

#include <algorithm>
#include <limits>

namespace airprox {

Status MessageSizeLimit::Check(std::size_t bytes, std::string_view message_type, std::string_view peer) const {
  if (bytes <= max_bytes_) return Status::Ok();
  counters_->Count(Limit::kMaxMessageBytes);
  Status refusal(StatusCode::kResourceExhausted, "max_message_bytes",
                 fmt::format("the {} is {} bytes, more than the limit (limits.max_message_bytes = {})", message_type,
                             bytes, max_bytes_));
  LogLimitRefusal(*counters_, refusal, peer);
  return refusal;
}

int GrpcReceiveCap(std::size_t max_message_bytes) {
  constexpr std::size_t kIntMax = static_cast<std::size_t>(std::numeric_limits<int>::max());
  return static_cast<int>(std::min(kIntMax, std::min(kIntMax, max_message_bytes) * 2));
}

}  // namespace airprox
