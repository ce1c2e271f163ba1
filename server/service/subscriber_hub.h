// Fan-out of encounter events to every subscriber: each event is serialized once, then shared by
// every subscriber's bounded queue.
//
// The detection thread only hands each batch's events to the hub's own thread (a bounded outbox);
// that thread encodes them, keeps the history, applies every subscriber's filter and queues the
// events, starting the writes of idle streams. Starting a write costs tens of microseconds inside
// gRPC (a send on that subscriber's connection): with 1,000 subscribers, about 24 ms per event,
// which on the detection thread stalled ingest. Before Start and after Stop (no thread), events
// are delivered on the caller's thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <variant>
#include <vector>

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
  // Events (and snapshot activations) handed over by the detection thread and not yet fanned out
  // by the hub's thread. When full, the detection thread waits for the hub's thread (backpressure,
  // never for a subscriber: the hub's thread does not wait on streams), counted by outbox_waits().
  std::size_t outbox_capacity = 65536;
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
  // On the detection thread, between two batches: `active` is the detector's state there. The
  // subscription gets the snapshot (the active encounters that its filter selects, marked
  // snapshot), then every event of later batches, so that nothing is missed or sent twice. Does
  // nothing when the subscription is already gone. `id`: s->id(), read while s was surely alive
  // (by the time this runs, the stream may have ended and its address been reused).
  void Activate(Subscription* s, std::uint64_t id, std::vector<EncounterEvent> active);
  // A new subscription that first receives the held events after `from_sequence` (a GAP event
  // first when some are no longer held), then live events, with no gap and no duplicate.
  Subscription* AddResuming(EncounterFilter filter, std::uint64_t from_sequence,
                            grpc::CallbackServerContext* context = nullptr, StreamSlot slot = {});
  // A subscription that ends at once with `status` (a refused request).
  Subscription* Refused(grpc::Status status);
  void Remove(Subscription* s);
  // Refuses new subscribers and ends every stream with OK after its queue is flushed.
  void Close();

  // On the detection thread: hands the events to the hub's thread (waits only while the outbox is
  // full); without a running thread, delivers them at once.
  void OnEvents(const std::vector<EncounterEvent>& events) override;

  // Before Start: the events of an earlier run (from the journal), oldest first, as history for
  // resuming subscribers.
  void Preload(const std::vector<v1::EncounterEvent>& events);

  // Starts and stops the hub's thread: fan-out, heartbeats and write deadlines. Stop delivers what
  // the outbox holds first.
  void Start();
  void Stop();
  ~SubscriberHub() override { Stop(); }

  std::size_t subscribers() const;
  std::uint64_t overflows() const { return overflows_.load(); }  // GAP events made by overflow
  std::uint64_t events_queued() const { return events_queued_.load(); }
  std::uint64_t coalesced() const { return coalesced_.load(); }
  std::uint64_t write_timeouts() const { return write_timeouts_.load(); }  // streams ended so
  // Times the detection thread waited for room in the outbox (options.outbox_capacity).
  std::uint64_t outbox_waits() const { return outbox_waits_.load(); }

 private:
  Subscription* Register(EncounterFilter filter, bool live, grpc::CallbackServerContext* context,
                         StreamSlot slot);
  // Queues one event (under mu_); false when the subscription takes no more. Counts.
  bool Offer(Subscription* s, const Subscription::EventPtr& pb);

  // What the detection thread hands to the hub's thread, in order.
  struct Activation {
    Subscription* subscription;
    std::uint64_t id;  // Subscription::id(): the address may belong to a newer subscription by then
    std::vector<EncounterEvent> active;
  };
  using OutboxItem = std::variant<std::vector<EncounterEvent>, Activation>;
  // Queues `item` for the hub's thread; false (item untouched) when that thread is not running.
  bool Post(OutboxItem& item, std::size_t events);
  // Under mu_: takes everything from the outbox and processes it, in order. Items leave the
  // outbox only here, under mu_, so events reach subscribers in sequence order whoever delivers.
  void FlushOutboxLocked();
  void ProcessLocked(OutboxItem& item);
  void DeliverLocked(const std::vector<EncounterEvent>& events);
  void ActivateLocked(Activation& a);
  // Under mu_: ends stalled writes; queues a HEARTBEAT to every live subscriber when `beat`.
  void TickLocked(std::chrono::steady_clock::time_point stalled_before, bool beat);
  void Run();

  struct Member {
    bool live = false;              // receives events
    std::uint64_t live_after = 0;   // ... whose sequence is above this
    std::uint64_t id = 0;           // the subscription's id()
  };

  SubscriberHubOptions options_;
  mutable std::mutex mu_;  // before outbox_mu_ when both are held
  std::unordered_map<Subscription*, Member> subscribers_;
  std::uint64_t next_id_ = 0;
  bool closed_ = false;
  std::deque<std::pair<EncounterEvent, Subscription::EventPtr>> history_;
  std::uint64_t last_sequence_ = 0;  // the newest sequence fanned out
  // The newest sequence handed to the hub (OnEvents, Preload): a new subscriber's events start
  // after it.
  std::atomic<std::uint64_t> produced_sequence_{0};

  std::mutex outbox_mu_;
  std::condition_variable outbox_cv_;     // the hub's thread: items, or stopping
  std::condition_variable outbox_room_;   // the detection thread: room in the outbox
  std::deque<OutboxItem> outbox_;
  std::size_t outbox_events_ = 0;
  bool running_ = false;  // the hub's thread takes items
  bool stopping_ = false;
  std::thread thread_;
  std::atomic<std::uint64_t> outbox_waits_{0};
  std::atomic<std::uint64_t> overflows_{0};
  std::atomic<std::uint64_t> events_queued_{0};
  std::atomic<std::uint64_t> coalesced_{0};
  std::atomic<std::uint64_t> write_timeouts_{0};
};

}  // namespace airprox
