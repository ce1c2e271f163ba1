// Fan-out of encounter events to subscribers, below gRPC: encoding an EncounterEvent once and
// sharing its bytes (what SubscriberHub does) against encoding it once per subscriber, and
// SubscriberHub::OnEvents to 1, 100 and 1000 subscriptions. The subscriptions are not bound to a
// call: each write they start is completed at once by the benchmark (OnWriteDone), so the figures
// are the hub's and the queues' own work, without the transport.
//   ./build/tests/fanout_benchmark [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <vector>

#include "server/service/proto_convert.h"
#include "server/service/subscriber_hub.h"
#include "server/service/subscription.h"

namespace airprox {
namespace {

Position Report(const char* id, const char* callsign, double lat, double lon) {
  Position p;
  p.track_id = id;
  p.callsign = callsign;
  p.time_s = 1533117600.5;
  p.lat_deg = lat;
  p.lon_deg = lon;
  p.alt_ft = 35000;
  p.ground_speed_kt = 450;
  p.track_deg = 270;
  p.vertical_rate_fpm = 0;
  p.category = "A3";
  return p;
}

// A typical STARTED event, both aircraft's reports included.
EncounterEvent Started(std::uint64_t sequence) {
  EncounterEvent e;
  e.sequence = sequence;
  e.encounter_id = "3900fb-39c424-1533117600500";
  e.kind = EncounterKind::kStarted;
  e.severity = Severity::kWarning;
  e.rule = "loss-of-separation";
  e.time_s = 1533117600.5;
  e.a = Report("3900fb", "FWKDL", 46.5, 8.0);
  e.b = Report("39c424", "AFR787V", 46.5, 8.02);
  e.horizontal_nm = 0.83;
  e.vertical_ft = 0;
  e.cpa_horizontal_nm = 0.83;
  e.closest = {0.83, 0, 1533117600.5, 46.5, 8.0, 46.5, 8.02};
  e.start_time_s = e.time_s;
  e.max_severity = Severity::kWarning;
  return e;
}

// What the hub does: one encoding, then one shared reference per subscriber.
void BM_EncodeOnceShared(benchmark::State& state) {
  const auto subscribers = static_cast<std::size_t>(state.range(0));
  const EncounterEvent e = Started(1);
  std::vector<grpc::ByteBuffer> per_subscriber(subscribers);
  for (auto _ : state) {
    v1::EncounterEvent pb;
    ToProto(e, &pb);
    const auto wire = Encode(pb);
    for (auto& b : per_subscriber) b = wire->bytes;
    benchmark::DoNotOptimize(per_subscriber.data());
  }
  state.SetItemsProcessed(state.iterations());  // events
  state.counters["deliveries/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * subscribers), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EncodeOnceShared)->Arg(1)->Arg(100)->Arg(1000);

// The naive alternative: every subscriber's stream converts and serializes the event itself.
void BM_EncodePerSubscriber(benchmark::State& state) {
  const auto subscribers = static_cast<std::size_t>(state.range(0));
  const EncounterEvent e = Started(1);
  std::vector<grpc::ByteBuffer> per_subscriber(subscribers);
  for (auto _ : state) {
    for (auto& b : per_subscriber) {
      v1::EncounterEvent pb;
      ToProto(e, &pb);
      bool own = false;
      b.Clear();  // the serializer writes into an empty buffer only
      (void)grpc::SerializationTraits<v1::EncounterEvent>::Serialize(pb, &b, &own);
    }
    benchmark::DoNotOptimize(per_subscriber.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["deliveries/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * subscribers), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EncodePerSubscriber)->Arg(1)->Arg(100)->Arg(1000);

// SubscriberHub::OnEvents with one event to N live subscriptions (no filter), each write then
// completed at once, as a fast reader would.
void BM_HubOnEvents(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  SubscriberHub hub({});
  std::vector<Subscription*> subs;
  for (std::size_t i = 0; i < n; ++i) subs.push_back(hub.Add());
  std::uint64_t sequence = 0;
  std::vector<EncounterEvent> events = {Started(0)};
  for (auto _ : state) {
    events[0].sequence = ++sequence;
    hub.OnEvents(events);
    for (Subscription* s : subs) s->OnWriteDone(true);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["deliveries/s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * n), benchmark::Counter::kIsRate);
  if (hub.events_queued() != state.iterations() * n) state.SkipWithError("an event was not queued");
  for (Subscription* s : subs) {
    hub.Remove(s);
    delete s;  // never bound to a call: nothing else refers to it
  }
}
BENCHMARK(BM_HubOnEvents)->Arg(1)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace airprox

BENCHMARK_MAIN();
