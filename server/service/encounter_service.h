// Encounters: live events (Subscribe) and the active encounters (ListActive).
#pragma once

#include "airprox/v1/airprox.grpc.pb.h"
#include "server/auth/access_control.h"
#include "server/pipeline/detection_loop.h"
#include "server/core/encounter_filter.h"
#include "server/service/limit_counters.h"
#include "server/service/message_size_limit.h"
#include "server/service/stream_grants.h"
#include "server/service/stream_limiter.h"
#include "server/service/subscriber_hub.h"

namespace airprox {

// Subscribe is a raw method: the stream writes bytes serialized once for all subscribers.
class EncounterService final
    : public v1::Encounters::WithRawCallbackMethod_Subscribe<
          v1::Encounters::WithCallbackMethod_ListActive<v1::Encounters::Service>> {
 public:
  // Subscribe streams take a slot of `streams` (limits.max_streams, max_streams_per_peer,
  // max_subscribers); filters past `filter_limits` are refused with INVALID_ARGUMENT; `limits`
  // counts both. Requests past `message_size` are refused with RESOURCE_EXHAUSTED. `access`: bearer
  // tokens; both methods need the subscribe role when a token file is in force; `grants` ends a
  // Subscribe stream whose token a reload revokes. All outlive the service.
  EncounterService(DetectionLoop& loop, SubscriberHub& hub, const AccessControl& access, StreamGrants& grants,
                   StreamLimiter& streams, FilterLimits filter_limits, MessageSizeLimit message_size,
                   LimitCounters& limits)
      : loop_(loop), hub_(hub), access_(access), grants_(grants), streams_(streams), filter_limits_(filter_limits),
        message_size_(message_size), limits_(limits) {}

  grpc::ServerWriteReactor<grpc::ByteBuffer>* Subscribe(grpc::CallbackServerContext* context,
                                                        const grpc::ByteBuffer* raw_request) override;
  grpc::ServerUnaryReactor* ListActive(grpc::CallbackServerContext* context,
                                       const v1::ListActiveRequest* request,
                                       v1::ListActiveResponse* response) override;

 private:
  DetectionLoop& loop_;
  SubscriberHub& hub_;
  const AccessControl& access_;
  StreamGrants& grants_;
  StreamLimiter& streams_;
  FilterLimits filter_limits_;
  MessageSizeLimit message_size_;
  LimitCounters& limits_;
};

}  // namespace airprox
