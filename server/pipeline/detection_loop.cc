#include "server/pipeline/detection_loop.h"

#include <pthread.h>

#include <chrono>
#include <future>
#include <map>

namespace airprox {

DetectionLoop::DetectionLoop(DetectorOptions detector, DetectionLoopOptions options)
    : detector_(std::move(detector)), queue_(options.queue_capacity) {}

DetectionLoop::~DetectionLoop() { Stop(); }

void DetectionLoop::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Run(); });
}

void DetectionLoop::Stop() {
  queue_.Close();
  if (thread_.joinable()) thread_.join();
}

Status DetectionLoop::Submit(Job job) {
  if (!queue_.Push(std::move(job))) {
    return {StatusCode::kUnavailable, "stopping", "the detection loop is stopped"};
  }
  return Status::Ok();
}

DetectionLoop::Job DetectionLoop::BatchJob(std::vector<Position> batch, BatchDone done) {
  const auto submitted = std::chrono::steady_clock::now();
  return [this, batch = std::move(batch), done = std::move(done), submitted](Detector& d) {
    std::vector<Status> results;
    results.reserve(batch.size());
    if (drained_) {  // queued before Drain ran: refused, never applied after the shutdown ENDs
      results.assign(batch.size(), Status(StatusCode::kUnavailable, "stopping",
                                          "the server is shutting down"));
      done(std::move(results));
      return;
    }
    events_.clear();
    std::uint64_t accepted = 0;
    std::map<std::string, std::uint64_t> rejected;
    for (const Position& p : batch) {
      results.push_back(d.Ingest(p, events_));
      if (results.back().ok()) {
        ++accepted;
      } else {
        ++rejected[std::string(results.back().reason())];
      }
    }
    if (!events_.empty()) {
      last_sequence_.store(events_.back().sequence);
      for (EventSink* s : sinks_) s->OnEvents(events_);
    }
    stats_.RecordBatch(batch.size(),
                       std::chrono::duration<double>(std::chrono::steady_clock::now() - submitted).count(),
                       accepted, rejected, d.tracks().size());
    done(std::move(results));
  };
}

Status DetectionLoop::SubmitBatch(std::vector<Position> batch, BatchDone done) {
  if (refusing_batches_.load()) {
    return {StatusCode::kUnavailable, "stopping", "the server is shutting down"};
  }
  return Submit(BatchJob(std::move(batch), std::move(done)));
}

Status DetectionLoop::TrySubmitBatch(std::vector<Position>& batch, BatchDone done) {
  if (refusing_batches_.load()) {
    return {StatusCode::kUnavailable, "stopping", "the server is shutting down"};
  }
  // The batch stays reachable through `held` whether or not the queue takes the job: on refusal
  // it goes back to the caller untouched.
  auto held = std::make_shared<std::vector<Position>>(std::move(batch));
  Job job = [this, held, done = std::move(done)](Detector& d) mutable {
    BatchJob(std::move(*held), std::move(done))(d);
  };
  if (!queue_.TryPush(std::move(job))) {
    batch = std::move(*held);
    if (queue_.closed()) return {StatusCode::kUnavailable, "stopping", "the detection loop is stopped"};
    return {StatusCode::kResourceExhausted, "queue_full",
            "the detection queue is full (detection.queue_capacity)"};
  }
  batch.clear();
  return Status::Ok();
}

Status DetectionLoop::SubmitQuery(Query fn) {
  // Queries come from gRPC callback threads, which must not block: refuse when full.
  if (!queue_.TryPush([fn = std::move(fn)](Detector& d) { fn(d); })) {
    if (queue_.closed()) return {StatusCode::kUnavailable, "stopping", "the detection loop is stopped"};
    return {StatusCode::kResourceExhausted, "queue_full",
            "the detection queue is full (detection.queue_capacity); retry later"};
  }
  return Status::Ok();
}

void DetectionLoop::Drain(std::string reason) {
  refusing_batches_.store(true);
  std::promise<void> done;
  const Status st = Submit([this, &reason, &done](Detector& d) {
    drained_ = true;
    events_.clear();
    d.EndAll(reason, events_);
    if (!events_.empty()) {
      last_sequence_.store(events_.back().sequence);
      for (EventSink* s : sinks_) s->OnEvents(events_);
    }
    done.set_value();
  });
  if (st.ok()) done.get_future().wait();
}

void DetectionLoop::Run() {
  pthread_setname_np(pthread_self(), "airprox-detect");  // for top -H, perf
  while (auto job = queue_.Pop()) (*job)(detector_);
}

}  // namespace airprox
