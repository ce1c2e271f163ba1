#include "server/service/encounter_service.h"

#include "server/service/call_authorization.h"
#include "server/service/grpc_status.h"
#include "server/service/proto_convert.h"
#include "server/service/refusal_log.h"

namespace airprox {

grpc::ServerWriteReactor<grpc::ByteBuffer>* EncounterService::Subscribe(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request) {
  if (grpc::Status denied = AuthorizeCall(access_, context, "/airprox.v1.Encounters/Subscribe"); !denied.ok()) {
    return hub_.Refused(std::move(denied));
  }
  if (Status st = message_size_.Check(raw_request->Length(), "SubscribeRequest", context->peer()); !st.ok()) {
    return hub_.Refused(ToGrpcStatus(st));
  }
  grpc::ByteBuffer copy(*raw_request);
  v1::SubscribeRequest parsed;
  if (!grpc::SerializationTraits<v1::SubscribeRequest>::Deserialize(&copy, &parsed).ok()) {
    return hub_.Refused(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                     "SubscribeRequest: the bytes are not a valid message"));
  }
  const v1::SubscribeRequest* request = &parsed;
  if (request->has_area_box() && request->area_polygon_size() > 0) {
    return hub_.Refused(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                     "give either area_box or area_polygon, not both"));
  }
  EncounterFilter filter = FilterFromProto(*request);
  if (Status st = ValidateFilter(filter, filter_limits_, &loop_.rules()); !st.ok()) {
    // Past a limit: counted and logged. Otherwise (a bad polygon, an unknown rule) the client's
    // mistake, answered only to the client, like other invalid requests.
    if (limits_.CountReason(st.reason())) LogLimitRefusal(limits_, st, context->peer());
    return hub_.Refused(ToGrpcStatus(st));
  }
  StreamSlot slot;
  if (Status st = streams_.Acquire(context->peer(), StreamKind::kSubscribe, slot); !st.ok()) {
    LogLimitRefusal(limits_, st, context->peer());
    return hub_.Refused(ToGrpcStatus(st));
  }
  Subscription* s = nullptr;
  if (request->from_sequence() > 0) {
    s = hub_.AddResuming(std::move(filter), request->from_sequence(), context, std::move(slot));
  } else if (!request->snapshot()) {
    s = hub_.Add(std::move(filter), context, std::move(slot));
  } else {
    s = hub_.AddPending(std::move(filter), context, std::move(slot));
  }
  // Not yet returned to gRPC: still ours. A revocation closes it after what is queued.
  s->set_grant(grants_.Open("/airprox.v1.Encounters/Subscribe", CallAuthorization(context), context->peer(),
                            [s](const Status& refusal) { s->Close(ToGrpcStatus(refusal)); }));
  if (!request->snapshot() || request->from_sequence() > 0) return s;
  SubscriberHub* hub = &hub_;
  const std::uint64_t id = s->id();  // s is ours until it is returned to gRPC
  // Snapshot and registration happen together on the detection thread, between two batches.
  const Status st = loop_.SubmitQuery(
      [hub, s, id](const Detector& d) { hub->Activate(s, id, d.ActiveEncounters()); });
  if (!st.ok()) s->Close(ToGrpcStatus(st));  // not yet returned to gRPC: still ours
  return s;
}

grpc::ServerUnaryReactor* EncounterService::ListActive(grpc::CallbackServerContext* context,
                                                       const v1::ListActiveRequest* request,
                                                       v1::ListActiveResponse* response) {
  auto* reactor = context->DefaultReactor();
  if (grpc::Status denied = AuthorizeCall(access_, context, "/airprox.v1.Encounters/ListActive"); !denied.ok()) {
    reactor->Finish(std::move(denied));
    return reactor;
  }
  if (Status st = message_size_.Check(request->ByteSizeLong(), "ListActiveRequest", context->peer()); !st.ok()) {
    reactor->Finish(ToGrpcStatus(st));
    return reactor;
  }
  const Status st = loop_.SubmitQuery([reactor, response](const Detector& d) {
    for (const EncounterEvent& e : d.ActiveEncounters()) ToProto(e, response->add_encounters());
    reactor->Finish(grpc::Status::OK);
  });
  if (!st.ok()) reactor->Finish(ToGrpcStatus(st));
  return reactor;
}

}  // namespace airprox
