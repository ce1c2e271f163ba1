#include "client/replay.h"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "airprox/v1/airprox.grpc.pb.h"
#include "client/connection.h"
#include "client/progress_bar.h"
#include "server/formats/recording_factory.h"
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

// Set by SIGINT (Ctrl-C): stop reading, send what is batched, wait for the acks, summarise.
volatile std::sig_atomic_t g_interrupted = 0;
// A second Ctrl-C kills at once (the default action): a stuck server cannot hold the replay.
extern "C" void OnInterrupt(int) {
  g_interrupted = 1;
  std::signal(SIGINT, SIG_DFL);
}

// Where the replay's timestamps go: as recorded, rebased to a chosen start, and shifted by each
// loop pass so that data time keeps moving forward.
class TimeShift {
 public:
  // rebase: "" (as recorded), "now", or UTC epoch seconds.
  static bool Parse(const std::string& rebase, std::optional<double>& start_s) {
    if (rebase.empty()) return true;
    if (rebase == "now") {
      start_s = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
      return true;
    }
    char* end = nullptr;
    const double v = std::strtod(rebase.c_str(), &end);
    if (end == rebase.c_str() || *end != '\0' || !(v > 0)) return false;
    start_s = v;
    return true;
  }
  explicit TimeShift(std::optional<double> start_s) : start_s_(start_s) {}

  double Apply(double recorded_s) {
    if (!first_recorded_s_) {
      first_recorded_s_ = recorded_s;
      if (start_s_) offset_s_ = *start_s_ - recorded_s;
    }
    last_recorded_s_ = std::max(last_recorded_s_, recorded_s);
    return recorded_s + offset_s_;
  }
  // The next pass starts kLoopGapS after this one's last record: by then the server has dropped
  // this pass's tracks as stale (stale_after_s, default 60 s), so an aircraft back at its start is
  // a new track, not a teleport; and the step stays under max_time_jump_s (600 s).
  static constexpr double kLoopGapS = 300.0;
  void NextPass() {
    if (first_recorded_s_) offset_s_ += last_recorded_s_ - *first_recorded_s_ + kLoopGapS;
  }

 private:
  std::optional<double> start_s_;
  std::optional<double> first_recorded_s_;
  double last_recorded_s_ = 0;
  double offset_s_ = 0;
};

Status OpenAll(const ReplayOptions& options, std::vector<std::unique_ptr<RecordingReader>>& readers) {
  std::optional<RecordingFormat> format;
  if (Status st = ParseFormatName(options.format, format); !st.ok()) return st;
  readers.clear();
  for (const std::string& f : options.files) {
    std::unique_ptr<RecordingReader> r;
    Status st = format ? OpenRecording(f, *format, r) : OpenRecording(f, r);
    if (!st.ok()) return st;
    readers.push_back(std::move(r));
  }
  return Status::Ok();
}

}  // namespace

int RunReplay(const ReplayOptions& options) {
  std::optional<double> rebase_start;
  if (!TimeShift::Parse(options.rebase_time, rebase_start)) {
    std::cerr << "airprox replay: --rebase-time takes \"now\" or UTC epoch seconds, not \""
              << options.rebase_time << "\"\n";
    return 1;
  }
  // Open every file first: a typo fails before anything is sent.
  std::vector<std::unique_ptr<RecordingReader>> readers;
  if (Status st = OpenAll(options, readers); !st.ok()) {
    std::cerr << "airprox replay: " << st.message() << "\n";
    return 1;
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

  g_interrupted = 0;
  std::signal(SIGINT, OnInterrupt);
  Sender sender(*stream, tally, options.batch);
  ProgressBar progress(options.progress && ::isatty(STDERR_FILENO) == 1);
  TimeShift shift(rebase_start);
  std::uint64_t unparsable = 0, skipped = 0;
  bool write_failed = false;
  const auto wall_start = std::chrono::steady_clock::now();
  std::optional<double> data_start;
  for (int pass = 1; !write_failed && !g_interrupted; ++pass) {
    if (pass > 1) {
      if (Status st = OpenAll(options, readers); !st.ok()) {
        std::cerr << "airprox replay: " << st.message() << "\n";
        break;
      }
      shift.NextPass();
    }
    for (std::size_t i = 0; i < readers.size() && !write_failed && !g_interrupted; ++i) {
      RecordingReader& reader = *readers[i];
      Position p;
      Status err;
      while (!g_interrupted) {
        const auto next = reader.Read(p, err);
        if (next == RecordingReader::Next::kEnd) {
          if (!err.ok()) std::cerr << "airprox replay: " << err.message() << "\n";
          break;
        }
        if (next == RecordingReader::Next::kBadLine) {
          if (unparsable++ < kMaxPrintedProblems) {
            progress.Clear();
            std::cerr << "airprox replay: " << err.message() << "\n";
          }
          continue;
        }
        p.time_s = shift.Apply(p.time_s);
        if (options.speed > 0) {
          if (!data_start) data_start = p.time_s;
          const auto due = wall_start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                            std::chrono::duration<double>((p.time_s - *data_start) /
                                                                          options.speed));
          if (due > std::chrono::steady_clock::now()) {
            if (!sender.Flush()) {
              write_failed = true;
              break;
            }
            // In short steps, so that Ctrl-C is prompt.
            while (!g_interrupted && std::chrono::steady_clock::now() < due) {
              std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
                  due - std::chrono::steady_clock::now(), std::chrono::milliseconds(100)));
              progress.Update(-1, sender.sent(), "waiting on data time");
            }
          }
        }
        if (!sender.Add(p, fmt::format("{}:{}", options.files[i], reader.line_number()))) {
          write_failed = true;
          break;
        }
        const double within = reader.fraction_read();
        const double done = options.loop || within < 0
                                ? -1
                                : (static_cast<double>(i) + within) / static_cast<double>(readers.size());
        progress.Update(done, sender.sent(), options.loop ? fmt::format("pass {}", pass) : "");
      }
      skipped += reader.skipped();
    }
    if (!options.loop) break;
  }
  if (!write_failed) sender.Flush();
  stream->WritesDone();
  acks.join();
  const grpc::Status status = stream->Finish();
  std::signal(SIGINT, SIG_DFL);
  progress.Clear();
  const double elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

  std::string reasons;
  for (const auto& [reason, n] : tally.by_reason) reasons += fmt::format(" {}={}", reason, n);
  std::cout << fmt::format(
                   "replay: {}sent {} positions in {:.1f} s ({:.0f}/s): accepted {}, rejected {}{}{}, "
                   "unparsable lines {}, records without a position {}\n",
                   g_interrupted ? "interrupted: " : "", sender.sent(), elapsed_s,
                   elapsed_s > 0 ? sender.sent() / elapsed_s : 0.0, tally.accepted, tally.rejected,
                   reasons.empty() ? "" : " (by reason:", reasons.empty() ? "" : reasons + ")",
                   unparsable, skipped)
            << std::flush;
  if (!status.ok()) {
    std::cerr << "airprox replay: the server ended the stream: " << status.error_message() << "\n";
    return 1;
  }
  return g_interrupted ? 130 : 0;
}

}  // namespace airprox::cli
