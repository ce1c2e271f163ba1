// Bearer tokens with roles on the real server (in-process, 127.0.0.1, port 0): every role against
// every method, the HTTP endpoints, reloads that add and revoke tokens (and end open streams),
// and the rate-limited refusal log.
#include "server/app/server.h"

#include <unistd.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <map>
#include <thread>

#include <grpcpp/generic/generic_stub.h>

#include "airprox/v1/airprox.grpc.pb.h"
#include "server/auth/access_tokens.h"
#include "server/service/call_authorization.h"
#include "server/service/proto_convert.h"
#include "server/service/refusal_log.h"
#include "tests/app/server_test_support.h"
#include "tests/app/security_test_clients.h"
#include "tests/app/test_certificates.h"
#include "tests/http/websocket_test_client.h"

namespace airprox {
namespace {

namespace fs = std::filesystem;

using testing::HttpGet;
using testing::HttpResult;
using testing::kCallTimeout;
using testing::ListTracks;
using testing::TestCertificates;
using testing::TlsChannel;
using testing::TlsConfig;

// --- Bearer tokens -------------------------------------------------------------------------

const char* const kTokens[] = {"ingest-secret", "subscribe-secret", "admin-secret", "all-secret"};

std::string TokenFile(const fs::path& path) {
  std::ofstream(path) << "# name and roles of each token\n"
                      << Sha256Hex("ingest-secret") << " feeder ingest\n"
                      << Sha256Hex("subscribe-secret") << " watcher subscribe\n"
                      << Sha256Hex("admin-secret") << " ops admin\n"
                      << Sha256Hex("all-secret") << " everything ingest,subscribe,admin\n";
  return path.string();
}

class ServerTokens : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() / ("airprox_tokens_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    Config c = testing::TestConfig();
    c.auth.token_file = TokenFile(path_);
    c.subscribers.heartbeat_s = 0.1;  // a subscriber that is let in reads a heartbeat at once
    server_ = testing::StartServer(c);
    channel_ = testing::Dial(*server_);
  }
  void TearDown() override {
    server_->Stop();
    fs::remove(path_);
  }

  fs::path path_;
  std::unique_ptr<AirproxServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

// airprox_auth_refused_total{reason} in the server's /metrics text (-1 when missing).
double AuthRefused(const AirproxServer& s, const std::string& reason) {
  const std::string text = s.MetricsText();
  const std::string sample = "\nairprox_auth_refused_total{reason=\"" + reason + "\"} ";
  const auto at = text.find(sample);
  return at == std::string::npos ? -1.0 : std::stod(text.substr(at + sample.size()));
}

void Authorize(grpc::ClientContext& context, const std::string& token) {
  context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
  if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
}

// A unary call with `token`; its status code.
template <typename Stub, typename Request, typename Response>
grpc::StatusCode Unary(std::unique_ptr<Stub> stub,
                       grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                       const std::string& token, const Request& request = Request()) {
  grpc::ClientContext context;
  Authorize(context, token);
  Response response;
  return ((*stub).*method)(&context, request, &response).error_code();
}

// One call of each method of airprox.v1, returning its status code; `allowed` is the code when
// the token passes (GetTrack of a track that does not exist: NOT_FOUND).
struct Call {
  std::string method;
  Role role;
  grpc::StatusCode allowed;
  std::function<grpc::StatusCode(const std::shared_ptr<grpc::Channel>&, const std::string& token)> run;
};

const std::vector<Call>& Calls() {
  static const std::vector<Call> calls = {
      {"/airprox.v1.TrackIngest/Ingest", Role::kIngest, grpc::StatusCode::OK,
       [](const std::shared_ptr<grpc::Channel>& ch, const std::string& token) {
         auto stub = v1::TrackIngest::NewStub(ch);
         grpc::ClientContext context;
         Authorize(context, token);
         auto stream = stub->Ingest(&context);
         v1::PositionBatch batch;
         batch.set_batch_id(1);
         v1::IngestAck ack;
         if (stream->Write(batch)) stream->Read(&ack);
         stream->WritesDone();
         return stream->Finish().error_code();
       }},
      {"/airprox.v1.Encounters/Subscribe", Role::kSubscribe, grpc::StatusCode::OK,
       [](const std::shared_ptr<grpc::Channel>& ch, const std::string& token) {
         auto stub = v1::Encounters::NewStub(ch);
         grpc::ClientContext context;
         Authorize(context, token);
         auto reader = stub->Subscribe(&context, v1::SubscribeRequest());
         v1::EncounterEvent event;
         if (reader->Read(&event)) {
           context.TryCancel();
           reader->Finish();
           return event.kind() == v1::EncounterEvent::HEARTBEAT ? grpc::StatusCode::OK : grpc::StatusCode::INTERNAL;
         }
         return reader->Finish().error_code();
       }},
      {"/airprox.v1.Encounters/ListActive", Role::kSubscribe, grpc::StatusCode::OK,
       [](const std::shared_ptr<grpc::Channel>& ch, const std::string& token) {
         return Unary(v1::Encounters::NewStub(ch), &v1::Encounters::Stub::ListActive, token);
       }},
      {"/airprox.v1.Tracks/ListTracks", Role::kSubscribe, grpc::StatusCode::OK,
       [](const std::shared_ptr<grpc::Channel>& ch, const std::string& token) {
         return Unary(v1::Tracks::NewStub(ch), &v1::Tracks::Stub::ListTracks, token);
       }},
      {"/airprox.v1.Tracks/GetTrack", Role::kSubscribe, grpc::StatusCode::NOT_FOUND,
       [](const std::shared_ptr<grpc::Channel>& ch, const std::string& token) {
         v1::GetTrackRequest request;
         request.set_track_id("nope");
         return Unary(v1::Tracks::NewStub(ch), &v1::Tracks::Stub::GetTrack, token, request);
       }},
  };
  return calls;
}

TEST_F(ServerTokens, EveryRoleAgainstEveryMethod) {
  ASSERT_EQ(Calls().size(), std::size(kMethodRoles));
  for (const Call& call : Calls()) EXPECT_EQ(MethodRoleOf(call.method), call.role) << call.method;
  const std::map<std::string, Roles> roles = {
      {"ingest-secret", {Role::kIngest}},
      {"subscribe-secret", {Role::kSubscribe}},
      {"admin-secret", {Role::kAdmin}},
      {"all-secret", {Role::kIngest, Role::kSubscribe, Role::kAdmin}},
  };
  for (const Call& call : Calls()) {
    for (const char* token : kTokens) {
      const grpc::StatusCode expected =
          roles.at(token).Has(call.role) ? call.allowed : grpc::StatusCode::PERMISSION_DENIED;
      EXPECT_EQ(call.run(channel_, token), expected) << call.method << " with " << token;
    }
  }
}

TEST_F(ServerTokens, MissingOrUnknownTokensAreUnauthenticatedAndLoggedWithoutTheToken) {
  auto ring = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
  spdlog::default_logger()->sinks().push_back(ring);
  // The first three are logged (refusal lines are rate-limited: the rest may not be).
  EXPECT_EQ(Calls()[0].run(channel_, "subscribe-secret"), grpc::StatusCode::PERMISSION_DENIED);
  for (const Call& call : Calls()) {
    EXPECT_EQ(call.run(channel_, ""), grpc::StatusCode::UNAUTHENTICATED) << call.method;
    EXPECT_EQ(call.run(channel_, "guess"), grpc::StatusCode::UNAUTHENTICATED) << call.method;
  }
  spdlog::default_logger()->sinks().pop_back();
  const std::vector<std::string> lines = ring->last_formatted();
  std::string all;
  for (const std::string& l : lines) all += l;
  EXPECT_NE(all.find("auth refused method=/airprox.v1.TrackIngest/Ingest name=watcher"), std::string::npos) << all;
  EXPECT_NE(all.find("reason=unknown_token"), std::string::npos) << all;
  EXPECT_NE(all.find("reason=missing_token"), std::string::npos) << all;
  EXPECT_EQ(all.find("subscribe-secret"), std::string::npos) << all;
  EXPECT_EQ(all.find("guess"), std::string::npos) << all;
}

TEST_F(ServerTokens, AFloodOfRefusalsLogsAFewLinesASecondThenHowManyWereSuppressedAndCountsEveryOne) {
  auto ring = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(256);
  spdlog::default_logger()->sinks().push_back(ring);
  const Call& list = Calls()[3];
  const double before = AuthRefused(*server_, "unauthenticated");
  constexpr int kFlood = 40;
  for (int i = 0; i < kFlood; ++i) ASSERT_EQ(list.run(channel_, "guess"), grpc::StatusCode::UNAUTHENTICATED);
  const auto lines = [&] {
    std::vector<std::string> out;
    for (const std::string& l : ring->last_formatted()) {
      if (l.find("auth refused") != std::string::npos || l.find("auth refusals") != std::string::npos) out.push_back(l);
    }
    return out;
  };
  const std::size_t logged = lines().size();
  EXPECT_GE(logged, 1u);
  EXPECT_LE(logged, kRefusalLinesPerSecond + 1) << "at most a few lines a second (and one summary of earlier ones)";
  std::size_t refused_lines = 0;
  for (const std::string& l : lines()) refused_lines += l.find("auth refused method=") != std::string::npos;
  EXPECT_EQ(AuthRefused(*server_, "unauthenticated"), before + kFlood) << "the counters count every refusal";

  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the next second
  ASSERT_EQ(list.run(channel_, "guess"), grpc::StatusCode::UNAUTHENTICATED);
  spdlog::default_logger()->sinks().pop_back();
  const std::vector<std::string> after = lines();
  ASSERT_GE(after.size(), logged + 2) << "a line of how many were suppressed, then the refusal";
  const std::string& summary = after[after.size() - 2];
  const std::string expected = fmt::format("auth refusals: {} log lines suppressed", kFlood - refused_lines);
  EXPECT_NE(summary.find(expected), std::string::npos) << summary << " (expected " << expected << ")";
  EXPECT_NE(after.back().find("auth refused method=/airprox.v1.Tracks/ListTracks"), std::string::npos) << after.back();
}

TEST_F(ServerTokens, TheHealthServiceStaysOpen) {
  auto stub = std::make_unique<grpc::GenericStub>(channel_);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
  const grpc::Slice empty;
  const grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub->UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                  [&](grpc::Status st) { done.set_value(std::move(st)); });
  EXPECT_TRUE(done.get_future().get().ok());
}

TEST_F(ServerTokens, ReloadRevokesAndAddsTokensAndKeepsThemWhenTheNewFileIsInvalid) {
  const Call& list = Calls()[3];
  std::ofstream(path_, std::ios::trunc) << Sha256Hex("new-secret") << " newcomer subscribe\n";
  ASSERT_TRUE(server_->Reload().ok());
  EXPECT_EQ(list.run(channel_, "subscribe-secret"), grpc::StatusCode::UNAUTHENTICATED) << "revoked";
  EXPECT_EQ(list.run(channel_, "new-secret"), grpc::StatusCode::OK);

  std::ofstream(path_, std::ios::trunc) << "# broken\n" << Sha256Hex("x") << " x read\n";
  const Status st = server_->Reload();
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find(path_.string() + ":2: 'read' is not a role"), std::string::npos) << st.message();
  EXPECT_EQ(list.run(channel_, "new-secret"), grpc::StatusCode::OK) << "the previous tokens stay";
}

// A batch of one report of `track` (data time 1.5e9 s + `t_s`).
v1::PositionBatch OneReport(const std::string& track, double t_s, std::uint64_t batch_id) {
  v1::PositionBatch batch;
  batch.set_batch_id(batch_id);
  v1::Position* p = batch.add_positions();
  p->set_track_id(track);
  ToTimestamp(1.5e9 + t_s, p->mutable_time());
  p->set_lat_deg(46);
  p->set_lon_deg(6);
  p->set_alt_ft(30000);
  return batch;
}

// An open Ingest stream with `token`, its first batch acknowledged.
struct OpenIngest {
  OpenIngest(const std::shared_ptr<grpc::Channel>& channel, const std::string& token)
      : stub(v1::TrackIngest::NewStub(channel)) {
    Authorize(context, token);
    stream = stub->Ingest(&context);
    v1::IngestAck ack;
    open = stream->Write(OneReport(token.substr(0, 6), 0, 1)) && stream->Read(&ack) && ack.accepted() == 1;
  }
  std::unique_ptr<v1::TrackIngest::Stub> stub;
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReaderWriter<v1::PositionBatch, v1::IngestAck>> stream;
  bool open = false;
};

// An open Subscribe stream with `token`, its first heartbeat read.
struct OpenSubscriber {
  OpenSubscriber(const std::shared_ptr<grpc::Channel>& channel, const std::string& token)
      : stub(v1::Encounters::NewStub(channel)) {
    Authorize(context, token);
    reader = stub->Subscribe(&context, v1::SubscribeRequest());
    open = reader->Read(&event);
  }
  // Reads until the stream ends; its status.
  grpc::Status ReadToEnd() {
    while (reader->Read(&event)) {
    }
    return reader->Finish();
  }
  std::unique_ptr<v1::Encounters::Stub> stub;
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<v1::EncounterEvent>> reader;
  v1::EncounterEvent event;
  bool open = false;
};

TEST_F(ServerTokens, AReloadEndsTheOpenStreamsWhoseTokenItRevokesOrStripsOfTheRole) {
  auto ring = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
  spdlog::default_logger()->sinks().push_back(ring);
  OpenSubscriber watcher(channel_, "subscribe-secret");  // its token goes
  OpenSubscriber everything(channel_, "all-secret");     // keeps subscribe
  OpenIngest all_ingest(channel_, "all-secret");         // loses ingest
  OpenIngest feeder(channel_, "ingest-secret");          // keeps ingest
  ASSERT_TRUE(watcher.open && everything.open && all_ingest.open && feeder.open);
  const auto refused = [&](const std::string& reason) { return AuthRefused(*server_, reason); };
  const double unauthenticated = refused("unauthenticated"), denied = refused("permission_denied");

  std::ofstream(path_, std::ios::trunc) << Sha256Hex("ingest-secret") << " feeder ingest\n"
                                        << Sha256Hex("all-secret") << " everything subscribe,admin\n";
  ASSERT_TRUE(server_->Reload().ok());

  // Subscribe: ended at the reload (after what was queued), without waiting for an event.
  const grpc::Status revoked = watcher.ReadToEnd();
  EXPECT_EQ(revoked.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(revoked.error_message().find("revoked by a reload of the server's token file"), std::string::npos)
      << revoked.error_message();
  ASSERT_TRUE(everything.reader->Read(&everything.event)) << "a token that keeps its role keeps its stream";
  everything.context.TryCancel();
  EXPECT_EQ(everything.ReadToEnd().error_code(), grpc::StatusCode::CANCELLED);

  // Ingest: ended at its next batch, which is not applied.
  v1::IngestAck ack;
  ASSERT_TRUE(all_ingest.stream->Write(OneReport("stripped", 2, 2)));
  EXPECT_FALSE(all_ingest.stream->Read(&ack));
  const grpc::Status stripped = all_ingest.stream->Finish();
  EXPECT_EQ(stripped.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(stripped.error_message().find("lacks the role ingest"), std::string::npos) << stripped.error_message();
  ASSERT_TRUE(feeder.stream->Write(OneReport("kept", 2, 2)));
  ASSERT_TRUE(feeder.stream->Read(&ack));
  EXPECT_EQ(ack.accepted(), 1u);
  feeder.stream->WritesDone();
  EXPECT_TRUE(feeder.stream->Finish().ok());
  EXPECT_FALSE(testing::OnDetector(*server_, [](const Detector& d) { return d.tracks().Find("stripped") != nullptr; }));
  EXPECT_TRUE(testing::OnDetector(*server_, [](const Detector& d) { return d.tracks().Find("kept") != nullptr; }));

  EXPECT_EQ(refused("unauthenticated"), unauthenticated + 1);
  EXPECT_EQ(refused("permission_denied"), denied + 1);
  spdlog::default_logger()->sinks().pop_back();
  std::string all;
  for (const std::string& l : ring->last_formatted()) all += l;
  EXPECT_NE(all.find("auth revoked method=/airprox.v1.Encounters/Subscribe name=watcher"), std::string::npos) << all;
  EXPECT_NE(all.find("auth revoked method=/airprox.v1.TrackIngest/Ingest name=everything"), std::string::npos) << all;
  EXPECT_NE(all.find("reason=missing_role"), std::string::npos) << all;
  EXPECT_EQ(all.find("subscribe-secret"), std::string::npos) << all;
}

TEST(ServerTokensStart, ABadTokenFileStopsTheStartWithFileAndLine) {
  const fs::path path = fs::temp_directory_path() / ("airprox_bad_tokens_" + std::to_string(::getpid()));
  std::ofstream(path) << Sha256Hex("a") << " a ingest\n" << Sha256Hex("b") << " b ingest,,admin\n";
  Config c = testing::TestConfig();
  c.auth.token_file = path.string();
  AirproxServer server(c);
  const Status st = server.Start();
  EXPECT_EQ(st.reason(), "token_file");
  EXPECT_EQ(st.message(), path.string() + ":2: '' is not a role (ingest, subscribe, admin)");
  fs::remove(path);
}

// --- HTTP ----------------------------------------------------------------------------------

TEST_F(ServerTokens, HttpProbesStayOpenAndEverythingElseNeedsAValidToken) {
  const int port = server_->http_port();
  EXPECT_EQ(HttpGet(port, "/healthz").status, 200);
  EXPECT_EQ(HttpGet(port, "/readyz").status, 200);
  const HttpResult anonymous = HttpGet(port, "/metrics");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_NE(anonymous.headers.find("WWW-Authenticate: Bearer realm=\"airprox\""), std::string::npos)
      << anonymous.headers;
  EXPECT_EQ(HttpGet(port, "/metrics", "guess").status, 401);
  EXPECT_EQ(HttpGet(port, "/nothing").status, 401);
  for (const char* token : kTokens) EXPECT_EQ(HttpGet(port, "/metrics", token).status, 200) << token;
  EXPECT_EQ(HttpGet(port, "/nothing", "ingest-secret").status, 404);
  const std::string metrics = server_->MetricsText();
  EXPECT_NE(metrics.find("airprox_auth_tokens 4\n"), std::string::npos);
  EXPECT_NE(metrics.find("airprox_auth_refused_total{reason=\"unauthenticated\"} 3\n"), std::string::npos) << metrics;
}

TEST_F(ServerTokens, TheMapPageLoadsWithoutATokenAndItsDataNeedsTheSubscribeRole) {
  const int port = server_->http_port();
  // The page's files are public code: the page must load to ask for a token.
  for (const char* path : {"/", "/map.js", "/map.css", "/base_map.geojson", "/leaflet/leaflet.js"}) {
    EXPECT_EQ(HttpGet(port, path).status, 200) << path;
  }
  EXPECT_EQ(HttpGet(port, "/metrics").status, 401);

  auto ring = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
  spdlog::default_logger()->sinks().push_back(ring);
  testing::WebSocketTestClient none, unknown, ingest, admin;
  EXPECT_EQ(none.Connect(port, "/ws", {"airprox-map.v1"}), 401);
  EXPECT_EQ(unknown.Connect(port, "/ws", {"airprox-map.v1", "token.guess"}), 401);
  EXPECT_EQ(ingest.Connect(port, "/ws", {"airprox-map.v1", "token.ingest-secret"}), 403);
  EXPECT_EQ(admin.Connect(port, "/ws", {"airprox-map.v1", "token.admin-secret"}), 403);
  spdlog::default_logger()->sinks().pop_back();
  std::string log;
  for (const std::string& line : ring->last_formatted()) log += line;
  EXPECT_NE(log.find("auth refused path=/ws name=feeder reason=missing_role"), std::string::npos) << log;
  EXPECT_NE(log.find("auth refused path=/ws name=- reason=missing_token"), std::string::npos) << log;
  for (const char* token : kTokens) EXPECT_EQ(log.find(token), std::string::npos) << token;
  const std::string metrics = server_->MetricsText();
  EXPECT_NE(metrics.find("airprox_auth_refused_total{reason=\"unauthenticated\"} 3\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("airprox_auth_refused_total{reason=\"permission_denied\"} 2\n"), std::string::npos) << metrics;

  // With the subscribe role: the handshake succeeds and the tracks follow.
  testing::WebSocketTestClient watcher;
  ASSERT_EQ(watcher.Connect(port, "/ws", {"airprox-map.v1", "token.subscribe-secret"}), 101);
  Position p;
  p.time_s = 1700000000;
  p.track_id = "4b1814";
  p.lat_deg = 46;
  p.lon_deg = 6;
  p.alt_ft = 30000;
  std::promise<void> applied;
  ASSERT_TRUE(server_->detection().SubmitBatch({p}, [&](std::vector<Status>) { applied.set_value(); }).ok());
  applied.get_future().wait();
  bool got_track = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!got_track && std::chrono::steady_clock::now() < deadline) {
    const auto m = watcher.Read(std::chrono::milliseconds(200));
    got_track = m && m->find("\"type\":\"tracks\"") != std::string::npos && m->find("4b1814") != std::string::npos;
  }
  EXPECT_TRUE(got_track) << "no tracks message with the track reached the subscribe token's client";
  testing::WebSocketTestClient everything;
  EXPECT_EQ(everything.Connect(port, "/ws", {"airprox-map.v1", "token.all-secret"}), 101);
}

TEST(ServerTokensOff, WithoutATokenFileHttpAndGrpcAreOpen) {
  Config c = testing::TestConfig();
  c.subscribers.heartbeat_s = 0.1;
  auto server = testing::StartServer(c);
  EXPECT_EQ(HttpGet(server->http_port(), "/metrics").status, 200);
  for (const Call& call : Calls()) EXPECT_EQ(call.run(testing::Dial(*server), ""), call.allowed) << call.method;
  server->Stop();
}

TEST(ServerTokensTls, TokensAndMutualTlsTogether) {
  TestCertificates pki("tokens_tls");
  pki.MakeCa("ca");
  pki.MakeCert("server", "ca", "airproxd", true);
  pki.MakeCert("client", "ca", "radar-1", false);
  const fs::path path = fs::temp_directory_path() / ("airprox_tls_tokens_" + std::to_string(::getpid()));
  Config c = TlsConfig(pki, "server", "ca");
  c.auth.token_file = TokenFile(path);
  auto server = testing::StartServer(c);
  const auto channel = TlsChannel(*server, pki, "ca", "client");
  EXPECT_EQ(Calls()[3].run(channel, "subscribe-secret"), grpc::StatusCode::OK);
  EXPECT_EQ(Calls()[3].run(channel, "ingest-secret"), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Calls()[3].run(channel, ""), grpc::StatusCode::UNAUTHENTICATED);
  server->Stop();
  fs::remove(path);
}

}  // namespace
}  // namespace airprox
