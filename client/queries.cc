#include "client/queries.h"

#include <cctype>
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
  v1::SubscribeRequest request;
  request.set_snapshot(options.snapshot);
  request.set_from_sequence(options.from_sequence);
  if (!options.min_severity.empty()) {
    v1::Severity s;
    std::string upper = options.min_severity;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!v1::Severity_Parse(upper, &s) || s == v1::SEVERITY_UNSPECIFIED) {
      return Fail("subscribe", "--min-severity: '" + options.min_severity +
                                   "' is not one of ADVISORY, WARNING, ALERT");
    }
    request.set_min_severity(s);
  }
  for (const auto& r : options.rules) request.add_rules(r);
  for (const auto& t : options.track_ids) request.add_track_ids(t);
  for (const auto& c : options.callsign_patterns) request.add_callsign_patterns(c);
  if (!options.bbox.empty()) {
    auto* b = request.mutable_area_box();
    b->set_min_lat_deg(options.bbox[0]);
    b->set_min_lon_deg(options.bbox[1]);
    b->set_max_lat_deg(options.bbox[2]);
    b->set_max_lon_deg(options.bbox[3]);
  }
  grpc::ClientContext context;
  auto reader = stub->Subscribe(&context, request);
  v1::EncounterEvent event;
  while (reader->Read(&event)) {
    if (!options.json && event.kind() == v1::EncounterEvent::HEARTBEAT) continue;
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
