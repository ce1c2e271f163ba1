// Encounters: live events (Subscribe) and the active encounters (ListActive).
#pragma once

#include "airprox/v1/airprox.grpc.pb.h"
#include "server/auth/access_control.h"
#include "server/pipeline/detection_loop.h"
#include "server/service/subscriber_hub.h"

namespace airprox {

// Subscribe is a raw method: the stream writes bytes serialized once for all subscribers.
class EncounterService final
    : public v1::Encounters::WithRawCallbackMethod_Subscribe<
          v1::Encounters::WithCallbackMethod_ListActive<v1::Encounters::Service>> {
 public:
  // `access`: bearer tokens; both methods need the subscribe role when a token file is in force.
  EncounterService(DetectionLoop& loop, SubscriberHub& hub, const AccessControl& access)
      : loop_(loop), hub_(hub), access_(access) {}

  grpc::ServerWriteReactor<grpc::ByteBuffer>* Subscribe(grpc::CallbackServerContext* context,
                                                        const grpc::ByteBuffer* raw_request) override;
  grpc::ServerUnaryReactor* ListActive(grpc::CallbackServerContext* context,
                                       const v1::ListActiveRequest* request,
                                       v1::ListActiveResponse* response) override;

 private:
  DetectionLoop& loop_;
  SubscriberHub& hub_;
  const AccessControl& access_;
};

}  // namespace airprox
