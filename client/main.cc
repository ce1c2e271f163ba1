// airprox: the command-line client of airproxd.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <iostream>

#include "client/connection.h"
#include "client/load.h"
#include "client/queries.h"
#include "client/replay.h"
#include "client/scenario_command.h"
#include "server/service/abseil_locks.h"

int main(int argc, char** argv) {
  airprox::TurnOffAbseilDeadlockDetection();
  using namespace airprox::cli;
  CLI::App app{"airprox: command-line client of the airproxd separation-monitoring server"};
  app.require_subcommand(1);
  Endpoint server;
  app.add_option("--server", server.address, "airproxd address HOST:PORT")->capture_default_str();
  app.add_option("--connect-timeout", server.connect_timeout_s,
                 "seconds to wait for the server before giving up")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);

  ReplayOptions replay;
  auto* replay_cmd = app.add_subcommand(
      "replay", "stream recorded positions to the server (any supported format, plain or gzip)");
  replay_cmd->add_option("files", replay.files, "recording files, replayed one after the other")
      ->required()
      ->check(CLI::ExistingFile);
  replay_cmd->add_option("--format", replay.format,
                         "auto (sniffed from the content), csv (canonical), opensky (state vectors), "
                         "sbs (BaseStation), jsonl (protobuf JSON of Position), aircraft-json")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "csv", "opensky", "sbs", "jsonl", "aircraft-json"}));
  replay_cmd->add_option("--speed", replay.speed, "0: as fast as possible; 1: real time; N: N times real time")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  replay_cmd->add_option("--batch", replay.batch, "positions per batch, at most")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  replay_cmd->add_flag("--loop", replay.loop,
                       "replay again and again until Ctrl-C, each pass shifted to start 300 s (data time) after "
                       "the last ended");
  replay_cmd->add_option("--rebase-time", replay.rebase_time,
                         "shift timestamps so that the first record is at this time: \"now\" or UTC "
                         "epoch seconds (default: as recorded)");
  bool no_progress = false;
  replay_cmd->add_flag("--no-progress", no_progress, "no progress line on a terminal");

  SubscribeOptions subscribe;
  auto* subscribe_cmd = app.add_subcommand("subscribe", "print encounter events as they happen");
  subscribe_cmd->add_flag("--json", subscribe.json, "one protobuf JSON object per event per line");
  subscribe_cmd->add_flag("--snapshot", subscribe.snapshot,
                          "first the active encounters (marked snapshot), then live events");
  subscribe_cmd->add_flag("--follow", subscribe.follow,
                          "when the stream ends (a server restart), reconnect and resume after the "
                          "last event printed; a GAP line reports anything missed");
  subscribe_cmd->add_option("--from-seq", subscribe.from_sequence,
                            "resume: first the held events after this sequence number, then live ones");
  subscribe_cmd->add_option("--min-severity", subscribe.min_severity, "ADVISORY, WARNING or ALERT");
  subscribe_cmd->add_option("--rule", subscribe.rules, "only this rule (repeatable)");
  subscribe_cmd->add_option("--track", subscribe.track_ids, "only encounters of this track id (repeatable)");
  subscribe_cmd->add_option("--callsign", subscribe.callsign_patterns,
                            "only encounters of a callsign matching this glob, e.g. 'SWR*' (repeatable)");
  subscribe_cmd->add_option("--bbox", subscribe.bbox,
                            "only encounters with an aircraft in MIN_LAT MIN_LON MAX_LAT MAX_LON (degrees)")
      ->expected(4);

  LoadOptions load;
  auto* load_cmd = app.add_subcommand(
      "load", "synthetic traffic with a known number of conflicts: ingest rate, alert latency, "
              "server CPU and memory");
  load_cmd->add_option("--aircraft", load.aircraft, "aircraft in all, conflict pairs included")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  load_cmd->add_option("--conflict-pairs", load.conflict_pairs,
                       "pairs 1 NM apart, appearing during the run: one STARTED event each")
      ->capture_default_str()
      ->check(CLI::Range(0, 10000));
  load_cmd->add_option("--km2-per-aircraft", load.km2_per_aircraft,
                       "density: square kilometres per aircraft (busy en-route airspace: 250)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  load_cmd->add_option("--rate", load.rate, "positions per second offered; 0: as fast as acknowledged")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e8));
  load_cmd->add_option("--batch", load.batch, "positions per batch")
      ->capture_default_str()
      ->check(CLI::Range(1, 20000));
  load_cmd->add_option("--duration", load.duration_s, "seconds of the full run, at most 600")
      ->capture_default_str()
      ->check(CLI::Range(0.1, kLoadMaxDurationS));
  load_cmd->add_option("--streams", load.streams, "parallel Ingest streams, each on its own connection")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  load_cmd->add_option("--subscribers", load.subscribers, "subscribers measuring the alert latency")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000));
  load_cmd->add_option("--transport-seconds", load.transport_s,
                       "first a transport-only phase this long at full speed (needs the server's "
                       "ingest.allow_transport_only); 0: none")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 60.0));
  load_cmd->add_option("--drain", load.drain_s,
                       "after the run, seconds to wait at most for the expected events")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 600.0));
  load_cmd->add_option("--metrics-url", load.metrics_url,
                       "the server's /metrics, scraped for its CPU time and RSS; \"\": none")
      ->capture_default_str();
  load_cmd->add_flag("--markdown", load.markdown, "also print the results as one Markdown table row");
  bool load_markdown_header = false;
  load_cmd->add_flag("--markdown-header", load_markdown_header,
                     "print the header of the --markdown table and exit");

  app.add_subcommand("tracks", "list the live tracks");
  bool encounters_json = false;
  auto* encounters_cmd = app.add_subcommand("encounters", "list the active encounters");
  encounters_cmd->add_flag("--json", encounters_json, "one protobuf JSON object per encounter per line");

  // The connection options are accepted before or after the subcommand.
  CredentialFiles credentials;
  auto add_credential_options = [&credentials](CLI::App* a) {
    a->add_option("--token-file", credentials.token_file,
                  "file holding the bearer token sent on every call (default: $AIRPROX_TOKEN)")
        ->check(CLI::ExistingFile);
    a->add_option("--tls-ca", credentials.tls_ca, "connect over TLS, trusting server certificates of this CA (PEM)")
        ->check(CLI::ExistingFile);
    a->add_option("--tls-cert", credentials.tls_cert, "client certificate chain for mTLS (PEM)")
        ->check(CLI::ExistingFile);
    a->add_option("--tls-key", credentials.tls_key, "private key of --tls-cert (PEM)")->check(CLI::ExistingFile);
  };
  add_credential_options(&app);
  for (auto* sub : app.get_subcommands({})) {
    sub->add_option("--server", server.address, "airproxd address HOST:PORT");
    sub->add_option("--connect-timeout", server.connect_timeout_s,
                    "seconds to wait for the server before giving up")
        ->check(CLI::PositiveNumber);
    add_credential_options(sub);
  }
  // Added after the loop above: it writes a file and never connects.
  ScenarioOptions scenario;
  auto* scenario_cmd = app.add_subcommand(
      "scenario", "write a synthetic encounter scenario as canonical CSV (--list: what each has)");
  scenario_cmd->add_option("name", scenario.name, "scenario name (see --list)");
  scenario_cmd->add_option("-o,--output", scenario.output,
                           "output file, gzip-compressed when it ends in .gz; '-': standard output")
      ->capture_default_str();
  scenario_cmd->add_flag("--list", scenario.list,
                         "list the scenarios and the encounters each must produce, and exit");
  scenario_cmd->add_option("--start-time", scenario.start_time_s,
                           "UTC epoch seconds of the scenario's start")
      ->default_str(fmt::format("{:.0f}", scenario.start_time_s))
      ->check(CLI::PositiveNumber);
  scenario_cmd->add_option("--period", scenario.period_s, "seconds between an aircraft's reports")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 60.0));
  CLI11_PARSE(app, argc, argv);

  if (*scenario_cmd) return RunScenario(scenario);
  if (std::string error; !LoadCredentials(credentials, server, error)) {
    std::cerr << "airprox: " << error << "\n";
    return 2;
  }

  if (*replay_cmd) {
    replay.server = server;
    replay.progress = !no_progress;
    return RunReplay(replay);
  }
  if (*load_cmd) {
    if (load_markdown_header) {
      std::cout << LoadMarkdownHeader() << "\n";
      return 0;
    }
    load.server = server;
    return RunLoad(load);
  }
  if (*subscribe_cmd) {
    subscribe.server = server;
    return RunSubscribe(subscribe);
  }
  if (*encounters_cmd) return RunEncounters(server, encounters_json);
  return RunTracks(server);
}
