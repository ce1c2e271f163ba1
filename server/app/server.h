// airproxd as a component: the detection loop, the subscriber hub, the encounter log, the stats
// line and the gRPC services, wired from a Config. main() only parses flags and calls Start and Stop; tests start
// the same server in-process on port 0.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>

#include <grpcpp/server.h>

#include "server/app/config.h"
#include "server/app/encounter_log.h"
#include "server/app/event_metrics.h"
#include "server/app/event_journal.h"
#include "server/app/server_certificates.h"
#include "server/app/stats_reporter.h"
#include "server/auth/access_control.h"
#include "server/core/status.h"
#include "server/feeds/feed_runner.h"
#include "server/http/http_server.h"
#include "server/map/live_map.h"
#include "server/pipeline/detection_loop.h"
#include "server/service/encounter_service.h"
#include "server/service/ingest_service.h"
#include "server/service/limit_counters.h"
#include "server/service/stream_grants.h"
#include "server/service/stream_limiter.h"
#include "server/service/subscriber_hub.h"
#include "server/service/track_service.h"

namespace airprox {

class PrometheusText;

class AirproxServer {
 public:
  explicit AirproxServer(Config config);
  ~AirproxServer();

  // Binds config.listen and starts serving. An address that cannot be bound is an error
  // (kUnavailable); so is a bad token file or TLS file (kInvalidArgument, naming the file).
  Status Start();
  // SIGHUP: re-reads the token file and the TLS files. A file that is now invalid is logged and
  // reported, and the previous tokens or certificate stay in force. Open streams whose token the
  // new file no longer admits for their method end: Subscribe at once (after what is queued),
  // Ingest at its next batch.
  Status Reload();
  // Refuses further ingest, ends every active encounter (ENDED, reason "shutdown"), refuses new
  // subscribers, ends subscriber streams with OK once their queues are flushed, lets in-flight
  // calls finish (at most `grace_s` seconds), then stops detection.
  void Stop(double grace_s = 5.0);

  int port() const { return port_; }
  // "127.0.0.1:<port>", the address clients can dial.
  std::string address() const;
  const SubscriberHub& hub() const { return hub_; }
  // Valid after Start.
  const DetectionLoop& detection() const { return *loop_; }
  DetectionLoop& detection() { return *loop_; }
  // The live feeds (config `feeds`), valid after Start.
  const FeedRunner& feeds() const { return *feeds_; }
  // The HTTP port of the live map, /metrics, /healthz and /readyz (0: HTTP disabled).
  int http_port() const { return http_ ? http_->port() : 0; }
  // The live map's feed, valid after Start with HTTP enabled (nullptr without).
  const LiveMap* live_map() const { return map_.get(); }
  // Serving: started and not stopping (/readyz).
  bool ready() const { return ready_.load(); }
  // Every metric in the Prometheus text format (/metrics).
  std::string MetricsText() const;

 private:
  // The live map's files, /metrics, /healthz, /readyz (server_http.cc).
  // The live map's WebSocket handshake: with a token file in force, the token offered needs the
  // subscribe role (the map shows what Subscribe shows). Refusals are counted and logged by name.
  WebSocketAccess AuthorizeMapViewer(const std::string& token) const;
  HttpResponse ServeHttp(const std::string& method, const std::string& path,
                         const std::string& authorization) const;
  // airprox_streams and airprox_limit_exceeded_total{limit} (server_http.cc); `rejected`: the
  // detection's rejections by reason.
  void LimitMetrics(PrometheusText& m, const std::map<std::string, std::uint64_t>& rejected) const;
  // Undoes a Start that failed after the gRPC server was built; returns `why`.
  Status AbortStart(Status why);

  Config config_;
  SubscriberHub hub_;
  EncounterLog log_;
  AccessControl access_;  // auth.token_file
  StreamGrants grants_{access_};  // the open streams' tokens, revoked by Reload
  std::unique_ptr<ServerCertificates> certificates_;  // tls.*, when enabled
  std::unique_ptr<EventJournal> journal_;
  std::unique_ptr<DetectionLoop> loop_;
  LimitCounters limit_counters_;           // limits the services enforce (airprox_limit_exceeded_total)
  std::unique_ptr<StreamLimiter> streams_;  // outlives the services' streams
  std::unique_ptr<IngestService> ingest_;
  std::unique_ptr<EncounterService> encounters_;
  std::unique_ptr<TrackService> tracks_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<FeedRunner> feeds_;
  EventMetrics event_metrics_;
  std::unique_ptr<LiveMap> map_;  // with HTTP: the live map's data over its WebSocket
  std::unique_ptr<HttpServer> http_;
  std::atomic<bool> ready_{false};
  std::unique_ptr<StatsReporter> stats_;  // log.stats_interval_s
  int port_ = 0;
  bool stopped_ = false;
};

}  // namespace airprox
