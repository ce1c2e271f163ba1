// One Encounters.Subscribe stream: a bounded queue of serialized-once events and the gRPC write
// reactor that drains it. Never blocks the caller of Enqueue (the detection thread).
//
// Overflow policy, when the queue is full: an UPDATED or ENDED event first replaces a queued
// UPDATED event of the same encounter (coalescing: the client sees the newer state, and a skipped
// sequence number). Failing that, the queued events and the new one are replaced by one GAP event
// naming the skipped range (merged with a GAP already waiting), so a subscriber never loses events
// silently and the stream goes on; the client can fetch the range with from_sequence while the
// server still holds it. The hub counts both.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

#include <grpcpp/support/byte_buffer.h>

#include "airprox/v1/airprox.grpc.pb.h"
#include "server/core/encounter_filter.h"
#include "server/service/stream_grants.h"
#include "server/service/stream_limiter.h"

namespace airprox {

class SubscriberHub;

// An event serialized once for every subscriber, with what the queue policy needs to know of it.
struct WireEvent {
  v1::EncounterEvent::Kind kind = v1::EncounterEvent::KIND_UNSPECIFIED;
  std::uint64_t sequence = 0;
  std::uint64_t gap_first = 0, gap_last = 0;  // for GAP
  std::string encounter_id;
  grpc::ByteBuffer bytes;  // the serialized EncounterEvent; copies share its slices
};
std::shared_ptr<const WireEvent> Encode(const v1::EncounterEvent& event);

// The stream writes raw bytes (Encounters.Subscribe is a raw callback method): each event is
// serialized once in the hub, not once per subscriber.
class Subscription final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  using EventPtr = std::shared_ptr<const WireEvent>;

  Subscription(SubscriberHub& hub, std::size_t capacity, EncounterFilter filter = {});

  // Whether the subscriber gets `e`: its filter with memory (encounter_filter.h; none for an empty
  // filter). Used by the hub only, under its lock.
  bool Selects(const EncounterEvent& e) { return selection_.Select(e); }
  // Unique within the hub (never reused, unlike the address); 0 until the hub registers it.
  std::uint64_t id() const { return id_; }
  void set_id(std::uint64_t id) { id_ = id; }

  enum class Queued { kYes, kCoalesced, kGap, kClosing };
  // Queues an event. kGap: the queue was full and what it held is now a GAP event;
  // kClosing: the stream is already ending and takes no more events.
  Queued Enqueue(const EventPtr& event);
  // Ends the stream with `status` once what is queued has been written.
  void Close(grpc::Status status);

  // The call's context, so that a stalled write can be cancelled. Set before the reactor is
  // returned to gRPC; null for a refused subscription.
  void set_context(grpc::CallbackServerContext* context) { context_ = context; }
  // The stream's place under the stream limits, given back when the stream is done.
  void set_slot(StreamSlot slot) { slot_ = std::move(slot); }
  // The stream's token, for a token-file reload to revoke (it then calls Close).
  void set_grant(StreamGrant grant) { grant_ = std::move(grant); }
  // The per-write deadline: when a write has been in flight since before `deadline` (the peer
  // reads nothing: dead, or stalled for good), cancels the call and returns true. The hub calls it
  // under its lock, which keeps this reactor and its context alive: OnDone removes it from the hub
  // first, and gRPC schedules OnDone (and OnCancel) on its own threads for reactors that are not
  // InternalInlineable() (grpcpp/support/server_callback.h), never inline in TryCancel.
  bool CancelIfWriteStalled(std::chrono::steady_clock::time_point deadline);

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  // Under mu_: decides the next action; the caller performs it outside the lock.
  struct Action {
    const grpc::ByteBuffer* write = nullptr;
    std::optional<grpc::Status> finish;
  };
  Action NextLocked();
  void Perform(const Action& a);

  SubscriberHub& hub_;
  const std::size_t capacity_;
  EncounterSelection selection_;
  std::uint64_t id_ = 0;
  std::mutex mu_;
  std::deque<EventPtr> queue_;
  EventPtr in_flight_;
  grpc::ByteBuffer in_flight_bytes_;  // this stream's reference to in_flight_'s bytes
  bool writing_ = false;
  std::chrono::steady_clock::time_point write_started_;
  bool cancelled_ = false;
  grpc::CallbackServerContext* context_ = nullptr;
  StreamSlot slot_;
  bool finished_ = false;
  std::optional<grpc::Status> closing_;
  StreamGrant grant_;  // last, so destroyed first: no Close from a revocation once deletion starts
};

}  // namespace airprox
