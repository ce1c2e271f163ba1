#include "server/service/encounter_service.h"

#include "server/service/grpc_status.h"
#include "server/service/proto_convert.h"

namespace airprox {

grpc::ServerWriteReactor<v1::EncounterEvent>* EncounterService::Subscribe(
    grpc::CallbackServerContext* /*context*/, const v1::SubscribeRequest* /*request*/) {
  return hub_.Add();
}

grpc::ServerUnaryReactor* EncounterService::ListActive(grpc::CallbackServerContext* context,
                                                       const v1::ListActiveRequest* /*request*/,
                                                       v1::ListActiveResponse* response) {
  auto* reactor = context->DefaultReactor();
  const Status st = loop_.SubmitQuery([reactor, response](const Detector& d) {
    for (const EncounterEvent& e : d.ActiveEncounters()) ToProto(e, response->add_encounters());
    reactor->Finish(grpc::Status::OK);
  });
  if (!st.ok()) reactor->Finish(ToGrpcStatus(st));
  return reactor;
}

}  // namespace airprox
