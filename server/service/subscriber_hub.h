// Fan-out of encounter events to every subscriber: each event is serialized once, then shared by
// every subscriber's bounded queue.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "server/pipeline/event_sink.h"
#include "server/service/subscription.h"

namespace airprox {

struct SubscriberHubOptions {
  // Events queued per subscriber; past it, UPDATED events are coalesced, then a GAP event stands
  // for what could not be queued (see subscription.h).
  std::size_t queue_capacity = 4096;
  // Most recent events kept in memory for resuming subscribers (from_sequence). Count, >= 0.
  std::size_t history_events = 100000;
  // Every this many seconds (wall clock) each subscriber gets a HEARTBEAT. Seconds, > 0.
  double heartbeat_s = 10.0;
  // A write to a subscriber that has not completed after this long (the peer reads nothing: it is
  // dead, or stalled for good) ends that stream with CANCELLED. Seconds, > 0. Dead peers are also
  // found by gRPC keepalive pings (see server.cc).
  double write_timeout_s = 30.0;
};

class SubscriberHub final : public EventSink {
 public:
  explicit SubscriberHub(SubscriberHubOptions options) : options_(options) {}

  // A new subscription receiving live events from now on; once the hub is closed, one that ends at
  // once with UNAVAILABLE.
  // `slot`: the stream's place under the stream limits (stream_limiter.h), held until it is done.
  Subscription* Add(EncounterFilter filter = {}, grpc::CallbackServerContext* context = nullptr,
                    StreamSlot slot = {});
  // A new subscription that receives nothing until Activate: for a snapshot without a gap.
  Subscription* AddPending(EncounterFilter filter, grpc::CallbackServerContext* context = nullptr,
                           StreamSlot slot = {});
  // On the detection thread: queues the snapshot (the active encounters that the subscriber's
  // filter selects, marked snapshot) and makes the subscription live, between two batches, so that
  // nothing is missed or sent twice. Does nothing when the subscription is already gone.
  void Activate(Subscription* s, const std::vector<EncounterEvent>& active);
  // A new subscription that first receives the held events after `from_sequence` (a GAP event
  // first when some are no longer held), then live events, with no gap and no duplicate.
  Subscription* AddResuming(EncounterFilter filter, std::uint64_t from_sequence,
                            grpc::CallbackServerContext* context = nullptr, StreamSlot slot = {});
  // A subscription that ends at once with `status` (a refused request).
  Subscription* Refused(grpc::Status status);
  void Remove(Subscription* s);
  // Refuses new subscribers and ends every stream with OK after its queue is flushed.
  void Close();

  void OnEvents(const std::vector<EncounterEvent>& events) override;

  // Before Start: the events of an earlier run (from the journal), oldest first, as history for
  // resuming subscribers.
  void Preload(const std::vector<v1::EncounterEvent>& events);

  // Starts and stops the thread of heartbeats and write deadlines.
  void Start();
  void Stop();
  ~SubscriberHub() override { Stop(); }

  std::size_t subscribers() const;
  std::uint64_t overflows() const { return overflows_.load(); }  // GAP events made by overflow
  std::uint64_t events_queued() const { return events_queued_.load(); }
  std::uint64_t coalesced() const { return coalesced_.load(); }
  std::uint64_t write_timeouts() const { return write_timeouts_.load(); }  // streams ended so

 private:
  Subscription* Register(EncounterFilter filter, bool live, grpc::CallbackServerContext* context,
                         StreamSlot slot);
  // Queues one event (under mu_); false when the subscription takes no more. Counts.
  bool Offer(Subscription* s, const Subscription::EventPtr& pb);

  SubscriberHubOptions options_;
  mutable std::mutex mu_;
  std::unordered_map<Subscription*, bool> subscribers_;  // value: live (receives events)
  bool closed_ = false;
  std::deque<std::pair<EncounterEvent, Subscription::EventPtr>> history_;
  std::uint64_t last_sequence_ = 0;
  std::thread heartbeat_;
  std::condition_variable heartbeat_cv_;
  bool stopping_ = false;
  std::atomic<std::uint64_t> overflows_{0};
  std::atomic<std::uint64_t> events_queued_{0};
  std::atomic<std::uint64_t> coalesced_{0};
  std::atomic<std::uint64_t> write_timeouts_{0};
};

}  // namespace airprox
