// AirproxServer's HTTP endpoints: the live map's files, /metrics in the Prometheus text format,
// /healthz, /readyz. (The map's WebSocket, /ws, is LiveMap's.)
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "server/app/prometheus_text.h"
#include "server/app/server.h"
#include "server/service/refusal_log.h"
#include "server/web/web_assets.h"

namespace airprox {
namespace {

// CPU seconds (user + system) and resident bytes of this process, from /proc (Linux).
void ProcessMetrics(PrometheusText& m) {
  std::ifstream stat("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // Fields after the command name (which may hold spaces) start after the last ')'.
  if (const auto close = text.rfind(')'); close != std::string::npos) {
    std::istringstream rest(text.substr(close + 2));
    std::string field;
    double utime = 0, stime = 0;
    for (int i = 3; rest >> field; ++i) {  // field 3 is the state
      if (i == 14) utime = std::stod(field);
      if (i == 15) stime = std::stod(field);
    }
    const double hz = static_cast<double>(::sysconf(_SC_CLK_TCK));
    m.Counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
              (utime + stime) / hz);
  }
  std::ifstream statm("/proc/self/statm");
  double pages_total = 0, pages_resident = 0;
  if (statm >> pages_total >> pages_resident) {
    const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
    m.Gauge("process_resident_memory_bytes", "Resident memory size in bytes.", pages_resident * page);
    m.Gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", pages_total * page);
  }
}

}  // namespace

std::string AirproxServer::MetricsText() const {
  PrometheusText m;
  const DetectionStats& d = loop_->stats();
  const auto rejected = d.rejected_by_reason();
  std::uint64_t rejected_total = 0;
  for (const auto& [reason, n] : rejected) rejected_total += n;
  m.Counter("airprox_positions_received_total",
            "Position reports that reached detection, from gRPC ingest and live feeds.",
            static_cast<double>(d.accepted() + rejected_total));
  m.Counter("airprox_positions_accepted_total", "Position reports accepted by detection.",
            static_cast<double>(d.accepted()));
  m.Declare("airprox_positions_rejected_total", "counter",
            "Position reports refused by detection, by reason (validation, out_of_order, duplicate, "
            "teleport, time_jump, too_old, stopping).");
  for (const auto& [reason, n] : rejected) {
    m.Counter("airprox_positions_rejected_total", "", static_cast<double>(n), {{"reason", reason}});
  }
  m.Gauge("airprox_tracks", "Live tracks.", static_cast<double>(d.tracks()));
  m.Histogram("airprox_detection_latency_seconds",
              "Time from a batch's submission to the end of its detection (queue wait included).",
              d.latency_s().Read());
  m.Histogram("airprox_detection_batch_positions", "Positions per batch applied by detection.",
              d.batch_size().Read());
  m.Counter("airprox_detection_batches_total", "Batches applied by detection.",
            static_cast<double>(d.batches()));
  m.Counter("airprox_detection_queue_blocked_total",
            "Times an ingest stream waited because the detection queue was full (backpressure).",
            static_cast<double>(loop_->blocked_submits()));

  m.Counter("airprox_ingest_transport_only_batches_total",
            "Batches acknowledged without detection on transport-only streams (load tests; "
            "ingest.allow_transport_only).",
            static_cast<double>(ingest_->transport_only_batches()));

  const EventMetrics::Snapshot e = event_metrics_.Read();
  m.Declare("airprox_encounter_events_total", "counter", "Encounter events emitted, by kind.");
  for (const auto& [kind, n] : e.events_by_kind) {
    m.Counter("airprox_encounter_events_total", "", static_cast<double>(n), {{"kind", kind}});
  }
  m.Declare("airprox_encounters_started_total", "counter",
            "Encounters started, by the rule and severity they started with.");
  for (const auto& [key, n] : e.started) {
    m.Counter("airprox_encounters_started_total", "", static_cast<double>(n),
              {{"rule", key.first}, {"severity", key.second}});
  }
  m.Declare("airprox_encounter_escalations_total", "counter",
            "Escalations of active encounters, by the rule and severity escalated to.");
  for (const auto& [key, n] : e.escalated) {
    m.Counter("airprox_encounter_escalations_total", "", static_cast<double>(n),
              {{"rule", key.first}, {"severity", key.second}});
  }
  m.Gauge("airprox_encounters_active", "Encounters active now.", static_cast<double>(e.active));
  m.Gauge("airprox_last_event_sequence", "Sequence number of the newest encounter event.",
          static_cast<double>(loop_->last_sequence()));

  m.Gauge("airprox_subscribers", "Subscribers connected now.", static_cast<double>(hub_.subscribers()));
  m.Counter("airprox_subscriber_events_sent_total", "Events queued to subscribers (one per subscriber).",
            static_cast<double>(hub_.events_queued()));
  m.Declare("airprox_subscriber_events_dropped_total", "counter",
            "Subscriber events not delivered as such, by policy: coalesced (an UPDATED replaced by a "
            "newer event of its encounter) or gap (a full queue replaced by one GAP event).");
  m.Counter("airprox_subscriber_events_dropped_total", "", static_cast<double>(hub_.coalesced()),
            {{"policy", "coalesced"}});
  m.Counter("airprox_subscriber_events_dropped_total", "", static_cast<double>(hub_.overflows()),
            {{"policy", "gap"}});
  m.Counter("airprox_subscriber_write_timeouts_total",
            "Subscriber streams ended because a write stalled past subscribers.write_timeout_s.",
            static_cast<double>(hub_.write_timeouts()));
  m.Counter("airprox_subscriber_outbox_waits_total",
            "Times the detection thread waited for the subscriber hub's thread to make room in its "
            "outbox (65,536 events).",
            static_cast<double>(hub_.outbox_waits()));

  if (map_) {
    const LiveMap::Stats s = map_->stats();
    m.Gauge("airprox_map_clients", "Browsers connected to the live map now.", static_cast<double>(s.clients));
    m.Declare("airprox_map_messages_sent_total", "counter",
              "Live map messages queued to browsers, by kind: tracks (a snapshot of every track) or "
              "event (an encounter event).");
    m.Counter("airprox_map_messages_sent_total", "", static_cast<double>(s.snapshots_sent), {{"kind", "tracks"}});
    m.Counter("airprox_map_messages_sent_total", "", static_cast<double>(s.events_sent), {{"kind", "event"}});
    m.Declare("airprox_map_messages_dropped_total", "counter",
              "Live map messages not sent, by kind: tracks skipped while a browser had more than "
              "map.max_buffered_bytes unsent (its next update carries the newest state), events "
              "dropped for the same reason or because the pending-event queue was full.");
    m.Counter("airprox_map_messages_dropped_total", "", static_cast<double>(s.snapshots_skipped),
              {{"kind", "tracks"}});
    m.Counter("airprox_map_messages_dropped_total", "", static_cast<double>(s.events_dropped), {{"kind", "event"}});
    m.Gauge("airprox_map_buffered_bytes_max",
            "Largest count of bytes seen waiting unsent to one browser, right after a send.",
            static_cast<double>(s.max_buffered_bytes_seen));
  }

  struct FeedMetric {
    const char* name;
    const char* type;
    const char* help;
    std::atomic<std::uint64_t> FeedCounters::*field;
  };
  static constexpr FeedMetric kFeedMetrics[] = {
      {"airprox_feed_connects_total", "counter", "Feed connections made or accepted.", &FeedCounters::connects},
      {"airprox_feed_disconnects_total", "counter", "Feed connections lost.", &FeedCounters::disconnects},
      {"airprox_feed_connections", "gauge", "Feed connections open now.", &FeedCounters::connected},
      {"airprox_feed_refused_connections_total", "counter", "Listener connections refused (max_connections).",
       &FeedCounters::refused_connections},
      {"airprox_feed_lines_total", "counter", "Lines (SBS) or aircraft (aircraft.json) read.", &FeedCounters::lines},
      {"airprox_feed_malformed_total", "counter", "Malformed lines or records.", &FeedCounters::malformed},
      {"airprox_feed_positions_total", "counter", "Positions a feed produced.", &FeedCounters::positions},
      {"airprox_feed_positions_dropped_total", "counter",
       "Positions dropped because the detection queue stayed full (max_pending).", &FeedCounters::dropped},
      {"airprox_feed_fetches_total", "counter", "aircraft.json snapshots fetched.", &FeedCounters::fetches},
      {"airprox_feed_fetch_errors_total", "counter", "aircraft.json fetches that failed.", &FeedCounters::fetch_errors},
  };
  for (const FeedMetric& fm : kFeedMetrics) {
    m.Declare(fm.name, fm.type, fm.help);
    for (const FeedRunner::Feed& f : feeds_->feeds()) {
      const double v = static_cast<double>(((*f.counters).*fm.field).load());
      const MetricLabels labels = {{"feed", f.options.name}, {"type", FeedTypeName(f.options.type)}};
      if (std::string_view(fm.type) == "gauge") {
        m.Gauge(fm.name, "", v, labels);
      } else {
        m.Counter(fm.name, "", v, labels);
      }
    }
  }
  LimitMetrics(m, rejected);
  m.Gauge("airprox_auth_tokens", "Bearer tokens in force (auth.token_file; 0 without one).",
          static_cast<double>(access_.tokens()));
  m.Declare("airprox_auth_refused_total", "counter",
            "gRPC calls, HTTP requests and live-map WebSocket handshakes refused by bearer-token "
            "checks: unauthenticated (no token, or an unknown one) or permission_denied (a token "
            "without the call's role).");
  m.Counter("airprox_auth_refused_total", "", static_cast<double>(access_.unauthenticated()),
            {{"reason", "unauthenticated"}});
  m.Counter("airprox_auth_refused_total", "", static_cast<double>(access_.permission_denied()),
            {{"reason", "permission_denied"}});
  ProcessMetrics(m);
  return m.text();
}

void AirproxServer::LimitMetrics(PrometheusText& m,
                                 const std::map<std::string, std::uint64_t>& rejected) const {
  m.Gauge("airprox_streams", "Ingest and Subscribe streams open now (limits.max_streams).",
          static_cast<double>(streams_->streams()));
  m.Declare("airprox_limit_exceeded_total", "counter",
            "Requests, streams, feed lines, position reports and connections refused by a limit, by "
            "the limit's config key under limits.");
  for (std::size_t i = 0; i < kLimitNames.size(); ++i) {
    m.Counter("airprox_limit_exceeded_total", "",
              static_cast<double>(limit_counters_.count(static_cast<Limit>(i))),
              {{"limit", std::string(kLimitNames[i])}});
  }
  const auto too_many = rejected.find("too_many_tracks");
  m.Counter("airprox_limit_exceeded_total", "",
            static_cast<double>(too_many == rejected.end() ? 0 : too_many->second), {{"limit", "max_tracks"}});
  std::uint64_t too_long = 0;
  for (const FeedRunner::Feed& f : feeds_->feeds()) too_long += f.counters->too_long_lines.load();
  m.Counter("airprox_limit_exceeded_total", "", static_cast<double>(too_long),
            {{"limit", "sbs_max_line_bytes"}});
  m.Counter("airprox_limit_exceeded_total", "",
            static_cast<double>(http_ ? http_->request_timeouts() : 0), {{"limit", "handshake_timeout_s"}});
}

HttpResponse AirproxServer::ServeHttp(const std::string& method, const std::string& path,
                                      const std::string& authorization) const {
  if (method != "GET" && method != "HEAD") return {405, "text/plain; charset=utf-8", "GET only\n"};
  // Liveness and readiness stay open for probes, and the map page's files for the browser (public
  // code: the page has to load to ask for a token; its data, on /ws, needs one). Everything else
  // needs a valid token, of any role, when a token file is in force.
  const WebAsset* asset = FindWebAsset(path);
  if (path != "/healthz" && path != "/readyz" && asset == nullptr) {
    if (const AccessDecision d = access_.Authorize(authorization, std::nullopt); !d.status.ok()) {
      return {401, "text/plain; charset=utf-8", d.status.message() + "\n", "Bearer realm=\"airprox\""};
    }
  }
  if (path == "/metrics") return {200, "text/plain; version=0.0.4; charset=utf-8", MetricsText()};
  if (path == "/healthz") return {200, "text/plain; charset=utf-8", "ok\n"};
  if (path == "/readyz") {
    return ready_ ? HttpResponse{200, "text/plain; charset=utf-8", "ready\n"}
                  : HttpResponse{503, "text/plain; charset=utf-8", "not ready: starting or stopping\n"};
  }
  if (asset != nullptr) {
    return {200, std::string(asset->content_type), std::string(asset->body)};
  }
  return {404, "text/plain; charset=utf-8", "not found: /, /metrics, /healthz, /readyz\n"};
}

WebSocketAccess AirproxServer::AuthorizeMapViewer(const std::string& token) const {
  if (!access_.enabled()) return WebSocketAccess::kAllowed;
  const AccessDecision d =
      access_.Authorize(token.empty() ? std::string() : "Bearer " + token, Role::kSubscribe);
  if (d.status.ok()) {
    spdlog::debug("auth granted path=/ws name={}", d.name);
    return WebSocketAccess::kAllowed;
  }
  LogRefusal(access_.refusal_lines(), "auth",
             fmt::format("auth refused path=/ws name={} reason={}", d.name.empty() ? "-" : d.name, d.status.reason()));
  return d.status.code() == StatusCode::kPermissionDenied ? WebSocketAccess::kForbidden
                                                          : WebSocketAccess::kUnauthenticated;
}

}  // namespace airprox
