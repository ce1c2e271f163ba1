#include "server/app/config.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace airprox {
namespace {

Config Defaults() {
  Config c;
  EXPECT_TRUE(LoadConfig("", c).ok());
  return c;
}

TEST(Config, EmbeddedDefaultsHaveTheThreeStandardRules) {
  const Config c = Defaults();
  EXPECT_EQ(c.listen, "127.0.0.1:50051");
  EXPECT_EQ(c.log.level, "info");
  EXPECT_TRUE(c.log.levels.empty());
  EXPECT_EQ(c.log.file, "");
  EXPECT_EQ(c.log.max_file_bytes, 100u << 20);
  EXPECT_EQ(c.log.max_files, 5u);
  EXPECT_EQ(c.log.format, LogFormat::kText);
  EXPECT_EQ(c.log.stats_interval_s, 60);
  EXPECT_EQ(c.detector.stale_after_s, 60);
  ASSERT_EQ(c.detector.rules.size(), 3u);
  EXPECT_EQ(c.detector.rules[0].name, "conflict");
  EXPECT_EQ(c.detector.rules[0].severity, Severity::kAdvisory);
  EXPECT_EQ(c.detector.rules[0].horizontal_nm, 5);
  EXPECT_EQ(c.detector.rules[0].vertical_ft, 1000);
  EXPECT_EQ(c.detector.rules[0].lookahead_s, 120);
  EXPECT_EQ(c.detector.rules[1].name, "loss-of-separation");
  EXPECT_EQ(c.detector.rules[1].lookahead_s, 0);
  EXPECT_EQ(c.detector.rules[2].name, "nmac");
  EXPECT_EQ(c.detector.rules[2].severity, Severity::kAlert);
  EXPECT_NEAR(c.detector.rules[2].horizontal_nm * 1852 / 0.3048, 500, 1e-9);
  EXPECT_EQ(c.detector.rules[2].vertical_ft, 100);
  EXPECT_EQ(c.detector.tracks.max_speed_kt, 2000);
  EXPECT_EQ(c.detector.tracks.teleports_before_reset, 3);
  EXPECT_EQ(c.detector.tracks.max_derive_gap_s, 60);
  EXPECT_EQ(c.detector.tracks.level_flight_max_fpm, 200);
  EXPECT_EQ(c.detector.max_interpolation_s, 60);
  EXPECT_EQ(c.detector.alerting.confirm_hits, 2);
  EXPECT_EQ(c.detector.alerting.confirm_window, 3);
  EXPECT_EQ(c.detector.alerting.end_margin, 0.1);
  EXPECT_EQ(c.detector.alerting.end_hold_s, 60);
  EXPECT_TRUE(ValidateConfig(c).ok());
}

TEST(Config, EmbeddedDefaultsMatchTheCompiledDefaults) {
  // The YAML file and the structs' initializers document the same defaults.
  const Config c = Defaults();
  const DetectorOptions compiled;
  EXPECT_EQ(c.detector.stale_after_s, compiled.stale_after_s);
  EXPECT_EQ(c.detector.index_cell_m, compiled.index_cell_m);
  EXPECT_EQ(c.detector.max_interpolation_s, compiled.max_interpolation_s);
  EXPECT_EQ(c.detector.tracks.max_speed_kt, compiled.tracks.max_speed_kt);
  EXPECT_EQ(c.detector.tracks.teleports_before_reset, compiled.tracks.teleports_before_reset);
  EXPECT_EQ(c.detector.tracks.max_derive_gap_s, compiled.tracks.max_derive_gap_s);
  EXPECT_EQ(c.detector.tracks.level_flight_max_fpm, compiled.tracks.level_flight_max_fpm);
  EXPECT_EQ(c.detector.alerting.confirm_hits, compiled.alerting.confirm_hits);
  EXPECT_EQ(c.detector.alerting.confirm_window, compiled.alerting.confirm_window);
  EXPECT_EQ(c.detector.alerting.end_margin, compiled.alerting.end_margin);
  EXPECT_EQ(c.detector.alerting.end_hold_s, compiled.alerting.end_hold_s);
  EXPECT_EQ(c.detection_loop.queue_capacity, DetectionLoopOptions{}.queue_capacity);
  EXPECT_EQ(c.subscribers.queue_capacity, SubscriberHubOptions{}.queue_capacity);
  EXPECT_EQ(c.subscribers.heartbeat_s, SubscriberHubOptions{}.heartbeat_s);
  EXPECT_EQ(c.subscribers.write_timeout_s, SubscriberHubOptions{}.write_timeout_s);
  EXPECT_EQ(c.subscribers.write_timeout_s, 30);
  const LogOptions log;
  EXPECT_EQ(c.log.level, log.level);
  EXPECT_EQ(c.log.file, log.file);
  EXPECT_EQ(c.log.max_file_bytes, log.max_file_bytes);
  EXPECT_EQ(c.log.max_files, log.max_files);
  EXPECT_EQ(c.log.format, log.format);
  EXPECT_EQ(c.log.stats_interval_s, log.stats_interval_s);
}

TEST(Config, LimitsHaveTheCompiledDefaultsAndAreReadCheckedAndPrinted) {
  const Config c = Defaults();
  const LimitsOptions compiled;
  EXPECT_EQ(c.limits.max_message_bytes, compiled.max_message_bytes);
  EXPECT_EQ(c.limits.max_batch_positions, IngestServiceOptions{}.max_batch_positions);
  EXPECT_EQ(c.limits.streams.max_streams, StreamLimits{}.max_streams);
  EXPECT_EQ(c.limits.streams.max_streams_per_peer, StreamLimits{}.max_streams_per_peer);
  EXPECT_EQ(c.limits.streams.max_subscribers, StreamLimits{}.max_subscribers);
  EXPECT_EQ(c.limits.filter.max_vertices, FilterLimits{}.max_vertices);
  EXPECT_EQ(c.limits.filter.max_entries, FilterLimits{}.max_entries);
  EXPECT_EQ(c.limits.filter.max_pattern_bytes, FilterLimits{}.max_pattern_bytes);
  EXPECT_EQ(c.limits.sbs_max_line_bytes, FeedOptions{}.max_line_bytes);
  EXPECT_EQ(c.limits.max_tracks, TrackTableOptions{}.max_tracks);
  EXPECT_EQ(c.limits.handshake_timeout_s, compiled.handshake_timeout_s);

  Config d = Defaults();
  ASSERT_TRUE(ApplyConfigYaml("limits: {max_streams: 7, filter_max_pattern_bytes: 9, max_tracks: 11,\n"
                              "         handshake_timeout_s: 0.5, sbs_max_line_bytes: 1024}\n",
                              "l.yaml", d)
                  .ok());
  EXPECT_EQ(d.limits.streams.max_streams, 7u);
  EXPECT_EQ(d.limits.filter.max_pattern_bytes, 9u);
  EXPECT_EQ(d.limits.max_tracks, 11u);
  EXPECT_EQ(d.limits.handshake_timeout_s, 0.5);
  EXPECT_EQ(d.limits.sbs_max_line_bytes, 1024u);
  EXPECT_EQ(d.limits.streams.max_subscribers, StreamLimits{}.max_subscribers) << "only what it names";
  const std::string yaml = ConfigToYaml(d);
  Config back;
  ASSERT_TRUE(ApplyConfigYaml(yaml, "printed", back).ok()) << yaml;
  EXPECT_EQ(ConfigToYaml(back), yaml);
  EXPECT_EQ(back.limits.max_tracks, 11u);

  Config bad = Defaults();
  Status st = ApplyConfigYaml("limits:\n  max_streams: 0\n", "l.yaml", bad);
  EXPECT_NE(st.message().find("l.yaml:2: limits.max_streams: 0 is outside [1, "), std::string::npos)
      << st.message();
  st = ApplyConfigYaml("limits: {filter_max_vertices: 2}\n", "l.yaml", bad);
  EXPECT_NE(st.message().find("limits.filter_max_vertices: 2 is outside [3, "), std::string::npos)
      << st.message();
  st = ApplyConfigYaml("limits: {max_message_size: 5}\n", "l.yaml", bad);
  EXPECT_NE(st.message().find("limits.max_message_size: unknown key"), std::string::npos) << st.message();
  st = ApplyConfigYaml("limits: [1, 2]\n", "l.yaml", bad);
  EXPECT_NE(st.message().find("limits: expected a mapping"), std::string::npos) << st.message();
}

TEST(Config, FileOverridesOnlyWhatItNames) {
  Config c = Defaults();
  ASSERT_TRUE(ApplyConfigYaml("tracks: {stale_after_s: 20}\nserver: {listen: '0.0.0.0:7000'}\n",
                              "t.yaml", c)
                  .ok());
  EXPECT_EQ(c.detector.stale_after_s, 20);
  EXPECT_EQ(c.listen, "0.0.0.0:7000");
  EXPECT_EQ(c.detector.rules.size(), 3u);
  ASSERT_TRUE(ApplyConfigYaml("rules:\n  - {name: tight, severity: alert, horizontal_nm: 1, "
                              "vertical_ft: 300}\n",
                              "t.yaml", c)
                  .ok());
  ASSERT_EQ(c.detector.rules.size(), 1u);
  EXPECT_EQ(c.detector.rules[0].lookahead_s, 0);
}

TEST(Config, ErrorsNameTheKeyAndTheLine) {
  struct Case {
    const char* yaml;
    const char* expected;
  };
  const Case cases[] = {
      {"tracks:\n  stale_after: 5\n", "t.yaml:2: tracks.stale_after: unknown key"},
      {"tracks:\n  stale_after_s: -5\n", "t.yaml:2: tracks.stale_after_s: -5 is outside (0, 86400]"},
      {"tracks:\n  stale_after_s: soon\n", "tracks.stale_after_s: expected a number"},
      {"detection: {queue_capacity: 2.5}\n", "detection.queue_capacity: expected a whole number"},
      {"rules:\n  - {name: x, severity: bad, horizontal_nm: 5, vertical_ft: 1000}\n",
       "rules[0].severity: 'bad' is not one of ADVISORY, WARNING, ALERT"},
      {"rules:\n  - {name: x, severity: alert, vertical_ft: 1000}\n",
       "rules[0]: give exactly one of horizontal_nm and horizontal_ft"},
      {"rules:\n  - {name: x, severity: alert, horizontal_nm: 1}\n", "rules[0].vertical_ft: is required"},
      {"rules: []\n", "at least one rule is required"},
      {"server: [1, 2]\n", "server: expected a mapping"},
      {"alerting:\n  confirm_hits: 4\n", "alerting.confirm_hits: 4 is outside [1, confirm_window = 3]"},
      {"alerting: {end_margin: 2}\n", "alerting.end_margin: 2 is outside [0, 1]"},
      {"tracks: {max_speed_kt: 0}\n", "tracks.max_speed_kt: 0 is outside (0, 10000]"},
      {"detection: {max_interpolation_s: 900}\n", "detection.max_interpolation_s: 900 is outside [0, 600]"},
      {"server: {listen: 'a: b\n", "invalid YAML"},
      {"log:\n  format: xml\n", "t.yaml:2: log.format: 'xml' is not one of text, json"},
      {"log: {level: loud}\n", "t.yaml:1: log.level: 'loud' is not one of trace, debug, info, warn, error"},
      {"log:\n  levels:\n    feeds: loud\n", "t.yaml:3: log.levels.feeds: 'loud' is not one of trace"},
      {"log:\n  levels:\n    detector: warn\n",
       "t.yaml:3: log.levels.detector: unknown component (known: airproxd, encounter, feeds, stats, grpc)"},
      {"log: {levels: [feeds]}\n", "log.levels: expected a mapping of component: level"},
      {"log: {max_files: -1}\n", "log.max_files: -1 is outside [0, 10000]"},
      {"log: {max_file_bytes: 10}\n", "log.max_file_bytes: 10 is outside [1024, 1000000000000000]"},
      {"log: {stats_interval_s: -1}\n", "log.stats_interval_s: -1 is outside [0, 86400]"},
      {"log: {file: [a]}\n", "log.file: expected a string"},
      {"log: {rotate: yes}\n", "log.rotate: unknown key"},
  };
  for (const Case& c : cases) {
    Config config = Defaults();
    const Status st = ApplyConfigYaml(c.yaml, "t.yaml", config);
    EXPECT_FALSE(st.ok()) << c.yaml;
    EXPECT_NE(st.message().find(c.expected), std::string::npos)
        << "got: " << st.message() << "\nexpected to contain: " << c.expected;
  }
}

TEST(Config, TransportOnlyIngestIsOffByDefaultAndReadBack) {
  Config c = Defaults();
  EXPECT_FALSE(c.ingest.allow_transport_only);
  EXPECT_EQ(c.ingest.allow_transport_only, IngestServiceOptions{}.allow_transport_only);
  ASSERT_TRUE(ApplyConfigYaml("ingest:\n  allow_transport_only: true\n", "f.yaml", c).ok());
  EXPECT_TRUE(c.ingest.allow_transport_only);
  const std::string yaml = ConfigToYaml(c);
  EXPECT_NE(yaml.find("allow_transport_only: true"), std::string::npos) << yaml;
  Config back;
  ASSERT_TRUE(ApplyConfigYaml(yaml, "printed", back).ok()) << yaml;
  EXPECT_TRUE(back.ingest.allow_transport_only);

  Config bad = Defaults();
  Status st = ApplyConfigYaml("ingest: {allow_transport_only: maybe}\n", "t.yaml", bad);
  EXPECT_NE(st.message().find("t.yaml:1: ingest.allow_transport_only: expected true or false"),
            std::string::npos)
      << st.message();
  st = ApplyConfigYaml("ingest: {transport_only: true}\n", "t.yaml", bad);
  EXPECT_NE(st.message().find("ingest.transport_only: unknown key (known: allow_transport_only)"),
            std::string::npos)
      << st.message();
  EXPECT_FALSE(bad.ingest.allow_transport_only) << "a failed load changes nothing";
}

// Found by fuzzing (tests/fuzz/config_fuzz.cc): YAML that parses but has a shape the loader did
// not expect made yaml-cpp throw out of LoadConfig (BadSubscript, TypedBadConversion), ending
// airproxd with std::terminate instead of an error naming the line.
TEST(Config, UnexpectedShapesAreErrorsNotExceptions) {
  struct Case {
    const char* yaml;
    const char* expected;
  };
  const Case cases[] = {
      {"just words\n", "t.yaml:1: expected a mapping"},
      {"42\n", "t.yaml:1: expected a mapping"},
      {"- server\n- log\n", "t.yaml:1: expected a mapping"},
      {"? [server, log]\n: 1\n", "t.yaml:1: expected a name as the key"},
      {"tracks:\n  ? {stale_after_s: 1}\n  : 2\n", "t.yaml:2: tracks: expected a name as the key"},
      {"rules:\n  - {name: x, severity: alert, horizontal_nm: 1, vertical_ft: 1,\n"
       "     applies: {categories: [A1, [A3]]}}\n",
       "t.yaml:3: rules[0].applies.categories[1]: expected a string"},
      {"rules:\n  - {name: a, severity: WARNING, horizontal_nm: 1, vertical_ft: 100,\n"
       "     applies: {on_ground: sometimes}}\n",
       "t.yaml:3: rules[0].applies.on_ground: expected true or false"},
      {"log:\n  levels:\n    ? [grpc]\n    : debug\n", "t.yaml:3: log.levels: expected a name as the key"},
  };
  for (const Case& c : cases) {
    Config config = Defaults();
    Status st;
    EXPECT_NO_THROW(st = ApplyConfigYaml(c.yaml, "t.yaml", config)) << c.yaml;
    EXPECT_FALSE(st.ok()) << c.yaml;
    EXPECT_NE(st.message().find(c.expected), std::string::npos)
        << "got: " << st.message() << "\nexpected to contain: " << c.expected;
  }
}

TEST(Config, RuleScopesAndExclusions) {
  Config c = Defaults();
  ASSERT_TRUE(ApplyConfigYaml(R"(
rules:
  - name: terminal
    severity: WARNING
    horizontal_nm: 3
    vertical_ft: 1000
    applies:
      max_alt_ft: 10000
      region: [[47.0, 8.0], [48.0, 8.0], [48.0, 9.0]]
      categories: [A1, A3]
      on_ground: true
    exclude:
      - [39c424, 3900fb]
      - ["SWR*", "SWR*"]
)", "t.yaml", c).ok());
  ASSERT_EQ(c.detector.rules.size(), 1u);
  const Rule& r = c.detector.rules[0];
  EXPECT_EQ(r.scope.max_alt_ft, 10000);
  EXPECT_FALSE(r.scope.min_alt_ft);
  ASSERT_EQ(r.scope.region.size(), 3u);
  EXPECT_EQ(r.scope.region[1].lat_deg, 48.0);
  EXPECT_EQ(r.scope.categories, (std::vector<std::string>{"A1", "A3"}));
  EXPECT_TRUE(r.scope.on_ground);
  ASSERT_EQ(r.exclude.size(), 2u);
  EXPECT_EQ(r.exclude[1].a, "SWR*");
  // Printed and read back the same.
  const std::string yaml = ConfigToYaml(c);
  Config back;
  ASSERT_TRUE(ApplyConfigYaml(yaml, "printed", back).ok()) << yaml;
  EXPECT_EQ(ConfigToYaml(back), yaml);
  Config bad = Defaults();
  const Status st = ApplyConfigYaml("rules:\n  - {name: x, severity: alert, horizontal_nm: 1, vertical_ft: 1, "
                                    "applies: {region: [[1, 2], [3]]}}\n", "t.yaml", bad);
  EXPECT_NE(st.message().find("rules[0].applies.region[1]: expected [lat_deg, lon_deg]"), std::string::npos)
      << st.message();
}

TEST(Config, LogSectionIsReadAndLevelsMergePerComponent) {
  Config c = Defaults();
  ASSERT_TRUE(ApplyConfigYaml("log:\n  file: /tmp/a.log\n  format: json\n  max_files: 0\n"
                              "  levels: {encounter: info, feeds: warn}\n",
                              "t.yaml", c)
                  .ok());
  ASSERT_TRUE(ApplyConfigYaml("log: {levels: {grpc: error}, stats_interval_s: 0}\n", "u.yaml", c).ok());
  EXPECT_EQ(c.log.file, "/tmp/a.log");
  EXPECT_EQ(c.log.format, LogFormat::kJson);
  EXPECT_EQ(c.log.max_files, 0u);
  EXPECT_EQ(c.log.stats_interval_s, 0);
  const std::map<std::string, std::string> levels{{"encounter", "info"}, {"feeds", "warn"}, {"grpc", "error"}};
  EXPECT_EQ(c.log.levels, levels);
  EXPECT_EQ(ComponentLevel(c.log, "feeds"), "warn");
  EXPECT_EQ(ComponentLevel(c.log, "stats"), "info");
}

TEST(Config, FailedLoadChangesNothing) {
  Config c = Defaults();
  EXPECT_FALSE(ApplyConfigYaml("tracks: {stale_after_s: 5}\nlog: {bogus: 1}\n", "t.yaml", c).ok());
  EXPECT_EQ(c.detector.stale_after_s, 60);
}

TEST(Config, ValidateChecksListenAndLogLevel) {
  Config c = Defaults();
  c.listen = "localhost";
  EXPECT_NE(ValidateConfig(c).message().find("server.listen"), std::string::npos);
  c.listen = "127.0.0.1:70000";
  EXPECT_FALSE(ValidateConfig(c).ok());
  c.listen = "[::1]:0";
  EXPECT_TRUE(ValidateConfig(c).ok());
  c.log.level = "loud";
  EXPECT_NE(ValidateConfig(c).message().find("log.level: 'loud' is not one of"), std::string::npos);
  c.log.level = "debug";
  c.log.levels["nope"] = "info";
  EXPECT_NE(ValidateConfig(c).message().find("log.levels.nope: unknown component"), std::string::npos);
}

TEST(Config, PrintedConfigReadsBackTheSame) {
  Config c = Defaults();
  c.detector.stale_after_s = 42.5;
  c.subscribers.queue_capacity = 77;
  c.log.level = "debug";
  c.log.levels = {{"feeds", "warn"}, {"encounter", "info"}};
  c.log.file = "/var/log/airprox/airproxd.log";
  c.log.max_file_bytes = 1 << 20;
  c.log.max_files = 0;
  c.log.format = LogFormat::kJson;
  c.log.stats_interval_s = 2.5;
  const std::string yaml = ConfigToYaml(c);
  Config back;
  ASSERT_TRUE(ApplyConfigYaml(yaml, "printed", back).ok()) << yaml;
  EXPECT_EQ(ConfigToYaml(back), yaml);
  EXPECT_EQ(back.detector.stale_after_s, 42.5);
  EXPECT_EQ(back.subscribers.queue_capacity, 77u);
  EXPECT_EQ(back.log.level, "debug");
  EXPECT_EQ(back.log.levels, c.log.levels);
  EXPECT_EQ(back.log.file, c.log.file);
  EXPECT_EQ(back.log.max_file_bytes, 1u << 20);
  EXPECT_EQ(back.log.max_files, 0u);
  EXPECT_EQ(back.log.format, LogFormat::kJson);
  EXPECT_EQ(back.log.stats_interval_s, 2.5);
  ASSERT_EQ(back.detector.rules.size(), 3u);
  EXPECT_NEAR(back.detector.rules[2].horizontal_nm, c.detector.rules[2].horizontal_nm, 1e-13);
}

TEST(Config, ALogSectionThatIsNotAMappingIsAnErrorNotAnException) {
  // Found by config_fuzz: `log:` holding a scalar reached node["levels"] on a scalar.
  Config c;
  const Status st = ApplyConfigYaml("log:\n  lev\n", "f.yaml", c);
  EXPECT_EQ(st.message(), "f.yaml:2: log: expected a mapping");
}

TEST(Config, HttpListenAndEnvironmentOverrides) {
  Config c = Defaults();
  EXPECT_EQ(c.http_listen, "127.0.0.1:9464");
  ASSERT_TRUE(ApplyConfigYaml("http:\n  listen: \"\"\n", "f.yaml", c).ok());
  EXPECT_EQ(c.http_listen, "") << "disabled";
  EXPECT_TRUE(ValidateConfig(c).ok());
  c.http_listen = "nowhere";
  EXPECT_NE(ValidateConfig(c).message().find("http.listen: 'nowhere' is not HOST:PORT"), std::string::npos);
  ::setenv("AIRPROX_LISTEN", "127.0.0.1:6000", 1);
  ::setenv("AIRPROX_HTTP_LISTEN", "127.0.0.1:6001", 1);
  ApplyEnvironment(c);
  ::unsetenv("AIRPROX_LISTEN");
  ::unsetenv("AIRPROX_HTTP_LISTEN");
  EXPECT_EQ(c.listen, "127.0.0.1:6000");
  EXPECT_EQ(c.http_listen, "127.0.0.1:6001");
  Config untouched = Defaults();
  ApplyEnvironment(untouched);
  EXPECT_EQ(untouched.listen, "127.0.0.1:50051");
}

TEST(Config, MapSectionIsReadCheckedAndPrinted) {
  Config c = Defaults();
  EXPECT_EQ(c.map.max_updates_per_s, 2);
  EXPECT_EQ(c.map.max_buffered_bytes, 1u << 20);
  EXPECT_EQ(c.map.max_clients, 16u);
  EXPECT_EQ(c.map.tile_url, "");
  ASSERT_TRUE(ApplyConfigYaml(R"(
map:
  max_updates_per_s: 0.5
  max_buffered_bytes: 65536
  max_clients: 3
  tile_url: "https://tiles.example.org/{z}/{x}/{y}.png"
)", "f.yaml", c).ok());
  EXPECT_EQ(c.map.max_updates_per_s, 0.5);
  EXPECT_EQ(c.map.max_buffered_bytes, 65536u);
  EXPECT_EQ(c.map.max_clients, 3u);
  EXPECT_EQ(c.map.tile_url, "https://tiles.example.org/{z}/{x}/{y}.png");
  Config back;
  ASSERT_TRUE(ApplyConfigYaml(ConfigToYaml(c), "printed", back).ok());
  EXPECT_EQ(back.map.max_updates_per_s, 0.5);
  EXPECT_EQ(back.map.tile_url, c.map.tile_url);
  EXPECT_EQ(back.map.max_clients, 3u);
  EXPECT_NE(ApplyConfigYaml("map:\n  max_updates_per_s: 0\n", "f.yaml", c).message().find(
                "map.max_updates_per_s: 0 is outside (0, 20]"),
            std::string::npos);
  EXPECT_NE(ApplyConfigYaml("map:\n  max_buffered_bytes: 100\n", "f.yaml", c).message().find(
                "map.max_buffered_bytes"),
            std::string::npos);
  EXPECT_NE(ApplyConfigYaml("map:\n  colour: red\n", "f.yaml", c).message().find("unknown key"),
            std::string::npos);
}

TEST(Config, FeedsAreReadCheckedAndPrinted) {
  Config c = Defaults();
  EXPECT_TRUE(c.feeds.empty());
  ASSERT_TRUE(ApplyConfigYaml(R"(
feeds:
  - name: roof
    type: sbs-client
    connect: "receiver.local:30003"
    reconnect_max_s: 60
  - name: pushed
    type: sbs-listener
    listen: "127.0.0.1:30004"
    max_connections: 4
  - name: tar1090
    type: aircraft-json-poll
    url: "http://127.0.0.1:8080/data/aircraft.json"
    interval_s: 2
)", "f.yaml", c).ok());
  ASSERT_EQ(c.feeds.size(), 3u);
  EXPECT_EQ(c.feeds[2].type, FeedType::kAircraftJsonPoll);
  EXPECT_EQ(c.feeds[2].interval_s, 2);
  EXPECT_EQ(c.feeds[2].timeout_s, 5);
  EXPECT_EQ(c.feeds[0].type, FeedType::kSbsClient);
  EXPECT_EQ(c.feeds[0].address, "receiver.local:30003");
  EXPECT_EQ(c.feeds[0].reconnect_min_s, 1);
  EXPECT_EQ(c.feeds[0].reconnect_max_s, 60);
  EXPECT_EQ(c.feeds[1].type, FeedType::kSbsListener);
  EXPECT_EQ(c.feeds[1].max_connections, 4u);
  Config back;
  ASSERT_TRUE(ApplyConfigYaml(ConfigToYaml(c), "printed", back).ok());
  EXPECT_EQ(ConfigToYaml(back), ConfigToYaml(c));

  auto error = [](const std::string& yaml) {
    Config x;
    return ApplyConfigYaml(yaml, "f.yaml", x).message();
  };
  EXPECT_EQ(error("feeds:\n  - {name: a, type: sbs-server, connect: 'h:1'}\n"),
            "f.yaml:2: feeds[0].type: 'sbs-server' is not one of sbs-client, sbs-listener, "
            "aircraft-json-poll");
  EXPECT_EQ(error("feeds:\n  - {name: a, type: sbs-client}\n"), "f.yaml:2: feeds[0].connect: is required");
  EXPECT_EQ(error("feeds:\n  - {name: a, type: sbs-client, listen: 'h:1'}\n"),
            "f.yaml:2: feeds[0].listen: is not a key of a sbs-client feed");
  EXPECT_EQ(error("feeds:\n  - {name: a, type: sbs-client, connect: 'h'}\n"),
            "f.yaml:2: feeds[0].connect: 'h' is not HOST:PORT");
  EXPECT_EQ(error("feeds:\n  - {name: a, type: sbs-listener, listen: 'h:1'}\n"
                  "  - {name: a, type: sbs-listener, listen: 'h:2'}\n"),
            "f.yaml:3: feeds[1].name: 'a' is used twice");
  EXPECT_EQ(error("feeds:\n  - {name: a, type: aircraft-json-poll, url: 'ftp://x/a.json'}\n"),
            "f.yaml:2: feeds[0].url: 'ftp://x/a.json' is not an http:// or https:// URL");
}

}  // namespace
}  // namespace airprox
