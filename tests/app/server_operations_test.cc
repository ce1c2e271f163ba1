// Operations over the real server: the gRPC health service, /metrics, and transport-only ingest.
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

using testing::Metrics;

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

}  // namespace
}  // namespace airprox
