#include "server/service/subscriber_hub.h"

#include <pthread.h>

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

Subscription* SubscriberHub::Register(EncounterFilter filter, bool live, grpc::CallbackServerContext* context,
                                      StreamSlot slot) {
  auto* s = new Subscription(*this, options_.queue_capacity, std::move(filter));
  s->set_context(context);
  s->set_slot(std::move(slot));
  std::lock_guard lock(mu_);
  if (closed_) {
    s->Close(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the server is shutting down"));
  } else {
    // Live from the call on: events that detection made before it and that are still in the
    // outbox are not for this subscriber.
    s->set_id(++next_id_);
    subscribers_.emplace(s, Member{live, produced_sequence_.load(), s->id()});
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
  // Fan-out holds mu_ too: the history is every event fanned out so far, and every later one
  // (those still in the outbox included) comes live, with nothing slipping in between.
  std::lock_guard lock(mu_);
  if (closed_) {
    s->Close(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the server is shutting down"));
    return s;
  }
  // Live: every event not fanned out yet, but none up to the cursor when detection has made it
  // (a cursor past that comes from another run without a journal: everything live is new).
  s->set_id(++next_id_);
  const std::uint64_t live_after = std::max(last_sequence_, std::min(from_sequence, produced_sequence_.load()));
  subscribers_.emplace(s, Member{true, live_after, s->id()});
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
    if (e.sequence <= from_sequence || !s->Selects(e)) continue;
    if (!Offer(s, pb)) break;
  }
  return s;
}

void SubscriberHub::Preload(const std::vector<v1::EncounterEvent>& events) {
  std::lock_guard lock(mu_);
  for (const auto& pb : events) {
    last_sequence_ = pb.sequence();
    produced_sequence_.store(last_sequence_);
    if (options_.history_events == 0) continue;
    if (history_.size() == options_.history_events) history_.pop_front();
    history_.emplace_back(FromProto(pb), Encode(pb));
  }
}

void SubscriberHub::Start() {
  std::lock_guard lock(outbox_mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  running_ = true;
  thread_ = std::thread([this] { Run(); });
}

void SubscriberHub::Stop() {
  {
    std::lock_guard lock(outbox_mu_);
    stopping_ = true;
    running_ = false;  // from now on, OnEvents delivers on its own thread, after what is queued
  }
  outbox_cv_.notify_all();
  outbox_room_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SubscriberHub::Run() {
  pthread_setname_np(pthread_self(), "airprox-hub");
  using Clock = std::chrono::steady_clock;
  const auto heartbeat = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(options_.heartbeat_s));
  const auto write_timeout = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(options_.write_timeout_s));
  // Deadlines are checked at a tenth of the timeout (at most every second): a stalled stream is
  // ended between 1x and 1.1x write_timeout_s.
  const auto tick = std::min({heartbeat, write_timeout / 10,
                              std::chrono::duration_cast<Clock::duration>(std::chrono::seconds(1))});
  auto next_tick = Clock::now() + tick;
  auto next_beat = Clock::now() + heartbeat;
  std::unique_lock outbox(outbox_mu_);
  while (true) {
    outbox_cv_.wait_until(outbox, next_tick, [this] { return stopping_ || !outbox_.empty(); });
    if (!outbox_.empty()) {
      outbox.unlock();
      {
        std::lock_guard lock(mu_);
        FlushOutboxLocked();
      }
      outbox.lock();
      continue;  // the outbox first; ticks when it is empty or at the latest after this
    }
    if (stopping_) break;
    const auto now = Clock::now();
    if (now < next_tick) continue;
    next_tick = now + tick;
    const bool beat = now >= next_beat;
    if (beat) next_beat = now + heartbeat;
    outbox.unlock();
    {
      std::lock_guard lock(mu_);
      TickLocked(now - write_timeout, beat);
    }
    outbox.lock();
  }
}

void SubscriberHub::TickLocked(std::chrono::steady_clock::time_point stalled_before, bool beat) {
  for (auto& [s, m] : subscribers_) {
    if (s->CancelIfWriteStalled(stalled_before)) ++write_timeouts_;
  }
  if (!beat) return;
  v1::EncounterEvent pb;
  pb.set_kind(v1::EncounterEvent::HEARTBEAT);
  pb.set_sequence(last_sequence_);
  const auto hb = Encode(pb);
  for (auto& [s, m] : subscribers_) {
    if (m.live) Offer(s, hb);
  }
}

bool SubscriberHub::Post(OutboxItem& item, std::size_t events) {
  std::unique_lock lock(outbox_mu_);
  if (running_ && outbox_events_ > 0 && outbox_events_ + events > options_.outbox_capacity) {
    ++outbox_waits_;
    outbox_room_.wait(lock, [&] {
      return !running_ || outbox_events_ == 0 || outbox_events_ + events <= options_.outbox_capacity;
    });
  }
  if (!running_) return false;
  outbox_.push_back(std::move(item));
  outbox_events_ += events;
  outbox_cv_.notify_one();
  return true;
}

void SubscriberHub::FlushOutboxLocked() {
  std::deque<OutboxItem> items;
  {
    std::lock_guard lock(outbox_mu_);
    items.swap(outbox_);
    outbox_events_ = 0;
  }
  outbox_room_.notify_all();
  for (OutboxItem& item : items) ProcessLocked(item);
}

void SubscriberHub::ProcessLocked(OutboxItem& item) {
  if (auto* events = std::get_if<std::vector<EncounterEvent>>(&item)) {
    DeliverLocked(*events);
  } else {
    ActivateLocked(std::get<Activation>(item));
  }
}

Subscription* SubscriberHub::Refused(grpc::Status status) {
  auto* s = new Subscription(*this, 1);
  s->Close(std::move(status));
  return s;
}

void SubscriberHub::Activate(Subscription* s, std::uint64_t id, std::vector<EncounterEvent> active) {
  const std::size_t events = std::max<std::size_t>(1, active.size());
  OutboxItem item = Activation{s, id, std::move(active)};
  if (Post(item, events)) return;
  std::lock_guard lock(mu_);
  FlushOutboxLocked();
  ProcessLocked(item);
}

void SubscriberHub::ActivateLocked(Activation& a) {
  auto it = subscribers_.find(a.subscription);
  if (it == subscribers_.end() || it->second.id != a.id) return;
  // Every event before this point has been fanned out (the outbox keeps detection's order) and the
  // snapshot is the state after them: the subscriber gets every later event.
  it->second.live = true;
  it->second.live_after = 0;
  Subscription* s = a.subscription;
  for (const EncounterEvent& e : a.active) {
    if (!s->Selects(e)) continue;
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
  FlushOutboxLocked();  // what detection handed over (the shutdown's ENDED events) goes first
  closed_ = true;
  for (auto& [s, m] : subscribers_) s->Close(grpc::Status::OK);
}

void SubscriberHub::OnEvents(const std::vector<EncounterEvent>& events) {
  if (events.empty()) return;
  produced_sequence_.store(events.back().sequence);
  OutboxItem item = events;
  if (Post(item, events.size())) return;
  std::lock_guard lock(mu_);
  FlushOutboxLocked();
  DeliverLocked(events);
}

void SubscriberHub::DeliverLocked(const std::vector<EncounterEvent>& events) {
  std::vector<Subscription::EventPtr> encoded;
  encoded.reserve(events.size());
  for (const EncounterEvent& e : events) {
    v1::EncounterEvent pb;
    ToProto(e, &pb);
    encoded.push_back(Encode(pb));
  }
  for (std::size_t i = 0; i < events.size(); ++i) {
    last_sequence_ = events[i].sequence;
    if (options_.history_events == 0) continue;
    if (history_.size() == options_.history_events) history_.pop_front();
    history_.emplace_back(events[i], encoded[i]);
  }
  for (auto& [s, m] : subscribers_) {
    if (!m.live) continue;
    for (std::size_t i = 0; i < events.size(); ++i) {
      if (events[i].sequence <= m.live_after || !s->Selects(events[i])) continue;
      if (!Offer(s, encoded[i])) break;
    }
  }
}

std::size_t SubscriberHub::subscribers() const {
  std::lock_guard lock(mu_);
  return subscribers_.size();
}

}  // namespace airprox
