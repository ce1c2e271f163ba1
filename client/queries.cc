#include "client/queries.h"

#include <cctype>
#include <algorithm>
#include <chrono>
#include <iostream>
#include <thread>

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

namespace {

// The request for the subscription options, or a one-line error.
bool BuildRequest(const SubscribeOptions& options, v1::SubscribeRequest& request, std::string& error) {
  request.set_snapshot(options.snapshot);
  request.set_from_sequence(options.from_sequence);
  if (!options.min_severity.empty()) {
    v1::Severity s;
    std::string upper = options.min_severity;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!v1::Severity_Parse(upper, &s) || s == v1::SEVERITY_UNSPECIFIED) {
      error = "--min-severity: '" + options.min_severity + "' is not one of ADVISORY, WARNING, ALERT";
      return false;
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
  return true;
}

}  // namespace

int RunSubscribe(const SubscribeOptions& options) {
  v1::SubscribeRequest request;
  std::string error;
  if (!BuildRequest(options, request, error)) return Fail("subscribe", error);
  std::uint64_t last_sequence = 0;  // the resume cursor
  for (int attempt = 0;; ++attempt) {
    auto channel = Connect(options.server, error);
    if (!channel) {
      if (!options.follow) return Fail("subscribe", error);
      std::this_thread::sleep_for(std::chrono::seconds(std::min(1 << std::min(attempt, 3), 10)));
      continue;
    }
    attempt = 0;
    if (last_sequence > 0) {  // reconnecting: resume right after what was printed
      request.set_snapshot(false);
      request.set_from_sequence(last_sequence);
    }
    grpc::ClientContext context;
    auto reader = v1::Encounters::NewStub(channel)->Subscribe(&context, request);
    v1::EncounterEvent event;
    while (reader->Read(&event)) {
      if (event.kind() != v1::EncounterEvent::HEARTBEAT || options.json) {
        std::cout << (options.json ? EventJson(event) : FormatEvent(event)) << std::endl;  // flush
      }
      if (event.kind() != v1::EncounterEvent::HEARTBEAT && !event.snapshot()) {
        last_sequence = std::max(last_sequence, event.sequence());
      }
    }
    const grpc::Status status = reader->Finish();
    if (!options.follow) {
      if (!status.ok()) return Fail("subscribe", "stream ended: " + status.error_message());
      return 0;
    }
    if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
      return Fail("subscribe", status.error_message());
    }
    std::cerr << "airprox subscribe: stream ended (" << (status.ok() ? "server stopped" : status.error_message())
              << "); reconnecting to resume after sequence " << last_sequence << "\n";
  }
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
