#include "server/service/ingest_service.h"

#include "server/service/call_authorization.h"
#include "server/service/grpc_status.h"
#include "server/service/proto_convert.h"

namespace airprox {
namespace {

// The flow of both modes: one batch in flight per stream. Read a batch, answer it with one ack,
// then read the next. Acks therefore come back in batch order, and a stream can never queue more
// than one job in the detection loop. Subclasses answer in OnReadDone by writing ack_.
class BatchReactor : public grpc::ServerBidiReactor<v1::PositionBatch, v1::IngestAck> {
 public:
  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "ack could not be written"));
      return;
    }
    StartRead(&batch_);
  }

  void OnDone() override { delete this; }

 protected:
  v1::PositionBatch batch_;
  v1::IngestAck ack_;
};

// Each batch applied on the detection thread; the ack names every rejected record.
class IngestReactor final : public BatchReactor {
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
};

// Transport-only mode (a load test's ceiling): each batch is acknowledged as wholly accepted the
// moment it is read; nothing reaches detection.
class TransportOnlyReactor final : public BatchReactor {
 public:
  explicit TransportOnlyReactor(std::atomic<std::uint64_t>& batches) : batches_(batches) {
    StartRead(&batch_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::OK);
      return;
    }
    ++batches_;
    ack_.set_batch_id(batch_.batch_id());
    ack_.set_accepted(static_cast<std::uint32_t>(batch_.positions_size()));
    StartWrite(&ack_);
  }

 private:
  std::atomic<std::uint64_t>& batches_;
};

// A stream refused before anything is read.
class RefusedReactor final : public grpc::ServerBidiReactor<v1::PositionBatch, v1::IngestAck> {
 public:
  explicit RefusedReactor(grpc::Status status) { Finish(std::move(status)); }
  void OnDone() override { delete this; }
};

bool WantsTransportOnly(const grpc::CallbackServerContext* context) {
  if (context == nullptr) return false;
  const auto& metadata = context->client_metadata();
  const auto it = metadata.find(kTransportOnlyMetadataKey);
  return it != metadata.end() && it->second == "1";
}

}  // namespace

grpc::ServerBidiReactor<v1::PositionBatch, v1::IngestAck>* IngestService::Ingest(
    grpc::CallbackServerContext* context) {
  if (grpc::Status denied = AuthorizeCall(access_, context, "/airprox.v1.TrackIngest/Ingest"); !denied.ok()) {
    return new RefusedReactor(std::move(denied));
  }
  if (!WantsTransportOnly(context)) return new IngestReactor(loop_);
  if (!options_.allow_transport_only) {
    return new RefusedReactor(grpc::Status(
        grpc::StatusCode::FAILED_PRECONDITION,
        "transport-only ingest is disabled on this server: set ingest.allow_transport_only: true "
        "in its config"));
  }
  return new TransportOnlyReactor(transport_only_batches_);
}

}  // namespace airprox
