#include "server/service/subscription.h"

#include <algorithm>
#include <cstdint>
#include <string>

#include "server/service/subscriber_hub.h"

namespace airprox {

std::shared_ptr<const WireEvent> Encode(const v1::EncounterEvent& event) {
  auto w = std::make_shared<WireEvent>();
  w->kind = event.kind();
  w->sequence = event.sequence();
  w->gap_first = event.gap_first_sequence();
  w->gap_last = event.gap_last_sequence();
  w->encounter_id = event.encounter_id();
  bool own_buffer = false;
  (void)grpc::SerializationTraits<v1::EncounterEvent>::Serialize(event, &w->bytes, &own_buffer);
  return w;
}


Subscription::Subscription(SubscriberHub& hub, std::size_t capacity, EncounterFilter filter)
    : hub_(hub), capacity_(capacity == 0 ? 1 : capacity), selection_(std::move(filter)) {}

Subscription::Queued Subscription::Enqueue(const EventPtr& event) {
  Action a;
  bool overflowed = false;
  {
    std::lock_guard lock(mu_);
    if (closing_ || finished_) return Queued::kClosing;
    if (queue_.size() >= capacity_ && event->kind != v1::EncounterEvent::STARTED) {
      for (auto it = queue_.begin(); it != queue_.end(); ++it) {
        if ((*it)->kind == v1::EncounterEvent::UPDATED &&
            (*it)->encounter_id == event->encounter_id) {
          queue_.erase(it);
          queue_.push_back(event);
          return Queued::kCoalesced;  // a write is in flight already: nothing to start
        }
      }
    }
    if (queue_.size() >= capacity_) {
      overflowed = true;
      std::uint64_t first = UINT64_MAX, last = 0;
      auto widen = [&](const WireEvent& w) {
        if (w.kind == v1::EncounterEvent::GAP) {
          first = std::min(first, w.gap_first);
          last = std::max(last, w.gap_last);
        } else if (w.kind != v1::EncounterEvent::HEARTBEAT) {
          first = std::min(first, w.sequence);
          last = std::max(last, w.sequence);
        }
      };
      for (const auto& q : queue_) widen(*q);
      widen(*event);
      queue_.clear();
      if (last > 0) {
        v1::EncounterEvent gap;
        gap.set_kind(v1::EncounterEvent::GAP);
        gap.set_gap_first_sequence(first);
        gap.set_gap_last_sequence(last);
        gap.set_sequence(last);
        queue_.push_back(Encode(gap));
      }
    } else {
      queue_.push_back(event);
    }
    a = NextLocked();
  }
  Perform(a);
  return overflowed ? Queued::kGap : Queued::kYes;
}

void Subscription::Close(grpc::Status status) {
  Action a;
  {
    std::lock_guard lock(mu_);
    if (closing_ || finished_) return;
    closing_ = std::move(status);
    a = NextLocked();
  }
  Perform(a);
}

bool Subscription::CancelIfWriteStalled(std::chrono::steady_clock::time_point deadline) {
  {
    std::lock_guard lock(mu_);
    if (!writing_ || finished_ || cancelled_ || context_ == nullptr || write_started_ > deadline) {
      return false;
    }
    cancelled_ = true;
  }
  context_->TryCancel();  // the pending write completes with ok = false, then OnCancel
  return true;
}

void Subscription::OnWriteDone(bool ok) {
  Action a;
  {
    std::lock_guard lock(mu_);
    writing_ = false;
    in_flight_.reset();
    if (!ok) {  // the peer is gone: nothing more can be written
      queue_.clear();
      if (!closing_) closing_ = grpc::Status(grpc::StatusCode::CANCELLED, "write failed");
    }
    a = NextLocked();
  }
  Perform(a);
}

void Subscription::OnCancel() {
  Action a;
  {
    std::lock_guard lock(mu_);
    queue_.clear();
    if (!closing_) closing_ = grpc::Status::CANCELLED;
    a = NextLocked();
  }
  Perform(a);
}

void Subscription::OnDone() {
  hub_.Remove(this);
  delete this;
}

Subscription::Action Subscription::NextLocked() {
  Action a;
  if (writing_ || finished_) return a;
  if (!queue_.empty()) {
    in_flight_ = std::move(queue_.front());
    queue_.pop_front();
    writing_ = true;
    write_started_ = std::chrono::steady_clock::now();
    in_flight_bytes_ = in_flight_->bytes;
    a.write = &in_flight_bytes_;
  } else if (closing_) {
    finished_ = true;
    a.finish = *closing_;
  }
  return a;
}

void Subscription::Perform(const Action& a) {
  if (a.write) StartWrite(a.write);
  if (a.finish) Finish(*a.finish);
}

}  // namespace airprox
