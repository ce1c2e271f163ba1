#include "server/service/ingest_service.h"

#include <fmt/format.h>

#include <mutex>
#include <optional>

#include "server/service/call_authorization.h"
#include "server/service/grpc_status.h"
#include "server/service/message_size_limit.h"
#include "server/service/proto_convert.h"
#include "server/service/refusal_log.h"

namespace airprox {
namespace {

using RawBidiReactor = grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>;

// The flow of both modes: one batch in flight per stream. Read a batch, answer it with one ack,
// then read the next. Acks therefore come back in batch order, and a stream can never queue more
// than one job in the detection loop. Subclasses answer a batch in OnBatch by calling Answer.
class BatchReactor : public RawBidiReactor {
 public:
  BatchReactor(std::string peer, StreamSlot slot, const IngestServiceOptions& options, LimitCounters& limits)
      : peer_(std::move(peer)), slot_(std::move(slot)), max_positions_(options.max_batch_positions),
        max_bytes_(options.max_message_bytes, limits), limits_(limits) {}

  void OnReadDone(bool ok) override {
    if (!ok) {  // client half-closed (or the call is cancelled): nothing is in flight
      Finish(grpc::Status::OK);
      return;
    }
    if (std::optional<grpc::Status> revoked = Revoked()) {  // the batch is not read
      Finish(std::move(*revoked));
      return;
    }
    if (Status st = max_bytes_.Check(in_.Length(), "PositionBatch", peer_); !st.ok()) {
      Finish(ToGrpcStatus(st));
      return;
    }
    batch_.Clear();
    if (!grpc::SerializationTraits<v1::PositionBatch>::Deserialize(&in_, &batch_).ok()) {
      Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "PositionBatch: the bytes are not a valid message (malformed protobuf, "
                          "or a string field that is not UTF-8)"));
      return;
    }
    if (static_cast<std::size_t>(batch_.positions_size()) > max_positions_) {
      limits_.Count(Limit::kMaxBatchPositions);
      const Status refusal = InvalidArgument(
          "max_batch_positions", fmt::format("batch {} has {} positions, more than the limit "
                                             "(limits.max_batch_positions = {}): send smaller batches",
                                             batch_.batch_id(), batch_.positions_size(), max_positions_));
      LogLimitRefusal(limits_, refusal, peer_);
      Finish(ToGrpcStatus(refusal));
      return;
    }
    OnBatch();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "ack could not be written"));
      return;
    }
    StartRead(&in_);
  }

  void OnDone() override {
    grant_.Release();  // waits for a revocation running now; none comes after
    delete this;
  }

  // The stream's token, for a token-file reload to revoke.
  void set_grant(StreamGrant grant) { grant_ = std::move(grant); }
  // From a revocation (any thread): the stream ends with `refusal` when its next batch arrives.
  void Revoke(grpc::Status refusal) {
    std::lock_guard lock(revoked_mu_);
    revoked_ = std::move(refusal);
  }

 protected:
  virtual void OnBatch() = 0;
  void Answer(const v1::IngestAck& ack) {
    bool own = false;
    out_.Clear();
    if (!grpc::SerializationTraits<v1::IngestAck>::Serialize(ack, &out_, &own).ok()) {
      Finish(grpc::Status(grpc::StatusCode::INTERNAL, "IngestAck could not be serialized"));
      return;
    }
    StartWrite(&out_);
  }

  grpc::ByteBuffer in_;
  v1::PositionBatch batch_;

 private:
  std::string peer_;
  StreamSlot slot_;  // released when the reactor is deleted, after the call is done
  std::size_t max_positions_;
  MessageSizeLimit max_bytes_;
  LimitCounters& limits_;
  grpc::ByteBuffer out_;
  std::mutex revoked_mu_;
  std::optional<grpc::Status> revoked_;
  StreamGrant grant_;  // released in OnDone, before anything of the reactor goes

  std::optional<grpc::Status> Revoked() {
    std::lock_guard lock(revoked_mu_);
    return revoked_;
  }
};

// Each batch applied on the detection thread; the ack names every rejected record.
class IngestReactor final : public BatchReactor {
 public:
  IngestReactor(DetectionLoop& loop, std::string peer, StreamSlot slot, const IngestServiceOptions& options,
                LimitCounters& limits)
      : BatchReactor(std::move(peer), std::move(slot), options, limits), loop_(loop) {
    StartRead(&in_);
  }

 private:
  void OnBatch() override {
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
    Answer(ack_);
  }

  DetectionLoop& loop_;
  v1::IngestAck ack_;
};

// Transport-only mode (a load test's ceiling): each batch is acknowledged as wholly accepted the
// moment it is read; nothing reaches detection.
class TransportOnlyReactor final : public BatchReactor {
 public:
  TransportOnlyReactor(std::atomic<std::uint64_t>& batches, std::string peer, StreamSlot slot,
                       const IngestServiceOptions& options, LimitCounters& limits)
      : BatchReactor(std::move(peer), std::move(slot), options, limits), batches_(batches) {
    StartRead(&in_);
  }

 private:
  void OnBatch() override {
    ++batches_;
    v1::IngestAck ack;
    ack.set_batch_id(batch_.batch_id());
    ack.set_accepted(static_cast<std::uint32_t>(batch_.positions_size()));
    Answer(ack);
  }

  std::atomic<std::uint64_t>& batches_;
};

// A stream refused before anything is read.
class RefusedReactor final : public RawBidiReactor {
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

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* IngestService::Ingest(
    grpc::CallbackServerContext* context) {
  if (grpc::Status denied = AuthorizeCall(access_, context, "/airprox.v1.TrackIngest/Ingest"); !denied.ok()) {
    return new RefusedReactor(std::move(denied));
  }
  const bool transport_only = WantsTransportOnly(context);
  if (transport_only && !options_.allow_transport_only) {
    return new RefusedReactor(grpc::Status(
        grpc::StatusCode::FAILED_PRECONDITION,
        "transport-only ingest is disabled on this server: set ingest.allow_transport_only: true "
        "in its config"));
  }
  StreamSlot slot;
  if (Status st = streams_.Acquire(context->peer(), StreamKind::kIngest, slot); !st.ok()) {
    LogLimitRefusal(limits_, st, context->peer());
    return new RefusedReactor(ToGrpcStatus(st));
  }
  BatchReactor* reactor = nullptr;
  if (!transport_only) {
    reactor = new IngestReactor(loop_, context->peer(), std::move(slot), options_, limits_);
  } else {
    reactor = new TransportOnlyReactor(transport_only_batches_, context->peer(), std::move(slot), options_, limits_);
  }
  // Not yet returned to gRPC: nothing of it runs before it is.
  reactor->set_grant(grants_.Open("/airprox.v1.TrackIngest/Ingest", CallAuthorization(context), context->peer(),
                                  [reactor](const Status& refusal) { reactor->Revoke(ToGrpcStatus(refusal)); }));
  return reactor;
}

}  // namespace airprox
