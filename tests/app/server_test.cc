// The whole path over real gRPC: positions in, encounter events out, queries, shutdown.
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

namespace airprox {
namespace {

using testing::Flight;

struct Subscriber {
  explicit Subscriber(const AirproxServer& s)
      : stub(v1::Encounters::NewStub(testing::Dial(s))),
        reader(stub->Subscribe(&context, v1::SubscribeRequest())) {}
  std::vector<v1::EncounterEvent> ReadAll() {
    std::vector<v1::EncounterEvent> out;
    v1::EncounterEvent e;
    while (reader->Read(&e)) out.push_back(e);
    status = reader->Finish();
    return out;
  }
  std::unique_ptr<v1::Encounters::Stub> stub;
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<v1::EncounterEvent>> reader;
  grpc::Status status;
};

// Two aircraft at FL300, 40 NM apart, converging head-on with a 1 NM offset at 420 kt each.
std::vector<Flight> Converging() {
  const auto [lat, lon] = testing::Offset(46.0, 6.0, 90, units::nm_to_m(40));
  const auto [lat2, lon2] = testing::Offset(lat, lon, 0, units::nm_to_m(1));
  return {Flight{"4b1814", 46.0, 6.0, 0, 90, 420, 30000, 0, "SWR12"},
          Flight{"3c6444", lat2, lon2, 0, 270, 420, 30000, 0, "DLH4"}};
}

using IngestStream = grpc::ClientReaderWriter<v1::PositionBatch, v1::IngestAck>;

// Writes one batch with every flight's report at data time t and returns its ack.
v1::IngestAck SendAt(IngestStream& stream, const std::vector<Flight>& flights, double t,
                     std::uint64_t batch_id = 0) {
  v1::PositionBatch batch;
  batch.set_batch_id(batch_id);
  for (const Flight& f : flights) ToProto(f.At(t), batch.add_positions());
  v1::IngestAck ack;
  EXPECT_TRUE(stream.Write(batch));
  EXPECT_TRUE(stream.Read(&ack));
  return ack;
}

TEST(Server, ConvergingAircraftStartThenEndOnASubscriber) {
  auto server = testing::StartServer();
  Subscriber sub(*server);
  ASSERT_TRUE(testing::WaitForSubscribers(*server, 1));
  std::vector<v1::EncounterEvent> events;
  std::thread reader([&] { events = sub.ReadAll(); });

  auto ingest = v1::TrackIngest::NewStub(testing::Dial(*server));
  grpc::ClientContext ctx;
  auto stream = ingest->Ingest(&ctx);
  const auto flights = Converging();
  std::uint64_t id = 0;
  for (double t = 0; t <= 600; t += 2) {
    const v1::IngestAck ack = SendAt(*stream, flights, t, ++id);
    EXPECT_EQ(ack.batch_id(), id);
    EXPECT_EQ(ack.accepted(), 2u);
    EXPECT_EQ(ack.rejections_size(), 0);
  }
  stream->WritesDone();
  ASSERT_TRUE(stream->Finish().ok());

  // Leave them converging, inside 5 NM: the stop ends that encounter, and then the stream (OK).
  {
    grpc::ClientContext c2;
    auto s2 = ingest->Ingest(&c2);
    auto again = flights;
    for (Flight& g : again) g.t0 = 850;  // the same geometry again, 150 s in: about 5 NM apart
    for (double t : {1000.0, 1001.0}) ASSERT_EQ(SendAt(*s2, again, t).accepted(), 2u);
    s2->WritesDone();
    ASSERT_TRUE(s2->Finish().ok());
  }
  server->Stop();
  reader.join();
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events.back().kind(), v1::EncounterEvent::ENDED);
  EXPECT_EQ(events.back().end_reason(), "shutdown");
  events.pop_back();
  ASSERT_EQ(events.back().kind(), v1::EncounterEvent::STARTED);
  events.pop_back();
  ASSERT_TRUE(sub.status.ok()) << sub.status.error_message();
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events.front().kind(), v1::EncounterEvent::STARTED);
  EXPECT_EQ(events.front().rule(), "conflict");
  EXPECT_EQ(events.back().kind(), v1::EncounterEvent::ENDED);
  EXPECT_EQ(events.back().end_reason(), "separated");
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].a().track_id(), "3c6444");
    EXPECT_EQ(events[i].b().track_id(), "4b1814");
    EXPECT_EQ(events[i].b().callsign(), "SWR12");
    EXPECT_EQ(events[i].encounter_id(), events.front().encounter_id());
    if (i > 0) {
      EXPECT_GT(events[i].sequence(), events[i - 1].sequence());
    }
  }
  const double truth = testing::TrueClosestNm(flights[0], flights[1], 0, 600);
  EXPECT_NEAR(events.back().closest().horizontal_nm(), truth, 0.03) << "2 s updates";
}

TEST(Server, BadRecordsAreRejectedOneByOneAndTheStreamGoesOn) {
  auto server = testing::StartServer();
  auto ingest = v1::TrackIngest::NewStub(testing::Dial(*server));
  grpc::ClientContext ctx;
  auto stream = ingest->Ingest(&ctx);
  const Flight f = Converging()[0];
  v1::PositionBatch batch;
  batch.set_batch_id(41);
  ToProto(f.At(f.t0 + 10), batch.add_positions());
  ToProto(f.At(f.t0 + 11), batch.add_positions());
  batch.mutable_positions(1)->set_lat_deg(91);
  ToProto(f.At(f.t0 + 5), batch.add_positions());  // older than the first: out of order
  batch.add_positions()->set_track_id("no-time");
  ASSERT_TRUE(stream->Write(batch));
  v1::IngestAck ack;
  ASSERT_TRUE(stream->Read(&ack));
  EXPECT_EQ(ack.batch_id(), 41u);
  EXPECT_EQ(ack.accepted(), 1u);
  ASSERT_EQ(ack.rejections_size(), 3);
  EXPECT_EQ(ack.rejections(0).index(), 1u);
  EXPECT_EQ(ack.rejections(0).reason(), "lat_out_of_range");
  EXPECT_NE(ack.rejections(0).message().find("lat_deg = 91"), std::string::npos);
  EXPECT_EQ(ack.rejections(1).index(), 2u);
  EXPECT_EQ(ack.rejections(1).reason(), "out_of_order");
  EXPECT_EQ(ack.rejections(2).index(), 3u);
  EXPECT_EQ(ack.rejections(2).reason(), "missing_time");

  batch.Clear();
  batch.set_batch_id(42);
  ToProto(f.At(f.t0 + 12), batch.add_positions());
  ASSERT_TRUE(stream->Write(batch));
  ASSERT_TRUE(stream->Read(&ack));
  EXPECT_EQ(ack.batch_id(), 42u);
  EXPECT_EQ(ack.accepted(), 1u);
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

TEST(Server, NoLinePerPositionAtInfoAndAStatsLineEveryInterval) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("airprox_server_log_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  Config c = testing::TestConfig();
  c.log.file = (dir / "airproxd.log").string();
  c.log.stats_interval_s = 0.1;
  ASSERT_TRUE(SetUpLogging(c.log).ok());
  const auto read_lines = [&] { return testing::FileLines(dir / "airproxd.log"); };
  auto server = testing::StartServer(c);
  auto ingest = v1::TrackIngest::NewStub(testing::Dial(*server));
  grpc::ClientContext ctx;
  auto stream = ingest->Ingest(&ctx);
  std::vector<Flight> flights;  // ten aircraft far apart: no encounter
  for (int i = 0; i < 10; ++i) flights.push_back(Flight{fmt::format("a0000{}", i), 40.0 + i, 5.0, 0, 90, 400, 30000});
  for (int t = 0; t < 50; ++t) EXPECT_EQ(SendAt(*stream, flights, t).accepted(), 10u);
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::string stats;
  while (stats.empty() && std::chrono::steady_clock::now() < deadline) {
    for (const std::string& line : read_lines()) {
      if (line.find("[stats] stats tracks=10 accepted=500 rejected=0 ") != std::string::npos) stats = line;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  server->Stop();
  EXPECT_NE(stats.find(" active_encounters=0 subscribers=0 "), std::string::npos) << stats;
  EXPECT_NE(stats.find(" detector=fresh"), std::string::npos) << stats;
  std::size_t other_lines = 0;
  for (const std::string& line : read_lines()) {
    if (line.find("[stats] ") != std::string::npos) continue;
    ++other_lines;
    EXPECT_EQ(line.find("a0000"), std::string::npos) << "a line about a position: " << line;
  }
  EXPECT_LE(other_lines, 5u) << "500 positions, a handful of lines (start, stop)";
  EXPECT_TRUE(SetUpLogging(LogOptions{}).ok());
  fs::remove_all(dir);
}

TEST(Server, TracksAndActiveEncountersCanBeQueried) {
  auto server = testing::StartServer();
  auto channel = testing::Dial(*server);
  auto ingest = v1::TrackIngest::NewStub(channel);
  grpc::ClientContext ctx;
  auto stream = ingest->Ingest(&ctx);
  const auto flights = Converging();
  // Two reports each (confirmation needs two evaluations), about 5 NM apart at the second.
  for (double t : {149.0, 150.0}) ASSERT_EQ(SendAt(*stream, flights, t).accepted(), 2u);

  auto tracks = v1::Tracks::NewStub(channel);
  {
    grpc::ClientContext c;
    v1::ListTracksResponse r;
    ASSERT_TRUE(tracks->ListTracks(&c, v1::ListTracksRequest(), &r).ok());
    ASSERT_EQ(r.tracks_size(), 2);
    EXPECT_EQ(r.tracks(0).track_id(), "3c6444");
    EXPECT_EQ(r.tracks(1).track_id(), "4b1814");
    EXPECT_EQ(r.tracks(1).callsign(), "SWR12");
    EXPECT_TRUE(r.tracks(1).has_alt_ft());
  }
  {
    grpc::ClientContext c;
    v1::GetTrackRequest req;
    req.set_track_id("4b1814");
    v1::Position p;
    ASSERT_TRUE(tracks->GetTrack(&c, req, &p).ok());
    EXPECT_EQ(p.time().seconds(), testing::kT0 + 150);
  }
  {
    grpc::ClientContext c;
    v1::GetTrackRequest req;
    req.set_track_id("ffffff");
    v1::Position p;
    const grpc::Status st = tracks->GetTrack(&c, req, &p);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_NE(st.error_message().find("ffffff"), std::string::npos);
  }
  {
    grpc::ClientContext c;
    v1::ListActiveResponse r;
    ASSERT_TRUE(v1::Encounters::NewStub(channel)->ListActive(&c, v1::ListActiveRequest(), &r).ok());
    ASSERT_EQ(r.encounters_size(), 1);
    EXPECT_EQ(r.encounters(0).a().track_id(), "3c6444");
    EXPECT_EQ(r.encounters(0).rule(), "conflict");
    const Position a = flights[0].At(150), b = flights[1].At(150);
    double s12 = 0;
    GeographicLib::Geodesic::WGS84().Inverse(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg, s12);
    EXPECT_NEAR(r.encounters(0).horizontal_nm(), units::m_to_nm(s12), 0.001);
  }
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

TEST(Server, FiltersAndSnapshot) {
  auto server = testing::StartServer();
  auto channel = testing::Dial(*server);
  auto ingest = v1::TrackIngest::NewStub(channel);
  // Two encounters: the converging pair near 46N 6E, and a copy of it 10 degrees east.
  auto flights = Converging();
  for (Flight f : Converging()) {
    f.id = f.id == "4b1814" ? "aaa001" : "aaa002";
    f.callsign = f.id == "aaa001" ? "EZY1" : "EZY2";
    f.lon += 10;
    flights.push_back(f);
  }
  auto send = [&](IngestStream& s, double t) { ASSERT_EQ(SendAt(s, flights, t).accepted(), 4u); };
  grpc::ClientContext ctx;
  auto stream = ingest->Ingest(&ctx);

  v1::SubscribeRequest swiss_only;  // a box around the first pair, and only WARNING or worse
  swiss_only.mutable_area_box()->set_min_lat_deg(45);
  swiss_only.mutable_area_box()->set_max_lat_deg(47);
  swiss_only.mutable_area_box()->set_min_lon_deg(5);
  swiss_only.mutable_area_box()->set_max_lon_deg(8);
  swiss_only.set_min_severity(v1::WARNING);
  grpc::ClientContext c1;
  auto r1 = v1::Encounters::NewStub(channel)->Subscribe(&c1, swiss_only);
  v1::SubscribeRequest easyjet;
  easyjet.add_callsign_patterns("ezy*");
  grpc::ClientContext c2;
  auto r2 = v1::Encounters::NewStub(channel)->Subscribe(&c2, easyjet);
  ASSERT_TRUE(testing::WaitForSubscribers(*server, 2));

  for (double t = 0; t <= 200; t += 2) send(*stream, t);  // both pairs now inside 5 NM
  // A third subscriber with a snapshot: it gets both active encounters first.
  v1::SubscribeRequest snap;
  snap.set_snapshot(true);
  grpc::ClientContext c3;
  auto r3 = v1::Encounters::NewStub(channel)->Subscribe(&c3, snap);
  ASSERT_TRUE(testing::WaitForSubscribers(*server, 3));
  for (double t = 202; t <= 600; t += 2) send(*stream, t);
  stream->WritesDone();
  ASSERT_TRUE(stream->Finish().ok());
  server->Stop();

  auto read_all = [](grpc::ClientReader<v1::EncounterEvent>& r) {
    std::vector<v1::EncounterEvent> out;
    v1::EncounterEvent e;
    while (r.Read(&e)) out.push_back(e);
    EXPECT_TRUE(r.Finish().ok());
    return out;
  };
  const auto e1 = read_all(*r1), e2 = read_all(*r2), e3 = read_all(*r3);
  ASSERT_FALSE(e1.empty());
  for (const auto& e : e1) EXPECT_EQ(e.b().track_id(), "4b1814");
  EXPECT_EQ(e1.front().rule(), "loss-of-separation") << "the ADVISORY start is filtered out";
  EXPECT_EQ(e1.back().kind(), v1::EncounterEvent::ENDED);
  ASSERT_FALSE(e2.empty());
  for (const auto& e : e2) EXPECT_EQ(e.a().track_id(), "aaa001");
  EXPECT_EQ(e2.front().kind(), v1::EncounterEvent::STARTED);
  ASSERT_GE(e3.size(), 4u);
  EXPECT_TRUE(e3[0].snapshot());
  EXPECT_TRUE(e3[1].snapshot());
  EXPECT_FALSE(e3[2].snapshot());
  std::set<std::string> snapshot_ids = {e3[0].encounter_id(), e3[1].encounter_id()};
  EXPECT_EQ(snapshot_ids.size(), 2u);
  for (std::size_t i = 2; i < e3.size(); ++i) {
    EXPECT_GT(e3[i].sequence(), std::max(e3[0].sequence(), e3[1].sequence())) << "no duplicate";
    EXPECT_TRUE(snapshot_ids.count(e3[i].encounter_id()));
  }
}

// Drives the converging pair through `server` for `seconds` of data time, starting at data time
// `from` from the pair's initial positions.
void Converge(AirproxServer& server, double from, double seconds) {
  auto ingest = v1::TrackIngest::NewStub(testing::Dial(server));
  grpc::ClientContext ctx;
  auto stream = ingest->Ingest(&ctx);
  auto flights = Converging();
  for (Flight& f : flights) f.t0 = from;
  for (double t = from; t <= from + seconds; t += 2) SendAt(*stream, flights, t);
  stream->WritesDone();
  ASSERT_TRUE(stream->Finish().ok());
}

std::vector<v1::EncounterEvent> ReadUntilStop(grpc::ClientReader<v1::EncounterEvent>& r) {
  std::vector<v1::EncounterEvent> out;
  v1::EncounterEvent e;
  while (r.Read(&e)) {
    if (e.kind() != v1::EncounterEvent::HEARTBEAT) out.push_back(e);
  }
  EXPECT_TRUE(r.Finish().ok());
  return out;
}

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
// (1 SERVING, 2 NOT_SERVING).
grpc::Status HealthCheck(const AirproxServer& s, int& serving_status) {
  grpc::GenericStub stub(testing::Dial(s));
  grpc::ClientContext context;
  const grpc::Slice empty;
  const grpc::ByteBuffer request(&empty, 1);  // an empty HealthCheckRequest: the whole server
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                 [&](grpc::Status st) { done.set_value(std::move(st)); });
  const grpc::Status st = done.get_future().get();
  std::vector<grpc::Slice> slices;
  if (st.ok() && response.Dump(&slices).ok()) {
    std::string bytes;
    for (const auto& sl : slices) bytes.append(reinterpret_cast<const char*>(sl.begin()), sl.size());
    serving_status = bytes.size() == 2 && bytes[0] == 0x08 ? bytes[1] : -1;
  }
  return st;
}

TEST(Server, HealthServiceSaysServing) {
  auto server = testing::StartServer();
  int status = 0;
  ASSERT_TRUE(HealthCheck(*server, status).ok());
  EXPECT_EQ(status, 1) << "SERVING";
  server->Stop();
}

TEST(Server, AnSbsFeedAndGrpcIngestShareOnePathToSubscribers) {
  Config config = testing::TestConfig();
  FeedOptions feed;
  feed.name = "pushed";
  feed.type = FeedType::kSbsListener;
  feed.address = "127.0.0.1:0";
  config.feeds = {feed};
  auto server = testing::StartServer(config);
  Subscriber sub(*server);
  ASSERT_TRUE(testing::WaitForSubscribers(*server, 1));
  std::vector<v1::EncounterEvent> events;
  std::thread reader([&] { events = sub.ReadAll(); });
  asio::io_context io;
  asio::ip::tcp::socket pusher(io);
  pusher.connect({asio::ip::make_address("127.0.0.1"), server->feeds().feeds()[0].port});
  std::string all;
  for (const auto& l : testing::FormationSbsLines()) all += l;
  asio::write(pusher, asio::buffer(all));
  pusher.close();
  const FeedCounters& c = *server->feeds().feeds()[0].counters;
  ASSERT_TRUE(testing::Eventually([&] {
    return c.positions.load() > 1000 && c.accepted.load() == c.positions.load();
  }));
  // The feed's tracks are the server's tracks, as gRPC clients see them.
  grpc::ClientContext c2;
  v1::ListTracksResponse tracks;
  ASSERT_TRUE(v1::Tracks::NewStub(testing::Dial(*server))->ListTracks(&c2, v1::ListTracksRequest(), &tracks).ok());
  EXPECT_EQ(tracks.tracks_size(), 2);
  server->Stop();
  reader.join();
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events.front().kind(), v1::EncounterEvent::STARTED);
  EXPECT_EQ(events.front().a().track_id(), "3900fb");
  EXPECT_EQ(events.front().b().track_id(), "39c424");
  EXPECT_EQ(events.back().kind(), v1::EncounterEvent::ENDED);
}

// The metric samples of the server's /metrics text, by name with labels.
std::map<std::string, double> Metrics(const AirproxServer& s) {
  std::map<std::string, double> out;
  std::istringstream lines(s.MetricsText());
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.rfind(' ');
    out[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return out;
}

TEST(Server, MetricsCountWhatHappenedAndReadinessFollowsTheLifecycle) {
  auto server = testing::StartServer();
  EXPECT_TRUE(server->ready());
  EXPECT_GT(server->http_port(), 0);
  Converge(*server, 0, 600);
  {
    auto ingest = v1::TrackIngest::NewStub(testing::Dial(*server));
    grpc::ClientContext ctx;
    auto stream = ingest->Ingest(&ctx);
    v1::PositionBatch bad;
    ToProto(Converging()[0].At(1), bad.add_positions());  // older than the track's latest
    bad.mutable_positions(0)->set_lat_deg(91);             // and out of range
    ASSERT_TRUE(stream->Write(bad));
    v1::IngestAck ack;
    ASSERT_TRUE(stream->Read(&ack));
    stream->WritesDone();
    ASSERT_TRUE(stream->Finish().ok());
  }
  auto m = Metrics(*server);
  EXPECT_EQ(m["airprox_positions_accepted_total"], 602);
  EXPECT_EQ(m["airprox_positions_received_total"], 603);
  EXPECT_EQ(m["airprox_positions_rejected_total{reason=\"lat_out_of_range\"}"], 1);
  EXPECT_EQ(m["airprox_tracks"], 2);
  EXPECT_EQ(m["airprox_encounters_started_total{rule=\"conflict\",severity=\"ADVISORY\"}"], 1);
  EXPECT_EQ(m["airprox_encounter_events_total{kind=\"ENDED\"}"], 1);
  EXPECT_EQ(m["airprox_encounters_active"], 0);
  EXPECT_EQ(m["airprox_detection_batch_positions_sum"], 603);
  EXPECT_EQ(m["airprox_detection_latency_seconds_count"], m["airprox_detection_batches_total"]);
  EXPECT_GT(m["process_resident_memory_bytes"], 1e6);
  server->Stop();
  EXPECT_FALSE(server->ready());
}

// A transport-only stream: every batch acknowledged as accepted, nothing applied; refused unless
// the server allows it (ingest.allow_transport_only).
TEST(Server, TransportOnlyIngestNeedsTheConfigKeyAndSkipsDetection) {
  v1::PositionBatch batch;
  batch.set_batch_id(7);
  for (const Flight& f : Converging()) ToProto(f.At(10), batch.add_positions());
  batch.add_positions()->set_lat_deg(91);  // not even valid: never looked at
  auto send = [&](AirproxServer& server, v1::IngestAck& ack) {
    grpc::ClientContext ctx;
    ctx.AddMetadata(kTransportOnlyMetadataKey, "1");
    auto stream = v1::TrackIngest::NewStub(testing::Dial(server))->Ingest(&ctx);
    stream->Write(batch);  // may fail once the server has refused the call
    const bool acked = stream->Read(&ack);
    stream->WritesDone();
    const grpc::Status st = stream->Finish();
    EXPECT_EQ(acked, st.ok());
    return st;
  };
  {
    auto server = testing::StartServer();
    v1::IngestAck ack;
    const grpc::Status st = send(*server, ack);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_NE(st.error_message().find("ingest.allow_transport_only"), std::string::npos)
        << st.error_message();
    // Without the metadata the same server ingests as usual.
    grpc::ClientContext ctx;
    auto stream = v1::TrackIngest::NewStub(testing::Dial(*server))->Ingest(&ctx);
    ASSERT_TRUE(stream->Write(batch));
    ASSERT_TRUE(stream->Read(&ack));
    EXPECT_EQ(ack.accepted(), 2u);
    EXPECT_EQ(ack.rejections_size(), 1);
    stream->WritesDone();
    EXPECT_TRUE(stream->Finish().ok());
  }
  Config config = testing::TestConfig();
  config.ingest.allow_transport_only = true;
  auto server = testing::StartServer(config);
  v1::IngestAck ack;
  ASSERT_TRUE(send(*server, ack).ok());
  EXPECT_EQ(ack.batch_id(), 7u);
  EXPECT_EQ(ack.accepted(), 3u) << "the whole batch, unchecked";
  EXPECT_EQ(ack.rejections_size(), 0);
  auto m = Metrics(*server);
  EXPECT_EQ(m["airprox_ingest_transport_only_batches_total"], 1);
  EXPECT_EQ(m["airprox_positions_received_total"], 0) << "nothing reached detection";
  EXPECT_EQ(m["airprox_tracks"], 0);
}

TEST(Server, BadFilterIsRefusedWithTheReason) {
  auto server = testing::StartServer();
  v1::SubscribeRequest bad;
  bad.add_area_polygon()->set_lat_deg(1);
  bad.add_area_polygon()->set_lat_deg(2);
  grpc::ClientContext c;
  auto r = v1::Encounters::NewStub(testing::Dial(*server))->Subscribe(&c, bad);
  v1::EncounterEvent e;
  EXPECT_FALSE(r->Read(&e));
  const grpc::Status st = r->Finish();
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("at least 3 vertices"), std::string::npos) << st.error_message();
}

TEST(Server, AddressInUseIsAClearError) {
  auto first = testing::StartServer();
  Config c = testing::TestConfig();
  c.listen = first->address();
  AirproxServer second(c);
  const Status st = second.Start();
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_NE(st.message().find("cannot listen on " + first->address()), std::string::npos)
      << st.message();
}

}  // namespace
}  // namespace airprox
