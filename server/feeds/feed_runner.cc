#include "server/feeds/feed_runner.h"

#include "server/feeds/aircraft_json_poll_feed.h"
#include "server/feeds/sbs_client_feed.h"
#include "server/feeds/sbs_listener_feed.h"

namespace airprox {

FeedRunner::FeedRunner(std::vector<FeedOptions> feeds, DetectionLoop& loop) : loop_(loop) {
  for (FeedOptions& o : feeds) feeds_.push_back({std::move(o), std::make_shared<FeedCounters>(), 0});
}

FeedRunner::~FeedRunner() { Stop(); }

Status FeedRunner::Start() {
  if (started_) return Status::Ok();
  started_ = true;
  for (Feed& f : feeds_) {
    if (f.options.type == FeedType::kSbsListener) {
      auto l = std::make_shared<SbsListenerFeed>(io_, f.options, loop_, f.counters);
      if (Status st = l->Start(); !st.ok()) {
        Stop();  // every feed started so far
        return st;
      }
      f.port = l->port();
      listeners_.push_back(std::move(l));
    } else if (f.options.type == FeedType::kAircraftJsonPoll) {
      polls_.push_back(std::make_unique<AircraftJsonPollFeed>(f.options, loop_, f.counters));
      polls_.back()->Start();
    } else {
      auto c = std::make_shared<SbsClientFeed>(io_, f.options, loop_, f.counters);
      c->Start();
      clients_.push_back(std::move(c));
    }
  }
  if (!clients_.empty() || !listeners_.empty()) thread_ = std::thread([this] { io_.run(); });
  return Status::Ok();
}

void FeedRunner::Stop() {
  if (!started_) return;
  started_ = false;
  for (auto& c : clients_) c->Stop();
  for (auto& l : listeners_) l->Stop();
  for (auto& p : polls_) p->Stop();
  // Once every feed has closed its sockets and timers, run() runs out of work and returns; when
  // Start failed before the thread began, the stops run here.
  if (thread_.joinable()) {
    thread_.join();
  } else {
    io_.run();
  }
  clients_.clear();
  listeners_.clear();
  polls_.clear();
}

}  // namespace airprox
