// Tracks: the live track table.
#pragma once

#include "airprox/v1/airprox.grpc.pb.h"
#include "server/pipeline/detection_loop.h"

namespace airprox {

class TrackService final : public v1::Tracks::CallbackService {
 public:
  explicit TrackService(DetectionLoop& loop) : loop_(loop) {}

  grpc::ServerUnaryReactor* ListTracks(grpc::CallbackServerContext* context,
                                       const v1::ListTracksRequest* request,
                                       v1::ListTracksResponse* response) override;
  grpc::ServerUnaryReactor* GetTrack(grpc::CallbackServerContext* context,
                                     const v1::GetTrackRequest* request,
                                     v1::Position* response) override;

 private:
  DetectionLoop& loop_;
};

}  // namespace airprox
