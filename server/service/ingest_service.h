// TrackIngest: a bidirectional stream of position batches, each answered by one IngestAck.
#pragma once

#include "airprox/v1/airprox.grpc.pb.h"
#include "server/pipeline/detection_loop.h"

namespace airprox {

class IngestService final : public v1::TrackIngest::CallbackService {
 public:
  explicit IngestService(DetectionLoop& loop) : loop_(loop) {}

  grpc::ServerBidiReactor<v1::PositionBatch, v1::IngestAck>* Ingest(
      grpc::CallbackServerContext* context) override;

 private:
  DetectionLoop& loop_;
};

}  // namespace airprox
