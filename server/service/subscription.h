// One Encounters.Subscribe stream: a bounded queue of serialized-once events and the gRPC write
// reactor that drains it. Never blocks the caller of Enqueue (the detection thread).
//
// Overflow policy, when the queue is full: an UPDATED or ENDED event first replaces a queued
// UPDATED event of the same encounter (coalescing: the client sees the newer state, and a skipped
// sequence number); failing that, the stream is ended with RESOURCE_EXHAUSTED naming the number
// of events that could not be delivered, so a subscriber never loses events silently. The hub
// counts both. The client reconnects with from_sequence to get what it missed.
#pragma once

#include <deque>
#include <memory>
#include <mutex>
#include <optional>

#include <grpcpp/support/byte_buffer.h>

#include "airprox/v1/airprox.grpc.pb.h"
#include "server/core/encounter_filter.h"

namespace airprox {

class SubscriberHub;

// An event serialized once for every subscriber, with what the queue policy needs to know of it.
struct WireEvent {
  v1::EncounterEvent::Kind kind = v1::EncounterEvent::KIND_UNSPECIFIED;
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

  // The subscriber's filter with memory. Used by the hub only, under its lock.
  EncounterSelection& selection() { return selection_; }

  enum class Queued { kYes, kCoalesced, kOverflow, kClosing };
  // Queues an event. kOverflow: the queue was full and the stream is now being ended;
  // kClosing: the stream is already ending and takes no more events.
  Queued Enqueue(const EventPtr& event);
  // Ends the stream with `status` once what is queued has been written.
  void Close(grpc::Status status);

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
  std::mutex mu_;
  std::deque<EventPtr> queue_;
  EventPtr in_flight_;
  grpc::ByteBuffer in_flight_bytes_;  // this stream's reference to in_flight_'s bytes
  bool writing_ = false;
  bool finished_ = false;
  std::optional<grpc::Status> closing_;
};

}  // namespace airprox
