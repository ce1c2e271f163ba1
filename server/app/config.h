// airproxd's configuration: YAML (configs/airprox.yaml documents every key) -> typed options.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "server/app/auth_options.h"
#include "server/app/event_journal.h"
#include "server/app/limits_options.h"
#include "server/app/log_options.h"
#include "server/app/tls_options.h"
#include "server/core/detector.h"
#include "server/core/status.h"
#include "server/feeds/feed_options.h"
#include "server/map/live_map_options.h"
#include "server/pipeline/detection_loop.h"
#include "server/service/ingest_service.h"
#include "server/service/subscriber_hub.h"

namespace airprox {

struct Config {
  std::string listen = "127.0.0.1:50051";  // gRPC HOST:PORT
  // HTTP HOST:PORT of the live map (/, /ws), /metrics, /healthz, /readyz; "" disables it.
  std::string http_listen = "127.0.0.1:9464";
  LogOptions log;
  DetectorOptions detector;
  DetectionLoopOptions detection_loop;
  IngestServiceOptions ingest;
  SubscriberHubOptions subscribers;
  JournalOptions storage;
  std::vector<FeedOptions> feeds;  // live feeds; none by default
  LiveMapOptions map;              // the live map on the HTTP port
  LimitsOptions limits;            // bounds on client and feed input (limits_options.h)
  TlsOptions tls;    // tls: TLS (and mTLS) on the gRPC port
  AuthOptions auth;  // auth: bearer tokens with roles
  // --allow-insecure (a flag only, never read from a file): plaintext listeners on addresses other
  // than loopback are allowed (listen_policy.h).
  bool allow_insecure = false;
};

// The default configuration file, embedded at build time from configs/airprox.yaml.
std::string_view EmbeddedDefaultConfig();

// Reads YAML text on top of `config`: keys present replace values, a `rules` list replaces all
// rules. Errors name the source, the key and the problem ("my.yaml: tracks.stale_after_s: ...").
Status ApplyConfigYaml(std::string_view yaml, std::string_view source, Config& config);

// The embedded defaults, then the file at `path` if not empty.
Status LoadConfig(const std::string& path, Config& config);

// Environment overrides, applied after the config file and before command-line flags:
// AIRPROX_LISTEN (server.listen) and AIRPROX_HTTP_LISTEN (http.listen), when set.
void ApplyEnvironment(Config& config);

// Checks values that span keys or come from flags (listen address, log levels, rules, TLS files
// given in pairs, no plaintext listener off loopback without allow_insecure).
Status ValidateConfig(const Config& config);

// The effective configuration as YAML that ApplyConfigYaml reads back to the same values.
std::string ConfigToYaml(const Config& config);

}  // namespace airprox
