// The single writer of the detection core: one thread that owns a Detector and runs jobs from a
// bounded queue, so that transports never race on the core and events come out in one order.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "server/core/detector.h"
#include "server/pipeline/bounded_queue.h"
#include "server/pipeline/detection_stats.h"
#include "server/pipeline/event_sink.h"

namespace airprox {

struct DetectionLoopOptions {
  // Jobs (batches and queries) waiting for the detection thread. When full, submitters block
  // (backpressure to the ingest stream) and DetectionLoop::blocked_submits() counts it.
  std::size_t queue_capacity = 1024;
};

class DetectionLoop {
 public:
  using BatchDone = std::function<void(std::vector<Status> per_record)>;
  using Query = std::function<void(const Detector&)>;

  DetectionLoop(DetectorOptions detector, DetectionLoopOptions options);
  ~DetectionLoop();

  // Sinks must be added before Start and outlive the loop.
  void AddSink(EventSink* sink) { sinks_.push_back(sink); }
  void Start();
  // Runs every job already queued, then stops the thread. Later submits fail with Unavailable.
  void Stop();

  // Applies the batch in order on the detection thread, then calls done there with one Status per
  // record. Unavailable (and done is not called) when stopped.
  Status SubmitBatch(std::vector<Position> batch, BatchDone done);
  // The same without blocking, for live feeds: when the queue is full, ResourceExhausted and the
  // batch is left in `batch` for the caller's own (bounded, counted) policy; on success `batch` is
  // emptied.
  Status TrySubmitBatch(std::vector<Position>& batch, BatchDone done);
  // Runs fn on the detection thread with read access to the detector. Never blocks:
  // ResourceExhausted when the queue is full, Unavailable when stopped.
  Status SubmitQuery(Query fn);

  // For shutdown: refuses further batches (Unavailable), lets the queued ones finish, then ends
  // every active encounter with `reason`, hands the events to the sinks, and returns.
  void Drain(std::string reason);

  std::uint64_t blocked_submits() const { return queue_.blocked_pushes(); }
  std::uint64_t last_sequence() const { return last_sequence_.load(); }
  // Counters and histograms of the batches applied so far; any thread.
  const DetectionStats& stats() const { return stats_; }
  // The detector's rules: fixed at construction, so readable from any thread.
  const std::vector<Rule>& rules() const { return detector_.options().rules; }

 private:
  using Job = std::function<void(Detector&)>;
  Status Submit(Job job);
  Job BatchJob(std::vector<Position> batch, BatchDone done);
  void Run();

  Detector detector_;
  BoundedQueue<Job> queue_;
  std::vector<EventSink*> sinks_;
  std::thread thread_;
  std::atomic<std::uint64_t> last_sequence_{0};
  DetectionStats stats_;
  std::atomic<bool> refusing_batches_{false};  // fast path for submitters
  bool drained_ = false;                        // detection thread only: authoritative
  std::vector<EncounterEvent> events_;  // scratch, detection thread only
};

}  // namespace airprox
