// The live map's data feed: keeps the browsers on the WebSocket endpoint up to date with the
// tracks and encounters of the detection loop.
//
// Encounter events (an EventSink) go to every client as they happen; track positions go as whole
// snapshots, queried from the loop when its data changed, at most options.max_updates_per_s per
// client (UpdatePacer), each snapshot replacing the last, so a client only ever gets the newest
// state. A client that does not read gets nothing more once its unsent bytes pass
// options.max_buffered_bytes: its snapshots are skipped (the next one it can take carries the
// newest state, and the encounters it missed) and its events dropped, each counted. Events wait for
// the HTTP thread in a queue bounded by options.max_pending_events (overflow dropped and counted).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "server/http/http_server.h"
#include "server/map/live_map_options.h"
#include "server/map/map_messages.h"
#include "server/map/update_pacer.h"
#include "server/pipeline/detection_loop.h"
#include "server/pipeline/event_sink.h"

namespace airprox {

class LiveMap : public EventSink {
 public:
  struct Stats {
    std::size_t clients = 0;
    std::uint64_t snapshots_sent = 0;
    std::uint64_t snapshots_skipped = 0;  // a client's buffer was over the bound
    std::uint64_t events_sent = 0;
    std::uint64_t events_dropped = 0;     // a client's buffer over the bound, or the queue full
    std::size_t max_buffered_bytes_seen = 0;  // largest unsent bytes of one client at a send
  };

  // subscribers: the gRPC subscriber count shown on the map.
  LiveMap(LiveMapOptions options, DetectionLoop& loop, std::function<std::size_t()> subscribers);
  ~LiveMap() override;

  // The endpoint to give the HttpServer (before it starts). authorize: see WebSocketEndpoint.
  WebSocketEndpoint Endpoint(std::function<WebSocketAccess(const std::string& token)> authorize = {});
  // Starts the update thread; `http` is the server given Endpoint(), started, and outlives Stop.
  void Start(HttpServer& http);
  void Stop();

  void OnEvents(const std::vector<EncounterEvent>& events) override;
  Stats stats() const;

 private:
  struct Client {
    UpdatePacer pacer;
    std::uint64_t sent_version = 0;
  };
  void Run();
  void QueryTracks();
  void ScheduleFlush();
  void Flush();  // HTTP thread
  void Opened(WebSocketClientId id);
  void Closed(WebSocketClientId id);
  void Sent(WebSocketSend result, WebSocketClientId id, std::atomic<std::uint64_t>& sent,
            std::atomic<std::uint64_t>& dropped);

  const LiveMapOptions options_;
  DetectionLoop& loop_;
  const std::function<std::size_t()> subscribers_;
  std::atomic<HttpServer*> http_{nullptr};  // set by Start; read by the detection thread

  // Shared between the detection thread, the update thread and the HTTP thread.
  mutable std::mutex mu_;
  std::vector<Position> tracks_;
  std::map<std::string, EncounterEvent> active_;  // by encounter id
  std::deque<EncounterEvent> history_;            // recent ENDED, oldest first
  std::vector<std::string> pending_events_;       // encoded
  std::uint64_t version_ = 1;                     // bumped when tracks_ or active_ change
  bool flush_scheduled_ = false;

  // HTTP thread only.
  std::unordered_map<WebSocketClientId, Client> clients_;
  std::string snapshot_text_;
  std::uint64_t snapshot_version_ = 0;

  std::atomic<std::size_t> client_count_{0};
  std::atomic<std::uint64_t> snapshots_sent_{0}, snapshots_skipped_{0}, events_sent_{0},
      events_dropped_{0};
  std::atomic<std::size_t> max_buffered_seen_{0};
  std::atomic<bool> query_in_flight_{false};

  std::mutex run_mu_;
  std::condition_variable run_cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace airprox
