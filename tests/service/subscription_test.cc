// The overflow policy of one subscription's queue. The reactor is not bound to a call, so its first
// write never completes: a subscriber that stopped reading.
#include "server/service/subscription.h"

#include <gtest/gtest.h>

#include "server/service/subscriber_hub.h"

namespace airprox {
namespace {

Subscription::EventPtr Event(std::uint64_t seq, v1::EncounterEvent::Kind kind, const char* id) {
  v1::EncounterEvent e;
  e.set_sequence(seq);
  e.set_kind(kind);
  e.set_encounter_id(id);
  return Encode(e);
}

TEST(Subscription, FullQueueCoalescesUpdatesThenReplacesWhatItHoldsWithAGap) {
  SubscriberHub hub({});
  auto s = std::make_unique<Subscription>(hub, 2);
  using K = v1::EncounterEvent;
  EXPECT_EQ(s->Enqueue(Event(1, K::STARTED, "x")), Subscription::Queued::kYes);  // in flight, stuck
  EXPECT_EQ(s->Enqueue(Event(2, K::UPDATED, "x")), Subscription::Queued::kYes);
  EXPECT_EQ(s->Enqueue(Event(3, K::STARTED, "y")), Subscription::Queued::kYes);  // queue full (2)
  // A newer state of x replaces the queued UPDATED of x.
  EXPECT_EQ(s->Enqueue(Event(4, K::UPDATED, "x")), Subscription::Queued::kCoalesced);
  EXPECT_EQ(s->Enqueue(Event(5, K::ENDED, "x")), Subscription::Queued::kCoalesced);
  // Nothing left to coalesce for y: the queue (3 and 5) and the new event (6) become GAP 3..6.
  EXPECT_EQ(s->Enqueue(Event(6, K::UPDATED, "y")), Subscription::Queued::kGap);
  EXPECT_EQ(s->Enqueue(Event(7, K::STARTED, "z")), Subscription::Queued::kYes);  // the stream goes on
  // Full again (GAP 3..6, 7): the waiting GAP widens to 3..8.
  EXPECT_EQ(s->Enqueue(Event(8, K::STARTED, "w")), Subscription::Queued::kGap);
  s->Close(grpc::Status::OK);
  EXPECT_EQ(s->Enqueue(Event(9, K::STARTED, "v")), Subscription::Queued::kClosing);
}

}  // namespace
}  // namespace airprox
