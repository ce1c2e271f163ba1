// airproxd as a component: the detection loop, the subscriber hub, the encounter log, the stats
// line and the gRPC services, wired from a Config. main() only parses flags and calls Start and Stop; tests start
// the same server in-process on port 0.
#pragma once

#include <memory>
#include <string>

#include <grpcpp/server.h>

#include "server/app/config.h"
#include "server/app/encounter_log.h"
#include "server/app/event_journal.h"
#include "server/app/stats_reporter.h"
#include "server/core/status.h"
#include "server/feeds/feed_runner.h"
#include "server/pipeline/detection_loop.h"
#include "server/service/encounter_service.h"
#include "server/service/ingest_service.h"
#include "server/service/subscriber_hub.h"
#include "server/service/track_service.h"

namespace airprox {

class AirproxServer {
 public:
  explicit AirproxServer(Config config);
  ~AirproxServer();

  // Binds config.listen and starts serving. An address that cannot be bound is an error.
  Status Start();
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

 private:
  Config config_;
  SubscriberHub hub_;
  EncounterLog log_;
  std::unique_ptr<EventJournal> journal_;
  std::unique_ptr<DetectionLoop> loop_;
  std::unique_ptr<IngestService> ingest_;
  std::unique_ptr<EncounterService> encounters_;
  std::unique_ptr<TrackService> tracks_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<FeedRunner> feeds_;
  std::unique_ptr<StatsReporter> stats_;  // log.stats_interval_s
  int port_ = 0;
  bool stopped_ = false;
};

}  // namespace airprox
