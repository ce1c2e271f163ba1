#include "client/replay.h"

#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "airprox/v1/airprox.grpc.pb.h"
#include "client/connection.h"
#include "server/formats/canonical_csv.h"
#include "server/service/proto_convert.h"

namespace airprox::cli {
namespace {

constexpr int kMaxPrintedProblems = 10;

struct Tally {
  std::mutex mu;
  std::uint64_t acked_batches = 0, accepted = 0, rejected = 0;
  std::map<std::string, std::uint64_t> by_reason;
  // Where each record of each unacknowledged batch came from ("file:line").
  std::map<std::uint64_t, std::vector<std::string>> origins;
  int printed = 0;
};

class Sender {
 public:
  Sender(grpc::ClientReaderWriter<v1::PositionBatch, v1::IngestAck>& stream, Tally& tally,
         std::size_t batch_size)
      : stream_(stream), tally_(tally), batch_size_(batch_size) {}

  bool Add(const Position& p, std::string origin) {
    ToProto(p, batch_.add_positions());
    origins_.push_back(std::move(origin));
    return batch_.positions_size() < static_cast<int>(batch_size_) || Flush();
  }

  bool Flush() {
    if (batch_.positions_size() == 0) return true;
    batch_.set_batch_id(++next_id_);
    {
      std::lock_guard lock(tally_.mu);
      tally_.origins[next_id_] = std::move(origins_);
    }
    origins_.clear();
    sent_ += batch_.positions_size();
    const bool ok = stream_.Write(batch_);
    batch_.Clear();
    return ok;
  }
  std::uint64_t sent() const { return sent_; }

 private:
  grpc::ClientReaderWriter<v1::PositionBatch, v1::IngestAck>& stream_;
  Tally& tally_;
  std::size_t batch_size_;
  v1::PositionBatch batch_;
  std::vector<std::string> origins_;
  std::uint64_t next_id_ = 0, sent_ = 0;
};

void ReadAcks(grpc::ClientReaderWriter<v1::PositionBatch, v1::IngestAck>& stream, Tally& tally) {
  v1::IngestAck ack;
  while (stream.Read(&ack)) {
    std::lock_guard lock(tally.mu);
    ++tally.acked_batches;
    tally.accepted += ack.accepted();
    tally.rejected += ack.rejections_size();
    const auto origins = std::move(tally.origins[ack.batch_id()]);
    tally.origins.erase(ack.batch_id());
    for (const auto& r : ack.rejections()) {
      ++tally.by_reason[r.reason()];
      if (tally.printed++ < kMaxPrintedProblems) {
        const std::string where = r.index() < origins.size() ? origins[r.index()] : "?";
        std::cerr << fmt::format("airprox replay: {}: rejected: {}: {}\n", where, r.reason(),
                                 r.message());
      }
    }
  }
}

}  // namespace

int RunReplay(const ReplayOptions& options) {
  // Open every file first: a typo fails before anything is sent.
  std::vector<std::unique_ptr<CanonicalCsvReader>> readers;
  for (const std::string& f : options.files) {
    std::unique_ptr<CanonicalCsvReader> r;
    if (Status st = CanonicalCsvReader::Open(f, r); !st.ok()) {
      std::cerr << "airprox replay: " << st.message() << "\n";
      return 1;
    }
    readers.push_back(std::move(r));
  }
  std::string error;
  auto channel = Connect(options.server, error);
  if (!channel) {
    std::cerr << "airprox replay: " << error << "\n";
    return 1;
  }
  auto stub = v1::TrackIngest::NewStub(channel);
  grpc::ClientContext context;
  auto stream = stub->Ingest(&context);
  Tally tally;
  std::thread acks([&] { ReadAcks(*stream, tally); });

  Sender sender(*stream, tally, options.batch);
  std::uint64_t unparsable = 0;
  bool write_failed = false;
  const auto wall_start = std::chrono::steady_clock::now();
  std::optional<double> data_start;
  for (std::size_t i = 0; i < readers.size() && !write_failed; ++i) {
    Position p;
    Status err;
    for (;;) {
      const auto next = readers[i]->Read(p, err);
      if (next == CanonicalCsvReader::Next::kEnd) {
        if (!err.ok()) std::cerr << "airprox replay: " << err.message() << "\n";
        break;
      }
      if (next == CanonicalCsvReader::Next::kBadLine) {
        if (unparsable++ < kMaxPrintedProblems) std::cerr << "airprox replay: " << err.message() << "\n";
        continue;
      }
      if (options.speed > 0) {
        if (!data_start) data_start = p.time_s;
        const auto due = wall_start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                          std::chrono::duration<double>((p.time_s - *data_start) /
                                                                        options.speed));
        if (due > std::chrono::steady_clock::now()) {
          if (!sender.Flush()) break;
          std::this_thread::sleep_until(due);
        }
      }
      if (!sender.Add(p, fmt::format("{}:{}", options.files[i], readers[i]->line_number()))) {
        write_failed = true;
        break;
      }
    }
  }
  if (!write_failed) sender.Flush();
  stream->WritesDone();
  acks.join();
  const grpc::Status status = stream->Finish();
  const double elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

  std::string reasons;
  for (const auto& [reason, n] : tally.by_reason) reasons += fmt::format(" {}={}", reason, n);
  std::cout << fmt::format(
                   "replay: sent {} positions in {:.1f} s ({:.0f}/s): accepted {}, rejected {}{}{}, "
                   "unparsable lines {}\n",
                   sender.sent(), elapsed_s, elapsed_s > 0 ? sender.sent() / elapsed_s : 0.0,
                   tally.accepted, tally.rejected, reasons.empty() ? "" : " (by reason:",
                   reasons.empty() ? "" : reasons + ")", unparsable)
            << std::flush;
  if (!status.ok()) {
    std::cerr << "airprox replay: the server ended the stream: " << status.error_message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace airprox::cli
