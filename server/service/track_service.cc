#include "server/service/track_service.h"

#include <algorithm>

#include "server/service/call_authorization.h"
#include "server/service/grpc_status.h"
#include "server/service/proto_convert.h"

namespace airprox {

grpc::ServerUnaryReactor* TrackService::ListTracks(grpc::CallbackServerContext* context,
                                                   const v1::ListTracksRequest* request,
                                                   v1::ListTracksResponse* response) {
  auto* reactor = context->DefaultReactor();
  if (grpc::Status denied = AuthorizeCall(access_, context, "/airprox.v1.Tracks/ListTracks"); !denied.ok()) {
    reactor->Finish(std::move(denied));
    return reactor;
  }
  if (Status st = message_size_.Check(request->ByteSizeLong(), "ListTracksRequest", context->peer()); !st.ok()) {
    reactor->Finish(ToGrpcStatus(st));
    return reactor;
  }
  const Status st = loop_.SubmitQuery([reactor, response](const Detector& d) {
    std::vector<const Position*> live;
    live.reserve(d.tracks().size());
    d.tracks().ForEach([&](TrackHandle, const Track& t) { live.push_back(&t.last); });
    std::sort(live.begin(), live.end(),
              [](const Position* x, const Position* y) { return x->track_id < y->track_id; });
    for (const Position* p : live) ToProto(*p, response->add_tracks());
    reactor->Finish(grpc::Status::OK);
  });
  if (!st.ok()) reactor->Finish(ToGrpcStatus(st));
  return reactor;
}

grpc::ServerUnaryReactor* TrackService::GetTrack(grpc::CallbackServerContext* context,
                                                 const v1::GetTrackRequest* request,
                                                 v1::Position* response) {
  auto* reactor = context->DefaultReactor();
  if (grpc::Status denied = AuthorizeCall(access_, context, "/airprox.v1.Tracks/GetTrack"); !denied.ok()) {
    reactor->Finish(std::move(denied));
    return reactor;
  }
  if (Status st = message_size_.Check(request->ByteSizeLong(), "GetTrackRequest", context->peer()); !st.ok()) {
    reactor->Finish(ToGrpcStatus(st));
    return reactor;
  }
  const Status st = loop_.SubmitQuery([reactor, request, response](const Detector& d) {
    if (const Track* t = d.tracks().Find(request->track_id())) {
      ToProto(t->last, response);
      reactor->Finish(grpc::Status::OK);
    } else {
      reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND,
                                   "no live track with id '" + request->track_id() + "'"));
    }
  });
  if (!st.ok()) reactor->Finish(ToGrpcStatus(st));
  return reactor;
}

}  // namespace airprox
