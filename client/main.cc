// airprox: the command-line client of airproxd.
#include <CLI/CLI.hpp>

#include "client/connection.h"
#include "client/queries.h"
#include "client/replay.h"

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
  auto* replay_cmd = app.add_subcommand("replay", "stream recorded positions (canonical CSV, plain or gzip)");
  replay_cmd->add_option("files", replay.files, "recording files, replayed one after the other")
      ->required()
      ->check(CLI::ExistingFile);
  replay_cmd->add_option("--speed", replay.speed, "0: as fast as possible; 1: real time; N: N times real time")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  replay_cmd->add_option("--batch", replay.batch, "positions per batch, at most")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));

  SubscribeOptions subscribe;
  auto* subscribe_cmd = app.add_subcommand("subscribe", "print encounter events as they happen");
  subscribe_cmd->add_flag("--json", subscribe.json, "one protobuf JSON object per event per line");

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
  CLI11_PARSE(app, argc, argv);

  if (*replay_cmd) {
    replay.server = server;
    return RunReplay(replay);
  }
  if (*subscribe_cmd) {
    subscribe.server = server;
    return RunSubscribe(subscribe);
  }
  if (*encounters_cmd) return RunEncounters(server, encounters_json);
  return RunTracks(server);
}
