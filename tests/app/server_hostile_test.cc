// Hostile and broken clients against the real in-process server (127.0.0.1, port 0): malformed
// bytes, oversized messages, batches and fields, floods of streams, half-open connections, a
// slowloris, filters past their limits, NaN and infinite numbers, timestamps from 1970 and 2100,
// too many tracks, over-long SBS lines. After each, the server answers a normal client and has
// lost nothing it had accepted. (A subscriber that never reads is in server_subscriptions_test.cc:
// AStalledSubscriberGetsAGapWhileIngestAndOtherSubscribersGoOn.)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/support/sync_stream.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include "airprox/v1/airprox.grpc.pb.h"
#include "server/app/server.h"
#include "server/service/proto_convert.h"
#include "tests/app/server_test_clients.h"
#include "tests/app/server_test_support.h"
#include "tests/core/detector_fixture.h"
#include "tests/feeds/sbs_test_support.h"

namespace airprox {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double kTrafficSeconds = 120;  // the converging pair's first 120 s: an active encounter

double StreamsOpen(const AirproxServer& s) { return testing::Metrics(s)["airprox_streams"]; }

// A server that has accepted the converging pair's first two minutes, its ingest stream closed.
std::unique_ptr<AirproxServer> StartWithTraffic(Config c = testing::TestConfig()) {
  auto server = testing::StartServer(std::move(c));
  Converge(*server, 0, kTrafficSeconds);
  EXPECT_TRUE(testing::Eventually([&] { return StreamsOpen(*server) == 0; }, 10));
  return server;
}

// What the server has accepted, as clients see it.
struct Accepted {
  std::string tracks;  // ListTracks, serialized
  std::string active;  // ListActive, serialized
  std::uint64_t last_sequence = 0;
};

Accepted Snapshot(AirproxServer& s) {
  Accepted a;
  auto channel = testing::Dial(s);
  grpc::ClientContext c1, c2;
  v1::ListTracksResponse tracks;
  v1::ListActiveResponse active;
  EXPECT_TRUE(v1::Tracks::NewStub(channel)->ListTracks(&c1, {}, &tracks).ok());
  EXPECT_TRUE(v1::Encounters::NewStub(channel)->ListActive(&c2, {}, &active).ok());
  EXPECT_EQ(tracks.tracks_size(), 2);
  EXPECT_EQ(active.encounters_size(), 1);
  a.tracks = tracks.SerializeAsString();
  a.active = active.SerializeAsString();
  a.last_sequence = s.detection().last_sequence();
  return a;
}

// Nothing accepted before is lost, and a normal client is served: its next reports, the pair's at
// data time `at_s`, are accepted.
void ExpectIntact(AirproxServer& s, const Accepted& before, double at_s = kTrafficSeconds + 2) {
  const Accepted now = Snapshot(s);
  EXPECT_EQ(now.tracks, before.tracks) << "the tracks changed";
  EXPECT_EQ(now.active, before.active) << "the active encounter changed";
  EXPECT_EQ(now.last_sequence, before.last_sequence);
  auto stub = v1::TrackIngest::NewStub(testing::Dial(s));
  grpc::ClientContext ctx;
  auto stream = stub->Ingest(&ctx);
  const v1::IngestAck ack = SendAt(*stream, Converging(), at_s);
  EXPECT_EQ(ack.accepted(), 2u);
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

double LimitExceeded(const AirproxServer& s, const std::string& limit) {
  return testing::Metrics(s)["airprox_limit_exceeded_total{limit=\"" + limit + "\"}"];
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// One call of `method` sending `bytes` as its only message, then half-closing: whatever the
// method's kind, the bytes go on the wire as they are.
grpc::Status RawCall(const AirproxServer& s, const std::string& method, const std::string& bytes) {
  auto channel = testing::Dial(s);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  const grpc::internal::RpcMethod rpc(method.c_str(), grpc::internal::RpcMethod::BIDI_STREAMING);
  std::unique_ptr<grpc::ClientReaderWriter<grpc::ByteBuffer, grpc::ByteBuffer>> stream(
      grpc::internal::ClientReaderWriterFactory<grpc::ByteBuffer, grpc::ByteBuffer>::Create(
          channel.get(), rpc, &ctx));
  grpc::Slice slice(bytes);
  stream->Write(grpc::ByteBuffer(&slice, 1));
  stream->WritesDone();
  grpc::ByteBuffer reply;
  while (stream->Read(&reply)) {
  }
  return stream->Finish();
}

// The status of an Ingest stream that sends `batch` and reads its answer.
grpc::Status IngestOnce(const AirproxServer& s, const v1::PositionBatch& batch, v1::IngestAck* ack = nullptr) {
  auto stub = v1::TrackIngest::NewStub(testing::Dial(s));
  grpc::ClientContext ctx;
  auto stream = stub->Ingest(&ctx);
  v1::IngestAck reply;
  if (stream->Write(batch) && stream->Read(&reply) && ack != nullptr) *ack = reply;
  stream->WritesDone();
  return stream->Finish();
}

v1::Position Report(const std::string& id, double t, double lat = 10.0, double lon = 10.0) {
  v1::Position p;
  p.set_track_id(id);
  ToTimestamp(testing::kT0 + t, p.mutable_time());
  p.set_lat_deg(lat);
  p.set_lon_deg(lon);
  p.set_alt_ft(20000);
  return p;
}

TEST(ServerHostile, MalformedAndNonUtf8BytesEndOnlyTheirOwnCall) {
  auto server = StartWithTraffic();
  const Accepted before = Snapshot(*server);
  v1::PositionBatch valid;
  *valid.add_positions() = Report("c0ffee", kTrafficSeconds);
  const std::string whole = valid.SerializeAsString();
  v1::PositionBatch not_utf8 = valid;
  not_utf8.mutable_positions(0)->set_callsign("SWR\xff\xfe");  // protobuf logs an error: expected
  for (const std::string& bytes : {std::string("\x0f\x0f\x0f", 3), std::string("\x0a\xff\xff\xff\xff\x0f", 6),
                                   whole.substr(0, whole.size() / 2), not_utf8.SerializeAsString()}) {
    const grpc::Status st = RawCall(*server, "/airprox.v1.TrackIngest/Ingest", bytes);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
    EXPECT_TRUE(Contains(st.error_message(), "not a valid message")) << st.error_message();
    const grpc::Status sub = RawCall(*server, "/airprox.v1.Encounters/Subscribe", bytes);
    EXPECT_EQ(sub.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << sub.error_message();
    EXPECT_FALSE(RawCall(*server, "/airprox.v1.Tracks/GetTrack", bytes).ok());
  }
  ExpectIntact(*server, before);
}

TEST(ServerHostile, OversizedMessagesBatchesAndFieldsAreRefusedByTheirLimits) {
  Config c = testing::TestConfig();
  c.limits.max_message_bytes = 64 * 1024;
  c.limits.max_batch_positions = 100;
  auto server = StartWithTraffic(c);
  const Accepted before = Snapshot(*server);

  v1::PositionBatch huge;  // one record, past the message limit
  *huge.add_positions() = Report("c0ffee", kTrafficSeconds);
  huge.mutable_positions(0)->set_callsign(std::string(100 * 1024, 'A'));
  EXPECT_EQ(IngestOnce(*server, huge).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);

  v1::PositionBatch many;  // past the batch limit
  many.set_batch_id(7);
  for (int i = 0; i < 101; ++i) *many.add_positions() = Report(fmt::format("b{:05d}", i), kTrafficSeconds);
  const grpc::Status st = IngestOnce(*server, many);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Contains(st.error_message(), "101 positions")) << st.error_message();
  EXPECT_TRUE(Contains(st.error_message(), "limits.max_batch_positions = 100")) << st.error_message();
  EXPECT_EQ(LimitExceeded(*server, "max_batch_positions"), 1);

  v1::PositionBatch fields;  // within the message limit, each with one oversized field
  for (int i = 0; i < 3; ++i) *fields.add_positions() = Report(fmt::format("f{}", i), kTrafficSeconds);
  fields.mutable_positions(0)->set_track_id(std::string(10000, 'x'));
  fields.mutable_positions(1)->set_callsign(std::string(10000, 'C'));
  fields.mutable_positions(2)->set_category(std::string(10000, 'A'));
  v1::IngestAck ack;
  ASSERT_TRUE(IngestOnce(*server, fields, &ack).ok());
  EXPECT_EQ(ack.accepted(), 0u);
  ASSERT_EQ(ack.rejections_size(), 3);
  EXPECT_EQ(ack.rejections(0).reason(), "track_id_too_long");
  EXPECT_EQ(ack.rejections(1).reason(), "callsign_too_long");
  EXPECT_EQ(ack.rejections(2).reason(), "category_too_long");
  ExpectIntact(*server, before);
}

// `m` made exactly `bytes` long on the wire by an unknown length-delimited field (number 999).
template <typename M>
M PaddedTo(M m, std::size_t bytes) {
  auto* unknown = m.GetReflection()->MutableUnknownFields(&m);
  std::size_t padding = bytes - m.ByteSizeLong();
  for (int i = 0; i < 4; ++i) {
    unknown->Clear();
    unknown->AddLengthDelimited(999, std::string(padding, 'p'));
    if (m.ByteSizeLong() <= bytes) break;
    padding -= m.ByteSizeLong() - bytes;
  }
  EXPECT_EQ(m.ByteSizeLong(), bytes);
  return m;
}

TEST(ServerHostile, MessagesPastMaxMessageBytesAreRefusedAndCountedOnEveryMethod) {
  constexpr std::size_t kLimit = 64 * 1024;
  Config c = testing::TestConfig();
  c.limits.max_message_bytes = kLimit;
  auto server = StartWithTraffic(c);
  const Accepted before = Snapshot(*server);
  auto channel = testing::Dial(*server);
  const std::string named = "limits.max_message_bytes = 65536";
  auto ring = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
  spdlog::default_logger()->sinks().push_back(ring);

  v1::PositionBatch batch;  // a record the detection rejects (callsign_too_long): nothing changes
  batch.set_batch_id(1);
  *batch.add_positions() = Report("c0ffee", kTrafficSeconds);
  batch.mutable_positions(0)->set_callsign(std::string(1000, 'A'));
  v1::IngestAck ack;
  ASSERT_TRUE(IngestOnce(*server, PaddedTo(batch, kLimit), &ack).ok()) << "a batch of exactly the limit passes";
  EXPECT_EQ(ack.batch_id(), 1u);
  EXPECT_EQ(LimitExceeded(*server, "max_message_bytes"), 0);

  grpc::Status st = IngestOnce(*server, PaddedTo(batch, kLimit + 1));
  EXPECT_EQ(st.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(Contains(st.error_message(), "PositionBatch is 65537 bytes")) << st.error_message();
  EXPECT_TRUE(Contains(st.error_message(), named)) << st.error_message();
  EXPECT_EQ(LimitExceeded(*server, "max_message_bytes"), 1);
  spdlog::default_logger()->sinks().pop_back();
  std::string log;
  for (const std::string& l : ring->last_formatted()) log += l;
  EXPECT_NE(log.find("limit refused limit=max_message_bytes peer=ipv4:127.0.0.1:"), std::string::npos) << log;
  EXPECT_NE(log.find("PositionBatch is 65537 bytes"), std::string::npos) << log;

  {  // server-streaming
    grpc::ClientContext ctx;
    auto reader = v1::Encounters::NewStub(channel)->Subscribe(&ctx, PaddedTo(v1::SubscribeRequest(), kLimit + 1));
    v1::EncounterEvent e;
    while (reader->Read(&e)) {
    }
    st = reader->Finish();
    EXPECT_EQ(st.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_TRUE(Contains(st.error_message(), "SubscribeRequest is 65537 bytes")) << st.error_message();
    EXPECT_EQ(LimitExceeded(*server, "max_message_bytes"), 2);
  }
  {  // unary
    grpc::ClientContext c1, c2, c3;
    v1::ListActiveResponse active;
    v1::ListTracksResponse tracks;
    v1::Position track;
    const grpc::Status unary[] = {
        v1::Encounters::NewStub(channel)->ListActive(&c1, PaddedTo(v1::ListActiveRequest(), kLimit + 1), &active),
        v1::Tracks::NewStub(channel)->ListTracks(&c2, PaddedTo(v1::ListTracksRequest(), kLimit + 1), &tracks),
        v1::Tracks::NewStub(channel)->GetTrack(&c3, PaddedTo(v1::GetTrackRequest(), kLimit + 1), &track)};
    for (const grpc::Status& u : unary) {
      EXPECT_EQ(u.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
      EXPECT_TRUE(Contains(u.error_message(), named)) << u.error_message();
    }
    EXPECT_EQ(LimitExceeded(*server, "max_message_bytes"), 5);
  }
  // Past twice the limit gRPC refuses the message itself, before the service sees it: still
  // RESOURCE_EXHAUSTED, not counted (README, "Limits on input").
  st = IngestOnce(*server, PaddedTo(batch, 2 * kLimit + 1));
  EXPECT_EQ(st.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(Contains(st.error_message(), "Received message larger than max")) << st.error_message();
  EXPECT_EQ(LimitExceeded(*server, "max_message_bytes"), 5);
  ExpectIntact(*server, before);
}

// Opens an Ingest stream and waits for its first ack (the stream is open on the server).
struct OpenIngest {
  explicit OpenIngest(const AirproxServer& s)
      : stub(v1::TrackIngest::NewStub(testing::Dial(s))), stream(stub->Ingest(&ctx)) {
    v1::PositionBatch empty;
    v1::IngestAck ack;
    open = stream->Write(empty) && stream->Read(&ack);
  }
  grpc::Status Close() {
    stream->WritesDone();
    return stream->Finish();
  }
  std::unique_ptr<v1::TrackIngest::Stub> stub;
  grpc::ClientContext ctx;
  std::unique_ptr<IngestStream> stream;
  bool open = false;
};

// `n` subscribers, registered on the server.
std::vector<std::unique_ptr<Subscriber>> OpenSubscribers(const AirproxServer& s, std::size_t n) {
  std::vector<std::unique_ptr<Subscriber>> subs;
  for (std::size_t i = 0; i < n; ++i) subs.push_back(std::make_unique<Subscriber>(s));
  EXPECT_TRUE(testing::WaitForSubscribers(s, n));
  return subs;
}

void CancelAll(std::vector<std::unique_ptr<Subscriber>>& subs) {
  for (auto& s : subs) {
    s->context.TryCancel();
    s->ReadAll();
  }
  subs.clear();
}

TEST(ServerHostile, AFloodOfStreamsFromOnePeerIsCappedPerPeer) {
  Config c = testing::TestConfig();
  c.limits.streams.max_streams_per_peer = 4;
  auto server = StartWithTraffic(c);
  const Accepted before = Snapshot(*server);
  auto subs = OpenSubscribers(*server, 4);
  for (int i = 0; i < 3; ++i) {  // a flood: every further stream is refused at once
    Subscriber refused(*server);
    refused.ReadAll();
    EXPECT_EQ(refused.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_TRUE(Contains(refused.status.error_message(), "limits.max_streams_per_peer = 4"))
        << refused.status.error_message();
    OpenIngest ingest(*server);
    EXPECT_FALSE(ingest.open);
    EXPECT_EQ(ingest.Close().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  }
  EXPECT_EQ(LimitExceeded(*server, "max_streams_per_peer"), 6);
  EXPECT_EQ(StreamsOpen(*server), 4);
  CancelAll(subs);  // their places are given back
  ASSERT_TRUE(testing::Eventually([&] { return StreamsOpen(*server) == 0; }, 10));
  ExpectIntact(*server, before);
}

TEST(ServerHostile, StreamsAndSubscribersInAllAreCapped) {
  Config c = testing::TestConfig();
  c.limits.streams.max_streams = 3;
  c.limits.streams.max_subscribers = 2;
  auto server = StartWithTraffic(c);
  const Accepted before = Snapshot(*server);
  auto subs = OpenSubscribers(*server, 2);
  Subscriber third(*server);
  third.ReadAll();
  EXPECT_EQ(third.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(Contains(third.status.error_message(), "limits.max_subscribers = 2")) << third.status.error_message();
  {
    OpenIngest first(*server);  // the third stream
    EXPECT_TRUE(first.open);
    OpenIngest second(*server);
    EXPECT_FALSE(second.open);
    const grpc::Status st = second.Close();
    EXPECT_EQ(st.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_TRUE(Contains(st.error_message(), "limits.max_streams = 3")) << st.error_message();
    EXPECT_TRUE(first.Close().ok());
  }
  EXPECT_EQ(LimitExceeded(*server, "max_subscribers"), 1);
  EXPECT_EQ(LimitExceeded(*server, "max_streams"), 1);
  CancelAll(subs);
  ASSERT_TRUE(testing::Eventually([&] { return StreamsOpen(*server) == 0; }, 10));
  ExpectIntact(*server, before);
}

// A raw TCP connection to 127.0.0.1:port.
class RawSocket {
 public:
  explicit RawSocket(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0;
  }
  ~RawSocket() { ::close(fd_); }
  bool connected() const { return connected_; }
  void Send(const std::string& bytes) { (void)::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL); }
  // True once the server has closed the connection (end of stream or reset); reads and drops
  // whatever it sent before. Waits at most `ms`.
  bool ClosedWithin(int ms) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(ms);
    while (Clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) > 0) {
        char buf[4096];
        if (::recv(fd_, buf, sizeof buf, 0) <= 0) return true;
      }
    }
    return false;
  }
  // An HTTP/1.1 GET on this connection; the whole answer.
  std::string Get(const std::string& path) { return Request("GET", path); }
  std::string Request(const std::string& method, const std::string& path) {
    Send(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    std::string answer;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd_, buf, sizeof buf, 0)) > 0;) answer.append(buf, static_cast<std::size_t>(n));
    return answer;
  }

 private:
  int fd_;
  bool connected_ = false;
};

TEST(ServerHostile, HalfOpenConnectionsAndASlowlorisAreClosedAfterTheHandshakeTimeout) {
  Config c = testing::TestConfig();
  c.limits.handshake_timeout_s = 1;
  auto server = StartWithTraffic(c);
  const Accepted before = Snapshot(*server);
  const auto opened = Clock::now();
  RawSocket grpc_silent(server->port()), grpc_partial(server->port());
  RawSocket http_silent(server->http_port()), slowloris(server->http_port());
  for (RawSocket* s : {&grpc_silent, &grpc_partial, &http_silent, &slowloris}) ASSERT_TRUE(s->connected());
  grpc_partial.Send("PRI * HTTP/2.0\r\n\r\n");  // the client preface cut short: no "SM\r\n\r\n"
  slowloris.Send("GET /metrics HTTP/1.1\r\n");
  // Everyone else is served meanwhile, on both ports.
  ExpectIntact(*server, before);
  const Accepted meanwhile = Snapshot(*server);
  EXPECT_TRUE(Contains(RawSocket(server->http_port()).Get("/healthz"), "200 OK"));
  // The slowloris sends a header byte every 50 ms and never finishes; it is closed all the same.
  bool slowloris_closed = false;
  for (int i = 0; i < 100 && !slowloris_closed; ++i) {
    slowloris.Send("X");
    slowloris_closed = slowloris.ClosedWithin(50);
  }
  EXPECT_TRUE(slowloris_closed);
  EXPECT_GE(Clock::now() - opened, std::chrono::milliseconds(900)) << "closed before the timeout";
  EXPECT_TRUE(http_silent.ClosedWithin(5000));
  EXPECT_TRUE(grpc_silent.ClosedWithin(5000));
  EXPECT_TRUE(grpc_partial.ClosedWithin(5000));
  EXPECT_TRUE(testing::Eventually([&] { return LimitExceeded(*server, "handshake_timeout_s") == 2; }, 5));
  ExpectIntact(*server, meanwhile, kTrafficSeconds + 4);
}

TEST(ServerHostile, NanInfinitiesAndTimestampsFrom1970And2100AreRejectedOneByOne) {
  auto server = StartWithTraffic();
  const Accepted before = Snapshot(*server);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const double t = kTrafficSeconds + 1;
  v1::PositionBatch batch;
  std::vector<std::string> expected;
  auto add = [&](v1::Position p, const char* reason) {
    *batch.add_positions() = std::move(p);
    expected.push_back(reason);
  };
  v1::Position p = Report("4b1814", t);  // an existing track: nothing here may touch it
  p.set_lat_deg(nan);
  add(p, "lat_out_of_range");
  p = Report("4b1814", t);
  p.set_lon_deg(-inf);
  add(p, "lon_out_of_range");
  p = Report("4b1814", t);
  p.set_alt_ft(inf);
  add(p, "alt_out_of_range");
  p = Report("3c6444", t);
  p.set_ground_speed_kt(nan);
  add(p, "ground_speed_out_of_range");
  p = Report("3c6444", t);
  p.set_track_deg(inf);
  add(p, "track_out_of_range");
  p = Report("3c6444", t);
  p.set_vertical_rate_fpm(-inf);
  add(p, "vertical_rate_out_of_range");
  for (const char* id : {"4b1814", "c0ffee"}) {  // 1970-01-01T00:00:01Z: existing and new tracks
    p = Report(id, 0);
    p.mutable_time()->set_seconds(1);
    add(p, "too_old");
  }
  for (std::int64_t seconds : {4102444800LL /* 2100-01-01 */, 253402300799LL /* 9999-12-31 */}) {
    p = Report("c0ffee", 0);
    p.mutable_time()->set_seconds(seconds);
    add(p, "time_jump");
  }
  p = Report("c0ffee", 0);
  p.mutable_time()->set_seconds(-1);  // before 1970
  add(p, "missing_time");
  v1::IngestAck ack;
  ASSERT_TRUE(IngestOnce(*server, batch, &ack).ok());
  EXPECT_EQ(ack.accepted(), 0u);
  ASSERT_EQ(ack.rejections_size(), static_cast<int>(expected.size()));
  for (int i = 0; i < ack.rejections_size(); ++i) {
    EXPECT_EQ(ack.rejections(i).index(), static_cast<std::uint32_t>(i));
    EXPECT_EQ(ack.rejections(i).reason(), expected[static_cast<std::size_t>(i)]) << ack.rejections(i).message();
  }
  ExpectIntact(*server, before);
}

TEST(ServerHostile, PastMaxTracksNewTracksAreRefusedAndExistingOnesKeepUpdating) {
  Config c = testing::TestConfig();
  c.limits.max_tracks = 3;
  auto server = StartWithTraffic(c);
  v1::PositionBatch batch;
  *batch.add_positions() = Report("a00001", kTrafficSeconds);
  *batch.add_positions() = Report("a00002", kTrafficSeconds, 11.0);
  v1::IngestAck ack;
  ASSERT_TRUE(IngestOnce(*server, batch, &ack).ok());
  EXPECT_EQ(ack.accepted(), 1u);
  ASSERT_EQ(ack.rejections_size(), 1);
  EXPECT_EQ(ack.rejections(0).index(), 1u);
  EXPECT_EQ(ack.rejections(0).reason(), "too_many_tracks");
  EXPECT_TRUE(Contains(ack.rejections(0).message(), "limits.max_tracks = 3")) << ack.rejections(0).message();
  // The existing tracks go on; new ones are still refused.
  batch.Clear();
  *batch.add_positions() = Report("a00003", kTrafficSeconds + 2);
  for (const Flight& f : Converging()) ToProto(f.At(kTrafficSeconds + 2), batch.add_positions());
  *batch.add_positions() = Report("a00001", kTrafficSeconds + 2);
  ASSERT_TRUE(IngestOnce(*server, batch, &ack).ok());
  EXPECT_EQ(ack.accepted(), 3u);
  ASSERT_EQ(ack.rejections_size(), 1);
  EXPECT_EQ(ack.rejections(0).index(), 0u);
  EXPECT_EQ(ack.rejections(0).reason(), "too_many_tracks");
  grpc::ClientContext ctx;
  v1::ListTracksResponse tracks;
  ASSERT_TRUE(v1::Tracks::NewStub(testing::Dial(*server))->ListTracks(&ctx, {}, &tracks).ok());
  ASSERT_EQ(tracks.tracks_size(), 3);
  for (const v1::Position& p : tracks.tracks()) EXPECT_EQ(FromTimestamp(p.time()), testing::kT0 + kTrafficSeconds + 2);
  auto m = testing::Metrics(*server);
  EXPECT_EQ(m["airprox_limit_exceeded_total{limit=\"max_tracks\"}"], 2);
  EXPECT_EQ(m["airprox_positions_rejected_total{reason=\"too_many_tracks\"}"], 2);
}

TEST(ServerHostile, FiltersPastTheirLimitsAreRefusedNamingTheLimit) {
  Config c = testing::TestConfig();
  c.limits.filter.max_vertices = 4;
  c.limits.filter.max_entries = 2;
  c.limits.filter.max_pattern_bytes = 8;
  auto server = StartWithTraffic(c);
  const Accepted before = Snapshot(*server);
  v1::SubscribeRequest vertices, entries, pattern;
  for (int i = 0; i < 5; ++i) {
    auto* v = vertices.add_area_polygon();
    v->set_lat_deg(40 + i % 2);
    v->set_lon_deg(i);
  }
  for (const char* id : {"a", "b", "c"}) entries.add_track_ids(id);
  pattern.add_callsign_patterns("SWR12345*");
  const std::pair<const v1::SubscribeRequest*, const char*> cases[] = {
      {&vertices, "limit of 4 (limits.filter_max_vertices)"},
      {&entries, "limit of 2 (limits.filter_max_entries)"},
      {&pattern, "limit of 8 (limits.filter_max_pattern_bytes)"}};
  for (const auto& [request, message] : cases) {
    grpc::ClientContext ctx;
    auto reader = v1::Encounters::NewStub(testing::Dial(*server))->Subscribe(&ctx, *request);
    v1::EncounterEvent e;
    EXPECT_FALSE(reader->Read(&e));
    const grpc::Status st = reader->Finish();
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_TRUE(Contains(st.error_message(), message)) << st.error_message();
  }
  for (const char* limit : {"filter_max_vertices", "filter_max_entries", "filter_max_pattern_bytes"}) {
    EXPECT_EQ(LimitExceeded(*server, limit), 1) << limit;
  }
  EXPECT_EQ(StreamsOpen(*server), 0);  // refused before taking a place
  ExpectIntact(*server, before);
}

TEST(ServerHostile, SbsLinesPastTheLimitAreDroppedAndTheFeedGoesOn) {
  Config c = testing::WithPushedSbsFeed(testing::TestConfig());
  c.limits.sbs_max_line_bytes = 256;
  auto server = testing::StartServer(c);
  RawSocket pusher(server->feeds().feeds()[0].port);
  ASSERT_TRUE(pusher.connected());
  const std::vector<std::string> lines = testing::FormationSbsLines();
  std::string text = "MSG,3," + std::string(100000, '9') + "\n";  // far past the limit
  for (std::size_t i = 0; i < 200 && i < lines.size(); ++i) text += lines[i];
  pusher.Send(text);
  const FeedCounters& counters = *server->feeds().feeds()[0].counters;
  ASSERT_TRUE(testing::Eventually([&] { return counters.lines.load() >= 201; }, 10));
  EXPECT_EQ(counters.too_long_lines.load(), 1u);
  EXPECT_EQ(counters.malformed.load(), 1u);
  EXPECT_TRUE(testing::Eventually([&] { return counters.positions.load() > 0; }, 10));
  EXPECT_EQ(LimitExceeded(*server, "sbs_max_line_bytes"), 1);
}

TEST(ServerHostile, HeadGetsTheHeadersOfGetWithoutTheBody) {
  auto server = testing::StartServer();
  for (const char* path : {"/healthz", "/", "/nothing-here"}) {
    const std::string get = RawSocket(server->http_port()).Get(path);
    const std::string head = RawSocket(server->http_port()).Request("HEAD", path);
    const std::size_t get_end = get.find("\r\n\r\n"), head_end = head.find("\r\n\r\n");
    ASSERT_NE(get_end, std::string::npos) << get;
    ASSERT_NE(head_end, std::string::npos) << head;
    EXPECT_EQ(head.substr(0, head.find("\r\n")), get.substr(0, get.find("\r\n"))) << path;
    EXPECT_EQ(head_end + 4, head.size()) << path << ": a body after the headers of a HEAD answer";
    const std::string length = fmt::format("Content-Length: {}\r\n", get.size() - get_end - 4);
    EXPECT_TRUE(Contains(get, length)) << get;
    EXPECT_TRUE(Contains(head, length)) << path << ": HEAD names the length GET would send\n" << head;
  }
}

}  // namespace
}  // namespace airprox
