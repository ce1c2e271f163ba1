// TrackIngest: a bidirectional stream of position batches, each answered by one IngestAck.
#pragma once

#include <atomic>
#include <cstdint>

#include "airprox/v1/airprox.grpc.pb.h"
#include "server/auth/access_control.h"
#include "server/pipeline/detection_loop.h"

namespace airprox {

// The client metadata key with which a stream asks for transport-only mode (value "1"): every
// batch is acknowledged as accepted without reaching detection, to measure the raw gRPC rate.
inline constexpr const char* kTransportOnlyMetadataKey = "airprox-transport-only";

struct IngestServiceOptions {
  // Config ingest.allow_transport_only: streams may ask for transport-only mode. Off, such a
  // stream is refused with FAILED_PRECONDITION naming the key.
  bool allow_transport_only = false;
};

class IngestService final : public v1::TrackIngest::CallbackService {
 public:
  // `access`: bearer tokens; Ingest needs the ingest role when a token file is in force.
  IngestService(DetectionLoop& loop, const AccessControl& access, IngestServiceOptions options = {})
      : loop_(loop), access_(access), options_(options) {}

  grpc::ServerBidiReactor<v1::PositionBatch, v1::IngestAck>* Ingest(
      grpc::CallbackServerContext* context) override;

  // Batches acknowledged in transport-only mode (never applied).
  std::uint64_t transport_only_batches() const { return transport_only_batches_.load(); }

 private:
  DetectionLoop& loop_;
  const AccessControl& access_;
  IngestServiceOptions options_;
  std::atomic<std::uint64_t> transport_only_batches_{0};
};

}  // namespace airprox
