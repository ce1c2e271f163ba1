#include "server/service/subscriber_hub.h"

#include <algorithm>
#include <chrono>

#include "server/service/proto_convert.h"

namespace airprox {


bool SubscriberHub::Offer(Subscription* s, const Subscription::EventPtr& pb) {
  switch (s->Enqueue(pb)) {
    case Subscription::Queued::kYes: ++events_queued_; return true;
    case Subscription::Queued::kCoalesced: ++events_queued_; ++coalesced_; return true;
    case Subscription::Queued::kGap: ++overflows_; return true;
    case Subscription::Queued::kClosing: return false;
  }
  return false;
}

Subscription* SubscriberHub::Register(EncounterFilter filter, bool live,
                                      grpc::CallbackServerContext* context, StreamSlot slot) {
  auto* s = new Subscription(*this, options_.queue_capacity, std::move(filter));
  s->set_context(context);
  s->set_slot(std::move(slot));
  std::lock_guard lock(mu_);
  if (closed_) {
    s->Close(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the server is shutting down"));
  } else {
    subscribers_.emplace(s, live);
  }
  return s;
}

Subscription* SubscriberHub::Add(EncounterFilter filter, grpc::CallbackServerContext* context,
                                 StreamSlot slot) {
  return Register(std::move(filter), true, context, std::move(slot));
}

Subscription* SubscriberHub::AddPending(EncounterFilter filter, grpc::CallbackServerContext* context,
                                        StreamSlot slot) {
  return Register(std::move(filter), false, context, std::move(slot));
}

Subscription* SubscriberHub::AddResuming(EncounterFilter filter, std::uint64_t from_sequence,
                                         grpc::CallbackServerContext* context, StreamSlot slot) {
  auto* s = new Subscription(*this, options_.queue_capacity, std::move(filter));
  s->set_context(context);
  s->set_slot(std::move(slot));
  std::lock_guard lock(mu_);  // OnEvents holds it too: nothing can slip in between
  if (closed_) {
    s->Close(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the server is shutting down"));
    return s;
  }
  subscribers_.emplace(s, true);
  const std::uint64_t first_held = history_.empty() ? last_sequence_ + 1 : history_.front().first.sequence;
  if (from_sequence + 1 < first_held && from_sequence < last_sequence_) {
    v1::EncounterEvent gap;
    gap.set_kind(v1::EncounterEvent::GAP);
    gap.set_gap_first_sequence(from_sequence + 1);
    gap.set_gap_last_sequence(first_held - 1);
    gap.set_sequence(first_held - 1);
    if (!Offer(s, Encode(gap))) return s;
  }
  for (const auto& [e, pb] : history_) {
    if (e.sequence <= from_sequence || !s->selection().Select(e)) continue;
    if (!Offer(s, pb)) break;
  }
  return s;
}

void SubscriberHub::Preload(const std::vector<v1::EncounterEvent>& events) {
  std::lock_guard lock(mu_);
  for (const auto& pb : events) {
    last_sequence_ = pb.sequence();
    if (options_.history_events == 0) continue;
    if (history_.size() == options_.history_events) history_.pop_front();
    history_.emplace_back(FromProto(pb), Encode(pb));
  }
}

void SubscriberHub::Start() {
  std::lock_guard lock(mu_);
  if (heartbeat_.joinable()) return;
  stopping_ = false;
  // One thread for the two wall-clock duties: heartbeats, and the per-write deadline.
  heartbeat_ = std::thread([this] {
    using Clock = std::chrono::steady_clock;
    const auto heartbeat = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(options_.heartbeat_s));
    const auto write_timeout = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(options_.write_timeout_s));
    // Deadlines are checked at a tenth of the timeout (at most every second): a stalled stream is
    // ended between 1x and 1.1x write_timeout_s.
    const auto tick = std::min({heartbeat, write_timeout / 10,
                                std::chrono::duration_cast<Clock::duration>(std::chrono::seconds(1))});
    auto next_beat = Clock::now() + heartbeat;
    std::unique_lock lock(mu_);
    while (!heartbeat_cv_.wait_for(lock, tick, [this] { return stopping_; })) {
      const auto now = Clock::now();
      for (auto& [s, live] : subscribers_) {
        if (s->CancelIfWriteStalled(now - write_timeout)) ++write_timeouts_;
      }
      if (now < next_beat) continue;
      next_beat = now + heartbeat;
      v1::EncounterEvent beat;
      beat.set_kind(v1::EncounterEvent::HEARTBEAT);
      beat.set_sequence(last_sequence_);
      const auto hb = Encode(beat);
      for (auto& [s, live] : subscribers_) {
        if (live) Offer(s, hb);
      }
    }
  });
}

void SubscriberHub::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  heartbeat_cv_.notify_all();
  if (heartbeat_.joinable()) heartbeat_.join();
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
    v1::EncounterEvent pb;
    ToProto(e, &pb);
    pb.set_snapshot(true);
    if (!Offer(s, Encode(pb))) break;
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
    v1::EncounterEvent pb;
    ToProto(e, &pb);
    encoded.push_back(Encode(pb));
  }
  std::lock_guard lock(mu_);
  for (std::size_t i = 0; i < events.size(); ++i) {
    last_sequence_ = events[i].sequence;
    if (options_.history_events == 0) continue;
    if (history_.size() == options_.history_events) history_.pop_front();
    history_.emplace_back(events[i], encoded[i]);
  }
  for (auto& [s, live] : subscribers_) {
    if (!live) continue;
    for (std::size_t i = 0; i < events.size(); ++i) {
      if (!s->selection().Select(events[i])) continue;
      if (!Offer(s, encoded[i])) break;
    }
  }
}

std::size_t SubscriberHub::subscribers() const {
  std::lock_guard lock(mu_);
  return subscribers_.size();
}

}  // namespace airprox
