// Tracks: the live track table.
#pragma once

#include "airprox/v1/airprox.grpc.pb.h"
#include "server/auth/access_control.h"
#include "server/pipeline/detection_loop.h"
#include "server/service/message_size_limit.h"

namespace airprox {

class TrackService final : public v1::Tracks::CallbackService {
 public:
  // `access`: bearer tokens; both methods need the subscribe role when a token file is in force.
  // Requests past `message_size` are refused with RESOURCE_EXHAUSTED.
  TrackService(DetectionLoop& loop, const AccessControl& access, MessageSizeLimit message_size)
      : loop_(loop), access_(access), message_size_(message_size) {}

  grpc::ServerUnaryReactor* ListTracks(grpc::CallbackServerContext* context,
                                       const v1::ListTracksRequest* request,
                                       v1::ListTracksResponse* response) override;
  grpc::ServerUnaryReactor* GetTrack(grpc::CallbackServerContext* context,
                                     const v1::GetTrackRequest* request,
                                     v1::Position* response) override;

 private:
  DetectionLoop& loop_;
  const AccessControl& access_;
  MessageSizeLimit message_size_;
};

}  // namespace airprox
