#include "client/queries.h"

#include <iostream>

#include "airprox/v1/airprox.grpc.pb.h"
#include "client/connection.h"
#include "client/event_text.h"

namespace airprox::cli {
namespace {

int Fail(const char* command, const std::string& message) {
  std::cerr << "airprox " << command << ": " << message << "\n";
  return 1;
}

}  // namespace

int RunSubscribe(const SubscribeOptions& options) {
  std::string error;
  auto channel = Connect(options.server, error);
  if (!channel) return Fail("subscribe", error);
  auto stub = v1::Encounters::NewStub(channel);
  grpc::ClientContext context;
  auto reader = stub->Subscribe(&context, v1::SubscribeRequest());
  v1::EncounterEvent event;
  while (reader->Read(&event)) {
    std::cout << (options.json ? EventJson(event) : FormatEvent(event)) << std::endl;  // flush per line
  }
  const grpc::Status status = reader->Finish();
  if (!status.ok()) return Fail("subscribe", "stream ended: " + status.error_message());
  return 0;
}

int RunTracks(const Endpoint& server) {
  std::string error;
  auto channel = Connect(server, error);
  if (!channel) return Fail("tracks", error);
  grpc::ClientContext context;
  v1::ListTracksResponse response;
  const grpc::Status status =
      v1::Tracks::NewStub(channel)->ListTracks(&context, v1::ListTracksRequest(), &response);
  if (!status.ok()) return Fail("tracks", status.error_message());
  std::cout << "track    callsign  time                  lat_deg     lon_deg  alt_ft gs_kt trk_deg vr_fpm\n";
  for (const auto& p : response.tracks()) std::cout << FormatTrack(p) << "\n";
  std::cout << response.tracks_size() << " live tracks\n";
  return 0;
}

int RunEncounters(const Endpoint& server, bool json) {
  std::string error;
  auto channel = Connect(server, error);
  if (!channel) return Fail("encounters", error);
  grpc::ClientContext context;
  v1::ListActiveResponse response;
  const grpc::Status status =
      v1::Encounters::NewStub(channel)->ListActive(&context, v1::ListActiveRequest(), &response);
  if (!status.ok()) return Fail("encounters", status.error_message());
  for (const auto& e : response.encounters()) {
    std::cout << (json ? EventJson(e) : FormatEvent(e)) << "\n";
  }
  if (!json) std::cout << response.encounters_size() << " active encounters\n";
  return 0;
}

}  // namespace airprox::cli
