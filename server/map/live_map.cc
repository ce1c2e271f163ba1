#include "server/map/live_map.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace airprox {
namespace {

double SteadyNowS() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

LiveMap::LiveMap(LiveMapOptions options, DetectionLoop& loop,
                 std::function<std::size_t()> subscribers)
    : options_(std::move(options)), loop_(loop), subscribers_(std::move(subscribers)) {}

LiveMap::~LiveMap() { Stop(); }

WebSocketEndpoint LiveMap::Endpoint(std::function<WebSocketAccess(const std::string& token)> authorize) {
  WebSocketEndpoint ep;
  ep.max_clients = options_.max_clients;
  ep.authorize = std::move(authorize);
  ep.on_open = [this](WebSocketClientId id) { Opened(id); };
  ep.on_close = [this](WebSocketClientId id) { Closed(id); };
  return ep;
}

void LiveMap::Start(HttpServer& http) {
  http_ = &http;
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void LiveMap::Stop() {
  {
    std::lock_guard<std::mutex> lock(run_mu_);
    stopping_ = true;
  }
  run_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

// Ticks at twice the update rate (so that a client's pacer is never more than half an interval
// late), querying the loop only when it applied batches since the last query.
void LiveMap::Run() {
  const auto tick = std::chrono::duration<double>(
      std::clamp(0.5 / options_.max_updates_per_s, 0.02, 0.25));
  std::uint64_t queried_batches = 0;
  bool queried = false;
  std::unique_lock<std::mutex> lock(run_mu_);
  while (!run_cv_.wait_for(lock, tick, [this] { return stopping_; })) {
    if (client_count_.load() == 0) continue;
    const std::uint64_t batches = loop_.stats().batches();
    if ((!queried || batches != queried_batches) && !query_in_flight_.exchange(true)) {
      QueryTracks();
      queried = true;
      queried_batches = batches;
    }
    ScheduleFlush();  // clients whose pacer held the last snapshot back
  }
}

void LiveMap::QueryTracks() {
  const Status st = loop_.SubmitQuery([this](const Detector& d) {
    std::vector<Position> tracks;
    tracks.reserve(d.tracks().size());
    d.tracks().ForEach([&](TrackHandle, const Track& t) { tracks.push_back(t.last); });
    std::sort(tracks.begin(), tracks.end(),
              [](const Position& x, const Position& y) { return x.track_id < y.track_id; });
    {
      std::lock_guard<std::mutex> lock(mu_);
      tracks_ = std::move(tracks);
      ++version_;
    }
    query_in_flight_ = false;
    ScheduleFlush();
  });
  if (!st.ok()) query_in_flight_ = false;  // queue full or stopping: the next tick tries again
}

void LiveMap::OnEvents(const std::vector<EncounterEvent>& events) {
  const bool anyone = client_count_.load() > 0;
  std::vector<std::string> encoded;
  if (anyone) {
    encoded.reserve(events.size());
    for (const EncounterEvent& e : events) encoded.push_back(EncodeMapEvent(e));
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const EncounterEvent& e : events) {
      if (e.kind == EncounterKind::kEnded) {
        active_.erase(e.encounter_id);
        history_.push_back(e);
        if (history_.size() > options_.history_events) history_.pop_front();
      } else {
        active_[e.encounter_id] = e;
      }
    }
    ++version_;
    for (std::string& text : encoded) {
      if (pending_events_.size() < options_.max_pending_events) {
        pending_events_.push_back(std::move(text));
      } else {
        events_dropped_.fetch_add(1, std::memory_order_relaxed);
      }
    }
  }
  if (anyone) ScheduleFlush();
}

void LiveMap::ScheduleFlush() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (flush_scheduled_) return;
    flush_scheduled_ = true;
  }
  http_.load()->Post([this] { Flush(); });
}

void LiveMap::Flush() {
  std::vector<std::string> events;
  MapSnapshot snapshot;
  bool changed = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    flush_scheduled_ = false;
    events.swap(pending_events_);
    if (version_ != snapshot_version_) {
      changed = true;
      snapshot_version_ = version_;
      snapshot.tracks = tracks_;
      for (const auto& [id, e] : active_) snapshot.encounters.push_back(e);
    }
  }
  if (changed) {
    for (const Position& p : snapshot.tracks) snapshot.time_s = std::max(snapshot.time_s, p.time_s);
    for (const EncounterEvent& e : snapshot.encounters) {
      snapshot.time_s = std::max(snapshot.time_s, e.time_s);
    }
    std::sort(snapshot.encounters.begin(), snapshot.encounters.end(),
              [](const EncounterEvent& x, const EncounterEvent& y) { return x.start_time_s > y.start_time_s; });
    snapshot.counts = {snapshot.tracks.size(), snapshot.encounters.size(),
                       subscribers_ ? subscribers_() : 0, clients_.size()};
    snapshot_text_ = EncodeMapSnapshot(snapshot);
  }
  const double now_s = SteadyNowS();
  for (auto& [id, client] : clients_) {
    for (const std::string& text : events) {
      Sent(http_.load()->Send(id, text, options_.max_buffered_bytes), id, events_sent_, events_dropped_);
    }
    if (client.sent_version < snapshot_version_ && client.pacer.TryTake(now_s)) {
      const WebSocketSend r = http_.load()->Send(id, snapshot_text_, options_.max_buffered_bytes);
      Sent(r, id, snapshots_sent_, snapshots_skipped_);
      if (r == WebSocketSend::kSent) client.sent_version = snapshot_version_;
    }
  }
}

void LiveMap::Sent(WebSocketSend result, WebSocketClientId id, std::atomic<std::uint64_t>& sent,
                   std::atomic<std::uint64_t>& dropped) {
  if (result == WebSocketSend::kSent) {
    sent.fetch_add(1, std::memory_order_relaxed);
    const std::size_t buffered = http_.load()->buffered_bytes(id);
    if (buffered > max_buffered_seen_.load()) max_buffered_seen_ = buffered;
  } else if (result == WebSocketSend::kBusy) {
    dropped.fetch_add(1, std::memory_order_relaxed);
  }
}

void LiveMap::Opened(WebSocketClientId id) {
  clients_.emplace(id, Client{UpdatePacer(options_.max_updates_per_s)});
  client_count_ = clients_.size();
  MapHello hello{options_.tile_url, options_.max_updates_per_s, {}};
  {
    std::lock_guard<std::mutex> lock(mu_);
    hello.history.assign(history_.begin(), history_.end());
  }
  http_.load()->Send(id, EncodeMapHello(hello), options_.max_buffered_bytes);
  ScheduleFlush();  // its first snapshot without waiting for a tick
}

void LiveMap::Closed(WebSocketClientId id) {
  clients_.erase(id);
  client_count_ = clients_.size();
}

LiveMap::Stats LiveMap::stats() const {
  Stats s;
  s.clients = client_count_.load();
  s.snapshots_sent = snapshots_sent_.load();
  s.snapshots_skipped = snapshots_skipped_.load();
  s.events_sent = events_sent_.load();
  s.events_dropped = events_dropped_.load();
  s.max_buffered_bytes_seen = max_buffered_seen_.load();
  return s;
}

}  // namespace airprox
