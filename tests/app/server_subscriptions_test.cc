// Subscriptions end to end over real gRPC: resume, heartbeats, many subscribers with filters, and
// slow or stalled subscribers.
#include "server/app/server.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <grpcpp/generic/generic_stub.h>

#include "airprox/v1/airprox.grpc.pb.h"
#include "server/app/log_setup.h"
#include "server/service/proto_convert.h"
#include "tests/app/log_test_support.h"
#include "tests/app/server_test_support.h"
#include "tests/core/detector_fixture.h"
#include "tests/feeds/sbs_test_support.h"
#include "tests/app/server_test_clients.h"

namespace airprox {
namespace {

TEST(Server, ResumeFromASequenceWithoutGapOrDuplicate) {
  auto server = testing::StartServer();
  Subscriber live(*server);
  ASSERT_TRUE(testing::WaitForSubscribers(*server, 1));
  std::vector<v1::EncounterEvent> all;
  std::thread reader([&] { all = live.ReadAll(); });
  Converge(*server, 0, 600);
  // A client that saw up to the first event reconnects with its cursor.
  v1::SubscribeRequest resume;
  resume.set_from_sequence(1);
  grpc::ClientContext c;
  auto r = v1::Encounters::NewStub(testing::Dial(*server))->Subscribe(&c, resume);
  ASSERT_TRUE(testing::WaitForSubscribers(*server, 2));
  server->Stop();
  reader.join();
  const auto resumed = ReadUntilStop(*r);
  ASSERT_GE(all.size(), 3u);
  ASSERT_EQ(resumed.size(), all.size() - 1);
  for (std::size_t i = 0; i < resumed.size(); ++i) {
    EXPECT_EQ(resumed[i].sequence(), all[i + 1].sequence());
    EXPECT_EQ(resumed[i].kind(), all[i + 1].kind());
  }
}

TEST(Server, ResumeFromACursorNoLongerHeldStartsWithAGap) {
  Config config = testing::TestConfig();
  config.subscribers.history_events = 1;
  auto server = testing::StartServer(config);
  Converge(*server, 0, 600);  // STARTED, UPDATED, ENDED: only the last is held
  v1::SubscribeRequest resume;
  resume.set_from_sequence(1);
  grpc::ClientContext c;
  auto r = v1::Encounters::NewStub(testing::Dial(*server))->Subscribe(&c, resume);
  ASSERT_TRUE(testing::WaitForSubscribers(*server, 1));
  server->Stop();
  const auto events = ReadUntilStop(*r);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind(), v1::EncounterEvent::GAP);
  EXPECT_EQ(events[0].gap_first_sequence(), 2u);
  EXPECT_EQ(events[0].gap_last_sequence(), events[1].sequence() - 1);
  EXPECT_EQ(events[1].kind(), v1::EncounterEvent::ENDED);
}

TEST(Server, ResumeAcrossARestartWithTheJournal) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("airprox_server_journal_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  Config config = testing::TestConfig();
  config.storage.dir = dir.string();
  std::uint64_t last_before = 0;
  {
    auto server = testing::StartServer(config);
    Converge(*server, 0, 600);
    last_before = server->detection().last_sequence();
    ASSERT_GE(last_before, 3u);
    server->Stop();
  }
  auto server = testing::StartServer(config);  // a new process would do the same
  v1::SubscribeRequest resume;
  resume.set_from_sequence(1);
  grpc::ClientContext c;
  auto r = v1::Encounters::NewStub(testing::Dial(*server))->Subscribe(&c, resume);
  ASSERT_TRUE(testing::WaitForSubscribers(*server, 1));
  Converge(*server, 1000, 300);  // a new encounter after the restart
  server->Stop();
  const auto events = ReadUntilStop(*r);
  std::filesystem::remove_all(dir);
  ASSERT_GT(events.size(), last_before);
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].sequence(), i + 2) << "from 2 on, no gap and no duplicate across the restart";
  }
  EXPECT_EQ(events[last_before - 2].sequence(), last_before);
  EXPECT_EQ(events[last_before - 1].kind(), v1::EncounterEvent::STARTED) << "the new run's first event";
}

TEST(Server, IdleSubscribersGetHeartbeatsWithTheNewestSequence) {
  Config config = testing::TestConfig();
  config.subscribers.heartbeat_s = 0.05;
  auto server = testing::StartServer(config);
  Converge(*server, 0, 600);
  Subscriber sub(*server);
  v1::EncounterEvent e;
  ASSERT_TRUE(sub.reader->Read(&e));
  EXPECT_EQ(e.kind(), v1::EncounterEvent::HEARTBEAT);
  EXPECT_EQ(e.sequence(), server->detection().last_sequence());
  EXPECT_GE(e.sequence(), 2u);
  server->Stop();
}

// The hub fans events out on its own thread, from an outbox that the detection thread fills: a
// subscriber joining while events wait there (plain, with a snapshot, resuming) must still get
// exactly the events after its starting point, in order. An outbox of one event makes the
// detection thread wait for the hub's thread at almost every batch.
TEST(Server, SubscribersJoiningWhileEventsFlowGetNoGapOrDuplicate) {
  Config config = testing::TestConfig();
  config.subscribers.outbox_capacity = 1;
  auto server = testing::StartServer(config);
  auto channel = testing::Dial(*server);
  // 20 copies of the converging pair, 0.8 degrees of longitude apart, each 20 s later than the last.
  std::vector<Flight> flights;
  for (int k = 0; k < 20; ++k) {
    for (Flight f : Converging()) {
      f.id += fmt::format("{:02}", k);
      f.lon += 0.8 * k;
      f.t0 = 20.0 * k;
      flights.push_back(f);
    }
  }
  struct Reader {
    Reader(const std::shared_ptr<grpc::Channel>& channel, const v1::SubscribeRequest& request)
        : stub(v1::Encounters::NewStub(channel)), reader(stub->Subscribe(&context, request)),
          thread([this] { events = ReadUntilStop(*reader); }) {}
    std::unique_ptr<v1::Encounters::Stub> stub;
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientReader<v1::EncounterEvent>> reader;
    std::vector<v1::EncounterEvent> events;
    std::thread thread;
  };
  Reader all(channel, v1::SubscribeRequest());
  ASSERT_TRUE(testing::WaitForSubscribers(*server, 1));
  auto ingest = v1::TrackIngest::NewStub(channel);
  grpc::ClientContext ctx;
  auto stream = ingest->Ingest(&ctx);
  std::vector<std::unique_ptr<Reader>> joined;
  v1::SubscribeRequest snapshot, resume;
  snapshot.set_snapshot(true);
  resume.set_from_sequence(3);
  int unacked = 0;
  v1::IngestAck ack;
  for (double t = 0; t <= 800; t += 2) {
    v1::PositionBatch batch;
    for (const Flight& f : flights) {
      if (t >= f.t0) ToProto(f.At(t), batch.add_positions());
    }
    ASSERT_TRUE(stream->Write(batch));  // no wait for the ack: events keep coming while they join
    ++unacked;
    if (t == 300 || t == 400 || t == 500) {
      // Detection has made the events so far (some may still wait in the outbox): the resuming
      // subscriber's cursor (3) is one a client could have seen.
      for (; unacked > 0; --unacked) ASSERT_TRUE(stream->Read(&ack));
      joined.push_back(std::make_unique<Reader>(channel, v1::SubscribeRequest()));
      joined.push_back(std::make_unique<Reader>(channel, snapshot));
      joined.push_back(std::make_unique<Reader>(channel, resume));
    }
  }
  stream->WritesDone();
  while (stream->Read(&ack)) {
  }
  ASSERT_TRUE(stream->Finish().ok());
  ASSERT_TRUE(testing::WaitForSubscribers(*server, 10));
  server->Stop();
  all.thread.join();
  for (auto& r : joined) r->thread.join();

  const auto& ref = all.events;
  ASSERT_GT(ref.size(), 40u);
  for (std::size_t i = 0; i < ref.size(); ++i) ASSERT_EQ(ref[i].sequence(), i + 1) << "no gap";
  // The events of `got` from index `from` on are those of ref from sequence `first` to the end.
  auto suffix_of_ref = [&](const std::vector<v1::EncounterEvent>& got, std::size_t from) {
    ASSERT_LT(from, got.size());
    const std::uint64_t first = got[from].sequence();
    ASSERT_EQ(got.size() - from, ref.size() - (first - 1)) << "from sequence " << first;
    for (std::size_t i = from; i < got.size(); ++i) {
      EXPECT_EQ(got[i].sequence(), first + (i - from));
      EXPECT_EQ(got[i].encounter_id(), ref[first - 1 + (i - from)].encounter_id());
      EXPECT_FALSE(got[i].snapshot());
    }
  };
  for (std::size_t j = 0; j < joined.size(); j += 3) {
    SCOPED_TRACE(fmt::format("subscribers joined at the {}th point", j / 3));
    suffix_of_ref(joined[j]->events, 0);
    // The snapshot: the encounters active just before its first live event, then that event on.
    const auto& snap = joined[j + 1]->events;
    std::size_t n = 0;
    std::set<std::string> snapshot_ids;
    while (n < snap.size() && snap[n].snapshot()) snapshot_ids.insert(snap[n++].encounter_id());
    suffix_of_ref(snap, n);
    std::set<std::string> active;
    for (std::uint64_t seq = 1; seq < snap[n].sequence(); ++seq) {
      const auto& e = ref[seq - 1];
      if (e.kind() == v1::EncounterEvent::ENDED) {
        active.erase(e.encounter_id());
      } else {
        active.insert(e.encounter_id());
      }
    }
    EXPECT_EQ(snapshot_ids, active);
    EXPECT_EQ(snapshot_ids.size(), n) << "each active encounter once";
    const auto& resumed = joined[j + 2]->events;
    ASSERT_FALSE(resumed.empty());
    EXPECT_EQ(resumed.front().sequence(), 4u);
    suffix_of_ref(resumed, 0);
  }
}

TEST(Server, AThousandSubscribersEachGetExactlyWhatTheirFilterSelects) {
  auto server = testing::StartServer();
  auto channel = testing::Dial(*server);
  // Four converging pairs, 5 degrees of longitude apart, ids p<k>a / p<k>b, callsigns K<k>A / K<k>B.
  std::vector<Flight> flights;
  for (int k = 0; k < 4; ++k) {
    for (Flight f : Converging()) {
      const bool first = f.id == "4b1814";
      f.id = fmt::format("p{}{}", k, first ? 'a' : 'b');
      f.callsign = fmt::format("K{}{}", k, first ? 'A' : 'B');
      f.lon += 5 * k;
      flights.push_back(f);
    }
  }
  constexpr int kSubscribers = 1000;
  std::vector<v1::SubscribeRequest> requests(kSubscribers + 1);  // the last: no filter
  for (int i = 0; i < kSubscribers; ++i) {
    switch (i % 4) {
      case 0: requests[i].add_track_ids(fmt::format("p{}a", i % 3)); break;
      case 1: requests[i].set_min_severity(i % 8 == 1 ? v1::WARNING : v1::ALERT); break;
      case 2: requests[i].add_callsign_patterns(fmt::format("K{}*", i % 5)); break;
      case 3: {
        auto* box = requests[i].mutable_area_box();
        box->set_min_lat_deg(44);
        box->set_max_lat_deg(48);
        box->set_min_lon_deg(5);
        box->set_max_lon_deg(5 + 5.0 * (1 + i % 4));
        break;
      }
    }
  }
  std::vector<std::vector<v1::EncounterEvent>> got(requests.size());
  std::vector<std::thread> readers;
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  auto stub = v1::Encounters::NewStub(channel);
  std::vector<std::unique_ptr<grpc::ClientReader<v1::EncounterEvent>>> streams;
  for (const auto& r : requests) {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    streams.push_back(stub->Subscribe(contexts.back().get(), r));
  }
  ASSERT_TRUE(testing::WaitForSubscribers(*server, requests.size()));
  for (std::size_t i = 0; i < streams.size(); ++i) {
    readers.emplace_back([&, i] { got[i] = ReadUntilStop(*streams[i]); });
  }
  {
    auto ingest = v1::TrackIngest::NewStub(channel);
    grpc::ClientContext ctx;
    auto stream = ingest->Ingest(&ctx);
    for (double t = 0; t <= 600; t += 2) SendAt(*stream, flights, t);
    stream->WritesDone();
    ASSERT_TRUE(stream->Finish().ok());
  }
  server->Stop();
  for (auto& t : readers) t.join();
  const auto& all = got.back();
  ASSERT_GE(all.size(), 12u) << "four encounters, three events each at least";
  int partial = 0;
  for (int i = 0; i < kSubscribers; ++i) partial += !got[i].empty() && got[i].size() < all.size();
  EXPECT_GT(partial, kSubscribers / 2) << "the filters must actually select subsets";
  for (int i = 0; i < kSubscribers; ++i) {
    EncounterSelection selection(FilterFromProto(requests[i]));
    std::vector<std::uint64_t> expected, received;
    for (const auto& e : all) {
      if (selection.Select(FromProto(e))) expected.push_back(e.sequence());
    }
    for (const auto& e : got[i]) received.push_back(e.sequence());
    EXPECT_EQ(received, expected) << "subscriber " << i << ": " << requests[i].ShortDebugString();
  }
}

// Pairs of aircraft flying east side by side 1 NM apart at FL300 (each pair in loss of
// separation from its second report), pairs 30 NM apart and never in conflict with each other.
std::vector<Flight> SideBySidePairs(int pairs) {
  std::vector<Flight> flights;
  for (int k = 0; k < pairs; ++k) {
    const double lat = 40 + 0.5 * (k / 20), lon = 0.5 * (k % 20);
    const auto [lat2, lon2] = testing::Offset(lat, lon, 0, units::nm_to_m(1));
    flights.push_back(Flight{fmt::format("q{}a", k), lat, lon, 0, 90, 420, 30000, 0, ""});
    flights.push_back(Flight{fmt::format("q{}b", k), lat2, lon2, 0, 90, 420, 30000, 0, ""});
  }
  return flights;
}

// A subscriber on its own connection that reads nothing until told to: its HTTP/2 window is a
// few kilobytes, so the server's writes to it stall once that much is in flight.
struct StalledSubscriber {
  explicit StalledSubscriber(const AirproxServer& s) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 4096);
    args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
    stub = v1::Encounters::NewStub(
        grpc::CreateCustomChannel(s.address(), grpc::InsecureChannelCredentials(), args));
    reader = stub->Subscribe(&context, v1::SubscribeRequest());
  }
  std::unique_ptr<v1::Encounters::Stub> stub;
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<v1::EncounterEvent>> reader;
};

bool WaitFor(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

TEST(Server, AStalledSubscriberGetsAGapWhileIngestAndOtherSubscribersGoOn) {
  Config config = testing::TestConfig();
  config.subscribers.queue_capacity = 400;
  config.subscribers.write_timeout_s = 600;
  auto server = testing::StartServer(config);
  StalledSubscriber stalled(*server);
  Subscriber live(*server);
  ASSERT_TRUE(testing::WaitForSubscribers(*server, 2));
  std::vector<v1::EncounterEvent> all;
  std::atomic<int> live_started{0};
  std::thread live_reader([&] {
    v1::EncounterEvent e;
    while (live.reader->Read(&e)) {
      all.push_back(e);
      live_started += e.kind() == v1::EncounterEvent::STARTED;
    }
    live.status = live.reader->Finish();
  });

  // Ingest at full rate, 12 groups of 100 pairs, each pair's encounter confirmed on its second
  // report: every batch is acknowledged while the stalled subscriber reads nothing.
  constexpr int kGroups = 12, kPairsPerGroup = 100;
  const auto flights = SideBySidePairs(kGroups * kPairsPerGroup);
  {
    auto ingest = v1::TrackIngest::NewStub(testing::Dial(*server));
    grpc::ClientContext ctx;
    auto stream = ingest->Ingest(&ctx);
    for (int g = 0; g < kGroups; ++g) {
      const std::vector<Flight> group(flights.begin() + 2 * kPairsPerGroup * g,
                                      flights.begin() + 2 * kPairsPerGroup * (g + 1));
      for (double t : {2.0 * g, 2.0 * g + 1}) {
        EXPECT_EQ(SendAt(*stream, group, t).accepted(), group.size());
      }
    }
    stream->WritesDone();
    ASSERT_TRUE(stream->Finish().ok());
  }
  ASSERT_TRUE(WaitFor([&] { return live_started == kGroups * kPairsPerGroup; }));
  EXPECT_GT(server->hub().overflows(), 0u);

  std::vector<v1::EncounterEvent> got;
  std::thread stalled_reader([&] {
    v1::EncounterEvent e;
    while (stalled.reader->Read(&e)) got.push_back(e);
  });
  server->Stop();  // ENDED (shutdown) for every pair, then both streams end with OK
  live_reader.join();
  stalled_reader.join();
  EXPECT_TRUE(stalled.reader->Finish().ok());
  ASSERT_TRUE(live.status.ok()) << live.status.error_code() << " " << live.status.error_message();

  // The live subscriber lost nothing while ingest ran: every STARTED arrived, no GAP among them.
  // (The 1,200 ENDED events of the shutdown come in one burst, beyond its queue of 400.)
  std::vector<v1::EncounterEvent> started;
  for (const auto& e : all) {
    if (started.size() == kGroups * kPairsPerGroup) break;
    EXPECT_NE(e.kind(), v1::EncounterEvent::GAP);
    if (e.kind() == v1::EncounterEvent::STARTED) started.push_back(e);
  }
  ASSERT_EQ(started.size(), std::size_t{kGroups * kPairsPerGroup});
  // The stalled one lost nothing silently: every STARTED either arrived or lies inside a GAP
  // event's range, and at least one GAP came.
  std::set<std::uint64_t> received;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> gaps;
  for (const auto& e : got) {
    if (e.kind() == v1::EncounterEvent::GAP) {
      gaps.emplace_back(e.gap_first_sequence(), e.gap_last_sequence());
    } else {
      received.insert(e.sequence());
    }
  }
  ASSERT_FALSE(gaps.empty());
  int arrived = 0;
  for (const auto& e : started) {
    const bool in_gap = std::any_of(gaps.begin(), gaps.end(), [&](const auto& g) {
      return g.first <= e.sequence() && e.sequence() <= g.second;
    });
    arrived += received.count(e.sequence()) == 1;
    EXPECT_TRUE(received.count(e.sequence()) == 1 || in_gap) << "sequence " << e.sequence();
  }
  EXPECT_LT(arrived, kGroups * kPairsPerGroup);
}

TEST(Server, AWriteStalledPastTheDeadlineEndsThatStreamOnly) {
  Config config = testing::TestConfig();
  config.subscribers.write_timeout_s = 0.3;
  auto server = testing::StartServer(config);
  StalledSubscriber stalled(*server);
  ASSERT_TRUE(testing::WaitForSubscribers(*server, 1));
  {
    auto ingest = v1::TrackIngest::NewStub(testing::Dial(*server));
    grpc::ClientContext ctx;
    auto stream = ingest->Ingest(&ctx);
    const auto flights = SideBySidePairs(400);
    for (double t = 0; t <= 6; t += 2) SendAt(*stream, flights, t);
    stream->WritesDone();
    ASSERT_TRUE(stream->Finish().ok());
  }
  ASSERT_TRUE(WaitFor([&] { return server->hub().write_timeouts() == 1; }));
  ASSERT_TRUE(WaitFor([&] { return server->hub().subscribers() == 0; }));
  v1::EncounterEvent e;
  while (stalled.reader->Read(&e)) {
  }
  EXPECT_EQ(stalled.reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  // The server goes on serving everyone else (with a deadline this short, a stream is not asserted
  // on here: a loaded test machine may pause any reader that long).
  grpc::ClientContext c;
  v1::ListActiveResponse active;
  ASSERT_TRUE(v1::Encounters::NewStub(testing::Dial(*server))
                  ->ListActive(&c, v1::ListActiveRequest(), &active)
                  .ok());
  EXPECT_EQ(active.encounters_size(), 400);
  server->Stop();
}

// grpc.health.v1.Health/Check through a generic stub: the response's field 1 is the status

}  // namespace
}  // namespace airprox
