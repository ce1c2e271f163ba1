// airprox: the command-line client of airproxd.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "client/connection.h"
#include "client/queries.h"
#include "client/replay.h"
#include "client/scenario_command.h"

int main(int argc, char** argv) {
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

  app.add_subcommand("tracks", "list the live tracks");
  bool encounters_json = false;
  auto* encounters_cmd = app.add_subcommand("encounters", "list the active encounters");
  encounters_cmd->add_flag("--json", encounters_json, "one protobuf JSON object per encounter per line");

  // The connection options are accepted before or after the subcommand.
  for (auto* sub : app.get_subcommands({})) {
    sub->add_option("--server", server.address, "airproxd address HOST:PORT");
    sub->add_option("--connect-timeout", server.connect_timeout_s,
                    "seconds to wait for the server before giving up")
        ->check(CLI::PositiveNumber);
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

  if (*replay_cmd) {
    replay.server = server;
    replay.progress = !no_progress;
    return RunReplay(replay);
  }
  if (*subscribe_cmd) {
    subscribe.server = server;
    return RunSubscribe(subscribe);
  }
  if (*encounters_cmd) return RunEncounters(server, encounters_json);
  return RunTracks(server);
}
