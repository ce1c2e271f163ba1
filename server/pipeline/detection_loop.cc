#include "server/pipeline/detection_loop.h"

#include <future>

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

Status DetectionLoop::SubmitBatch(std::vector<Position> batch, BatchDone done) {
  if (refusing_batches_.load()) {
    return {StatusCode::kUnavailable, "stopping", "the server is shutting down"};
  }
  return Submit([this, batch = std::move(batch), done = std::move(done)](Detector& d) {
    std::vector<Status> results;
    results.reserve(batch.size());
    events_.clear();
    for (const Position& p : batch) results.push_back(d.Ingest(p, events_));
    if (!events_.empty()) {
      last_sequence_.store(events_.back().sequence);
      for (EventSink* s : sinks_) s->OnEvents(events_);
    }
    done(std::move(results));
  });
}

Status DetectionLoop::SubmitQuery(Query fn) {
  return Submit([fn = std::move(fn)](Detector& d) { fn(d); });
}

void DetectionLoop::Drain(std::string reason) {
  refusing_batches_.store(true);
  std::promise<void> done;
  const Status st = Submit([this, &reason, &done](Detector& d) {
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
  while (auto job = queue_.Pop()) (*job)(detector_);
}

}  // namespace airprox
