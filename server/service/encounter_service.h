// Encounters: live events (Subscribe) and the active encounters (ListActive).
#pragma once

#include "airprox/v1/airprox.grpc.pb.h"
#include "server/pipeline/detection_loop.h"
#include "server/service/subscriber_hub.h"

namespace airprox {

class EncounterService final : public v1::Encounters::CallbackService {
 public:
  EncounterService(DetectionLoop& loop, SubscriberHub& hub) : loop_(loop), hub_(hub) {}

  grpc::ServerWriteReactor<v1::EncounterEvent>* Subscribe(
      grpc::CallbackServerContext* context, const v1::SubscribeRequest* request) override;
  grpc::ServerUnaryReactor* ListActive(grpc::CallbackServerContext* context,
                                       const v1::ListActiveRequest* request,
                                       v1::ListActiveResponse* response) override;

 private:
  DetectionLoop& loop_;
  SubscriberHub& hub_;
};

}  // namespace airprox
