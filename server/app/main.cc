// airproxd: parses flags, loads the config, sets up logging, starts the server, waits for SIGINT or
// SIGTERM (SIGHUP reopens the log file and re-reads the token file and the TLS files).
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>

#include "server/app/config.h"
#include "server/app/log_setup.h"
#include "server/app/server.h"
#include "server/service/abseil_locks.h"

int main(int argc, char** argv) {
  airprox::TurnOffAbseilDeadlockDetection();
  CLI::App app{"airproxd: real-time aircraft separation monitoring server"};
  std::string config_path, listen, log_level;
  bool print_config = false;
  app.add_option("--config", config_path, "YAML config file, read on top of the embedded defaults")
      ->check(CLI::ExistingFile);
  app.add_option("--listen", listen, "gRPC listen address HOST:PORT (overrides server.listen)");
  app.add_option("--log-level", log_level,
                 "trace, debug, info, warn, error, critical or off (overrides log.level)");
  std::string http_listen;
  bool http_listen_given = false;
  app.add_option("--http-listen", http_listen,
                 "HTTP address of the live map (/), /metrics, /healthz, /readyz, HOST:PORT, or \"\" to disable "
                 "(overrides http.listen)")
      ->each([&](const std::string&) { http_listen_given = true; });
  std::string data_dir, log_file;
  app.add_option("--data-dir", data_dir,
                 "journal directory (overrides storage.dir); \"\" runs without a journal");
  app.add_option("--log-file", log_file, "log file, reopened on SIGHUP (overrides log.file; \"\": console only)");
  std::string token_file;
  app.add_option("--token-file", token_file,
                 "bearer tokens with roles, re-read on SIGHUP (overrides auth.token_file)");
  bool allow_insecure = false;
  app.add_flag("--allow-insecure", allow_insecure,
               "allow plaintext listeners (gRPC and HTTP without tls.cert, SBS listener feeds) on addresses "
               "other than loopback");
  app.add_flag("--print-config", print_config, "print the effective config as YAML and exit");
  CLI11_PARSE(app, argc, argv);

  airprox::Config config;
  airprox::Status st = airprox::LoadConfig(config_path, config);
  if (st.ok()) {
    airprox::ApplyEnvironment(config);  // AIRPROX_LISTEN, AIRPROX_HTTP_LISTEN; flags win
    if (!listen.empty()) config.listen = listen;
    if (http_listen_given) config.http_listen = http_listen;
    if (!log_level.empty()) config.log.level = log_level;
    if (app.count("--log-file") > 0) config.log.file = log_file;
    if (app.count("--data-dir") > 0) config.storage.dir = data_dir;
    if (app.count("--token-file") > 0) config.auth.token_file = token_file;
    config.allow_insecure = allow_insecure;
    st = airprox::ValidateConfig(config);
  }
  if (!st.ok()) {
    std::cerr << "airproxd: " << st.message() << "\n";
    return 2;
  }
  if (print_config) {
    std::cout << airprox::ConfigToYaml(config);
    return 0;
  }

  if (st = airprox::SetUpLogging(config.log); !st.ok()) {
    std::cerr << "airproxd: " << st.message() << "\n";
    return 1;
  }

  // Block the signals in every thread; the main thread waits for them below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  airprox::AirproxServer server(config);
  st = server.Start();
  if (!st.ok()) {
    spdlog::critical("{}", st.message());
    return st.reason() == "token_file" || st.reason() == "tls" ? 2 : 1;  // a bad token or TLS file: 2
  }
  int signal = 0;
  for (;;) {
    sigwait(&signals, &signal);
    if (signal != SIGHUP) break;
    // logrotate moved the file (or someone removed it): lines go on in a new file of that name.
    if (st = airprox::ReopenLogFiles(); st.ok()) {
      if (!config.log.file.empty()) spdlog::info("received SIGHUP, reopened the log file {}", config.log.file);
    } else {
      spdlog::error("received SIGHUP, cannot reopen the log file: {}", st.message());
    }
    server.Reload();  // logs what it re-read, or why the previous files stay in force
  }
  spdlog::info("received {}, shutting down", signal == SIGINT ? "SIGINT" : "SIGTERM");
  server.Stop();
  return 0;
}
