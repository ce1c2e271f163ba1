// Clients shared by the end-to-end server tests (server_test.cc, server_subscriptions_test.cc,
// server_operations_test.cc): a subscriber that reads everything, the converging pair, ingest.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "airprox/v1/airprox.grpc.pb.h"
#include "server/app/server.h"
#include "server/service/proto_convert.h"
#include "tests/app/server_test_support.h"
#include "tests/core/detector_fixture.h"

namespace airprox::testing {

struct Subscriber {
  explicit Subscriber(const AirproxServer& s)
      : stub(v1::Encounters::NewStub(Dial(s))),
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
inline std::vector<Flight> Converging() {
  const auto [lat, lon] = Offset(46.0, 6.0, 90, units::nm_to_m(40));
  const auto [lat2, lon2] = Offset(lat, lon, 0, units::nm_to_m(1));
  return {Flight{"4b1814", 46.0, 6.0, 0, 90, 420, 30000, 0, "SWR12"},
          Flight{"3c6444", lat2, lon2, 0, 270, 420, 30000, 0, "DLH4"}};
}

using IngestStream = grpc::ClientReaderWriter<v1::PositionBatch, v1::IngestAck>;

// Writes one batch with every flight's report at data time t and returns its ack.
inline v1::IngestAck SendAt(IngestStream& stream, const std::vector<Flight>& flights, double t,
                     std::uint64_t batch_id = 0) {
  v1::PositionBatch batch;
  batch.set_batch_id(batch_id);
  for (const Flight& f : flights) ToProto(f.At(t), batch.add_positions());
  v1::IngestAck ack;
  EXPECT_TRUE(stream.Write(batch));
  EXPECT_TRUE(stream.Read(&ack));
  return ack;
}

// `from` from the pair's initial positions.
inline void Converge(AirproxServer& server, double from, double seconds) {
  auto ingest = v1::TrackIngest::NewStub(Dial(server));
  grpc::ClientContext ctx;
  auto stream = ingest->Ingest(&ctx);
  auto flights = Converging();
  for (Flight& f : flights) f.t0 = from;
  for (double t = from; t <= from + seconds; t += 2) SendAt(*stream, flights, t);
  stream->WritesDone();
  ASSERT_TRUE(stream->Finish().ok());
}

inline std::vector<v1::EncounterEvent> ReadUntilStop(grpc::ClientReader<v1::EncounterEvent>& r) {
  std::vector<v1::EncounterEvent> out;
  v1::EncounterEvent e;
  while (r.Read(&e)) {
    if (e.kind() != v1::EncounterEvent::HEARTBEAT) out.push_back(e);
  }
  EXPECT_TRUE(r.Finish().ok());
  return out;
}

// The metric samples of the server's /metrics text, by name with labels
// ("airprox_limit_exceeded_total{limit=\"max_streams\"}").
inline std::map<std::string, double> Metrics(const AirproxServer& s) {
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

}  // namespace airprox::testing

// The end-to-end server tests use these by their plain names.
namespace airprox {
using testing::Converge;
using testing::Converging;
using testing::Flight;
using testing::IngestStream;
using testing::ReadUntilStop;
using testing::SendAt;
using testing::Subscriber;
}  // namespace airprox
