#include "server/service/stream_limiter.h"

#include <fmt/format.h>

namespace airprox {

StreamSlot& StreamSlot::operator=(StreamSlot&& other) noexcept {
  if (this != &other) {
    Release();
    limiter_ = other.limiter_;
    peer_ = std::move(other.peer_);
    kind_ = other.kind_;
    other.limiter_ = nullptr;
  }
  return *this;
}

void StreamSlot::Release() {
  if (limiter_ == nullptr) return;
  limiter_->Release(peer_, kind_);
  limiter_ = nullptr;
}

std::string StreamLimiter::PeerAddress(std::string_view peer) {
  for (std::string_view scheme : {"ipv4:", "ipv6:"}) {
    if (peer.substr(0, scheme.size()) != scheme) continue;
    std::string_view rest = peer.substr(scheme.size());
    if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) rest = rest.substr(0, colon);
    if (rest.size() >= 2 && rest.front() == '[' && rest.back() == ']') rest = rest.substr(1, rest.size() - 2);
    return std::string(rest);
  }
  return std::string(peer);
}

Status StreamLimiter::Acquire(std::string_view peer, StreamKind kind, StreamSlot& slot) {
  slot.Release();
  std::string address = PeerAddress(peer);
  std::lock_guard lock(mu_);
  auto refuse = [this](Limit limit, std::string what, std::size_t value) {
    counters_.Count(limit);
    return Status(StatusCode::kResourceExhausted, std::string(kLimitNames[static_cast<std::size_t>(limit)]),
                  fmt::format("{}: the limit (limits.{} = {}) is reached; try again later", what,
                              kLimitNames[static_cast<std::size_t>(limit)], value));
  };
  if (streams_ >= limits_.max_streams) {
    return refuse(Limit::kMaxStreams, fmt::format("{} streams are open", streams_), limits_.max_streams);
  }
  auto it = per_peer_.find(address);
  const std::size_t from_peer = it == per_peer_.end() ? 0 : it->second;
  if (from_peer >= limits_.max_streams_per_peer) {
    return refuse(Limit::kMaxStreamsPerPeer, fmt::format("{} streams are open from {}", from_peer, address),
                  limits_.max_streams_per_peer);
  }
  if (kind == StreamKind::kSubscribe && subscribers_ >= limits_.max_subscribers) {
    return refuse(Limit::kMaxSubscribers, fmt::format("{} subscribers are connected", subscribers_),
                  limits_.max_subscribers);
  }
  ++streams_;
  if (kind == StreamKind::kSubscribe) ++subscribers_;
  if (it == per_peer_.end()) {
    per_peer_.emplace(address, 1);
  } else {
    ++it->second;
  }
  slot.limiter_ = this;
  slot.peer_ = std::move(address);
  slot.kind_ = kind;
  return Status::Ok();
}

void StreamLimiter::Release(const std::string& peer, StreamKind kind) {
  std::lock_guard lock(mu_);
  --streams_;
  if (kind == StreamKind::kSubscribe) --subscribers_;
  if (auto it = per_peer_.find(peer); it != per_peer_.end() && --it->second == 0) per_peer_.erase(it);
}

std::size_t StreamLimiter::streams() const {
  std::lock_guard lock(mu_);
  return streams_;
}

}  // namespace airprox
