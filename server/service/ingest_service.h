// TrackIngest: a bidirectional stream of position batches, each answered by one IngestAck.
//
// Ingest is a raw callback method: the service parses each batch itself, so that bytes that are
// not a PositionBatch (malformed protobuf, a string that is not UTF-8) end the stream with
// INVALID_ARGUMENT instead of looking like the client's end of stream.
#pragma once

#include <atomic>
#include <cstdint>

#include "airprox/v1/airprox.grpc.pb.h"
#include "server/auth/access_control.h"
#include "server/pipeline/detection_loop.h"
#include "server/service/limit_counters.h"
#include "server/service/stream_grants.h"
#include "server/service/stream_limiter.h"

namespace airprox {

// The client metadata key with which a stream asks for transport-only mode (value "1"): every
// batch is acknowledged as accepted without reaching detection, to measure the raw gRPC rate.
inline constexpr const char* kTransportOnlyMetadataKey = "airprox-transport-only";

struct IngestServiceOptions {
  // Config ingest.allow_transport_only: streams may ask for transport-only mode. Off, such a
  // stream is refused with FAILED_PRECONDITION naming the key.
  bool allow_transport_only = false;
  // Config limits.max_batch_positions: a batch with more positions ends its stream with
  // INVALID_ARGUMENT naming the limit. Count, >= 1.
  std::size_t max_batch_positions = 10000;
  // Config limits.max_message_bytes: a batch of more bytes ends its stream with
  // RESOURCE_EXHAUSTED naming the limit (MessageSizeLimit). Bytes, >= 1.
  std::size_t max_message_bytes = 4 * 1024 * 1024;
};

class IngestService final
    : public v1::TrackIngest::WithRawCallbackMethod_Ingest<v1::TrackIngest::Service> {
 public:
  // `streams` bounds the streams open at once and `limits` counts what is refused; both outlive
  // the service. `access`: bearer tokens; Ingest needs the ingest role when a token file is in
  // force; a stream whose token a reload revokes (`grants`) ends at its next batch, which is not
  // read.
  IngestService(DetectionLoop& loop, const AccessControl& access, StreamGrants& grants,
                IngestServiceOptions options, StreamLimiter& streams, LimitCounters& limits)
      : loop_(loop), access_(access), grants_(grants), options_(options), streams_(streams), limits_(limits) {}

  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* Ingest(
      grpc::CallbackServerContext* context) override;

  // Batches acknowledged in transport-only mode (never applied).
  std::uint64_t transport_only_batches() const { return transport_only_batches_.load(); }

 private:
  DetectionLoop& loop_;
  const AccessControl& access_;
  StreamGrants& grants_;
  IngestServiceOptions options_;
  StreamLimiter& streams_;
  LimitCounters& limits_;
  std::atomic<std::uint64_t> transport_only_batches_{0};
};

}  // namespace airprox
