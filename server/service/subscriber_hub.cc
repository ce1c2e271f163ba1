#include "server/service/subscriber_hub.h"

#include "server/service/proto_convert.h"

namespace airprox {

namespace {

// Queues one event; false when the subscription takes no more (overflowed or closing).
bool Offer(Subscription* s, const Subscription::EventPtr& pb, std::atomic<std::uint64_t>& queued,
           std::atomic<std::uint64_t>& overflows) {
  const Subscription::Queued q = s->Enqueue(pb);
  if (q == Subscription::Queued::kYes) {
    ++queued;
    return true;
  }
  if (q == Subscription::Queued::kOverflow) ++overflows;
  return false;
}

}  // namespace

Subscription* SubscriberHub::Add(EncounterFilter filter) {
  auto* s = new Subscription(*this, options_.queue_capacity, std::move(filter));
  std::lock_guard lock(mu_);
  if (closed_) {
    s->Close(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the server is shutting down"));
  } else {
    subscribers_.emplace(s, true);
  }
  return s;
}

Subscription* SubscriberHub::AddPending(EncounterFilter filter) {
  auto* s = new Subscription(*this, options_.queue_capacity, std::move(filter));
  std::lock_guard lock(mu_);
  if (closed_) {
    s->Close(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the server is shutting down"));
  } else {
    subscribers_.emplace(s, false);
  }
  return s;
}

Subscription* SubscriberHub::Refused(grpc::Status status) {
  auto* s = new Subscription(*this, 1);
  s->Close(std::move(status));
  return s;
}

void SubscriberHub::Activate(Subscription* s, const std::vector<EncounterEvent>& active) {
  std::lock_guard lock(mu_);
  auto it = subscribers_.find(s);
  if (it == subscribers_.end()) return;
  it->second = true;
  for (const EncounterEvent& e : active) {
    if (!s->selection().Select(e)) continue;
    auto pb = std::make_shared<v1::EncounterEvent>();
    ToProto(e, pb.get());
    pb->set_snapshot(true);
    if (!Offer(s, pb, events_queued_, overflows_)) break;
  }
}

void SubscriberHub::Remove(Subscription* s) {
  std::lock_guard lock(mu_);
  subscribers_.erase(s);
}

void SubscriberHub::Close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  for (auto& [s, live] : subscribers_) s->Close(grpc::Status::OK);
}

void SubscriberHub::OnEvents(const std::vector<EncounterEvent>& events) {
  std::vector<Subscription::EventPtr> encoded;
  encoded.reserve(events.size());
  for (const EncounterEvent& e : events) {
    auto pb = std::make_shared<v1::EncounterEvent>();
    ToProto(e, pb.get());
    encoded.push_back(std::move(pb));
  }
  std::lock_guard lock(mu_);
  for (auto& [s, live] : subscribers_) {
    if (!live) continue;
    for (std::size_t i = 0; i < events.size(); ++i) {
      if (!s->selection().Select(events[i])) continue;
      if (!Offer(s, encoded[i], events_queued_, overflows_)) break;
    }
  }
}

std::size_t SubscriberHub::subscribers() const {
  std::lock_guard lock(mu_);
  return subscribers_.size();
}

}  // namespace airprox
