// The whole path over real gRPC: positions in, encounter events out, queries, shutdown.
#include "server/app/server.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

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
#include "tests/app/server_test_clients.h"
#include "tests/feeds/sbs_test_support.h"

namespace airprox {
namespace {

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

TEST(Server, AnSbsFeedAndGrpcIngestShareOnePathToSubscribers) {
  auto server = testing::StartServer(testing::WithPushedSbsFeed(testing::TestConfig()));
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

  // A rule name with a typo would match nothing: refused, naming the configured rules. A client's
  // mistake, not a limit: answered, not logged as a limit refusal.
  auto ring = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
  spdlog::default_logger()->sinks().push_back(ring);
  v1::SubscribeRequest typo;
  typo.add_rules("los-of-separation");
  grpc::ClientContext c2;
  auto r2 = v1::Encounters::NewStub(testing::Dial(*server))->Subscribe(&c2, typo);
  EXPECT_FALSE(r2->Read(&e));
  const grpc::Status st2 = r2->Finish();
  spdlog::default_logger()->sinks().pop_back();
  for (const std::string& line : ring->last_formatted()) {
    EXPECT_EQ(line.find("limit refused"), std::string::npos) << line;
  }
  EXPECT_EQ(st2.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st2.error_message().find("rules[0] = \"los-of-separation\" is not a configured rule "
                                     "(rules: conflict, loss-of-separation, nmac)"),
            std::string::npos)
      << st2.error_message();
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
