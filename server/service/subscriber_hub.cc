#include "server/service/subscriber_hub.h"

#include "server/service/proto_convert.h"

namespace airprox {

Subscription* SubscriberHub::Add() {
  auto* s = new Subscription(*this, options_.queue_capacity);
  std::lock_guard lock(mu_);
  if (closed_) {
    s->Close(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the server is shutting down"));
  } else {
    subscribers_.insert(s);
  }
  return s;
}

void SubscriberHub::Remove(Subscription* s) {
  std::lock_guard lock(mu_);
  subscribers_.erase(s);
}

void SubscriberHub::Close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  for (Subscription* s : subscribers_) s->Close(grpc::Status::OK);
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
  for (Subscription* s : subscribers_) {
    for (const auto& pb : encoded) {
      const Subscription::Queued q = s->Enqueue(pb);
      if (q == Subscription::Queued::kYes) {
        ++events_queued_;
        continue;
      }
      if (q == Subscription::Queued::kOverflow) ++overflows_;
      break;
    }
  }
}

std::size_t SubscriberHub::subscribers() const {
  std::lock_guard lock(mu_);
  return subscribers_.size();
}

}  // namespace airprox
