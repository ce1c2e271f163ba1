#include "server/service/ingest_service.h"

#include "server/service/grpc_status.h"
#include "server/service/proto_convert.h"

namespace airprox {
namespace {

// One batch in flight per stream: read a batch, apply it on the detection thread, write its ack,
// then read the next. Acks therefore come back in batch order, and a stream can never queue more
// than one job in the detection loop.
class IngestReactor final : public grpc::ServerBidiReactor<v1::PositionBatch, v1::IngestAck> {
 public:
  explicit IngestReactor(DetectionLoop& loop) : loop_(loop) { StartRead(&batch_); }

  void OnReadDone(bool ok) override {
    if (!ok) {  // client half-closed (or the call is cancelled): nothing is in flight
      Finish(grpc::Status::OK);
      return;
    }
    std::vector<Position> positions;
    positions.reserve(batch_.positions_size());
    for (const auto& p : batch_.positions()) positions.push_back(FromProto(p));
    const std::uint64_t batch_id = batch_.batch_id();
    Status st = loop_.SubmitBatch(std::move(positions),
                                  [this, batch_id](std::vector<Status> results) {
                                    Acknowledge(batch_id, results);
                                  });
    if (!st.ok()) Finish(ToGrpcStatus(st));
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "ack could not be written"));
      return;
    }
    StartRead(&batch_);
  }

  void OnDone() override { delete this; }

 private:
  void Acknowledge(std::uint64_t batch_id, const std::vector<Status>& results) {
    ack_.Clear();
    ack_.set_batch_id(batch_id);
    std::uint32_t accepted = 0;
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (results[i].ok()) {
        ++accepted;
        continue;
      }
      auto* r = ack_.add_rejections();
      r->set_index(static_cast<std::uint32_t>(i));
      r->set_reason(results[i].reason());
      r->set_message(results[i].message());
    }
    ack_.set_accepted(accepted);
    StartWrite(&ack_);
  }

  DetectionLoop& loop_;
  v1::PositionBatch batch_;
  v1::IngestAck ack_;
};

}  // namespace

grpc::ServerBidiReactor<v1::PositionBatch, v1::IngestAck>* IngestService::Ingest(
    grpc::CallbackServerContext* /*context*/) {
  return new IngestReactor(loop_);
}

}  // namespace airprox
