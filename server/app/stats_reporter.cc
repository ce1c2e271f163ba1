#include "server/app/stats_reporter.h"

#include <fmt/format.h>

namespace airprox {
namespace {

constexpr auto kQueryWait = std::chrono::seconds(1);

}  // namespace

StatsReporter::StatsReporter(double interval_s, DetectionLoop& loop, const SubscriberHub& hub,
                             const FeedRunner* feeds, std::shared_ptr<spdlog::logger> logger)
    : interval_(interval_s), loop_(loop), hub_(hub), feeds_(feeds), logger_(std::move(logger)) {
  last_.at = std::chrono::steady_clock::now();
}

StatsReporter::~StatsReporter() { Stop(); }

void StatsReporter::Start() {
  if (interval_.count() <= 0 || thread_.joinable()) return;
  thread_ = std::thread([this] { Run(); });
}

void StatsReporter::Stop() {
  {
    std::lock_guard lock(shared_->mu);
    shared_->stopping = true;
  }
  shared_->cv.notify_all();
  if (thread_.joinable()) thread_.join();
}

void StatsReporter::Run() {
  auto next = std::chrono::steady_clock::now();
  for (;;) {
    next += std::chrono::duration_cast<std::chrono::steady_clock::duration>(interval_);
    {
      std::unique_lock lock(shared_->mu);
      if (shared_->cv.wait_until(lock, next, [&] { return shared_->stopping; })) return;
    }
    const std::string line = Line();
    {
      std::lock_guard lock(shared_->mu);
      if (shared_->stopping) return;
    }
    logger_->info("{}", line);
  }
}

bool StatsReporter::QueryDetector(DetectorSample& out) {
  const std::uint64_t generation = ++asked_;
  std::shared_ptr<Shared> shared = shared_;
  const Status st = loop_.SubmitQuery([shared, generation](const Detector& d) {
    DetectorSample s;
    s.tracks = d.tracks().size();
    s.active_encounters = d.ActiveEncounters().size();
    s.accepted = d.counters().accepted;
    s.rejected = d.counters().rejected;
    s.at = std::chrono::steady_clock::now();
    {
      std::lock_guard lock(shared->mu);
      shared->sample = s;
      shared->answered = generation;
    }
    shared->cv.notify_all();
  });
  if (!st.ok()) return false;
  std::unique_lock lock(shared_->mu);
  if (!shared_->cv.wait_for(lock, kQueryWait,
                            [&] { return shared_->stopping || shared_->answered >= generation; }) ||
      shared_->answered < generation) {
    return false;
  }
  out = shared_->sample;
  return true;
}

std::string StatsReporter::Line() {
  std::lock_guard line_lock(line_mu_);
  DetectorSample now;
  const bool fresh = QueryDetector(now);
  if (fresh) {
    const double elapsed_s = std::chrono::duration<double>(now.at - last_.at).count();
    updates_per_s_ =
        elapsed_s > 0 && now.accepted >= last_.accepted ? static_cast<double>(now.accepted - last_.accepted) / elapsed_s : 0;
    last_ = now;
  }
  std::uint64_t feed_positions = 0, feed_dropped = 0;
  if (feeds_ != nullptr) {
    for (const FeedRunner::Feed& f : feeds_->feeds()) {
      feed_positions += f.counters->positions.load();
      feed_dropped += f.counters->dropped.load();
    }
  }
  return fmt::format(
      "stats tracks={} accepted={} rejected={} updates_per_s={:.1f} active_encounters={} subscribers={} "
      "events_queued={} coalesced={} gap_overflows={} write_timeouts={} blocked_submits={} "
      "feed_positions={} feed_dropped={} detector={}",
      last_.tracks, last_.accepted, last_.rejected, updates_per_s_, last_.active_encounters, hub_.subscribers(),
      hub_.events_queued(), hub_.coalesced(), hub_.overflows(), hub_.write_timeouts(), loop_.blocked_submits(),
      feed_positions, feed_dropped, fresh ? "fresh" : "stale");
}

}  // namespace airprox
