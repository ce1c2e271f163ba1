// The airprox binary as a user runs it, against an in-process airproxd on port 0.
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "airprox/v1/airprox.pb.h"
#include "server/auth/access_tokens.h"
#include "server/formats/canonical_csv.h"
#include "tests/app/server_test_support.h"
#include "tests/app/test_certificates.h"

extern char** environ;

namespace airprox {
namespace {

const std::string kCli = AIRPROX_CLI_BINARY;
const std::string kExcerpt = AIRPROX_TEST_DATA_DIR "/formation_afr787v_tbm900_excerpt.csv.gz";

struct CliRun {
  int exit_code = -1;
  std::string out, err;
};

std::filesystem::path TempPath(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("airprox_cli_" + std::to_string(::getpid()) + "_" + name);
}

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Starts `airprox args...` with stdout and stderr to files; returns its pid.
pid_t Spawn(const std::vector<std::string>& args, const std::filesystem::path& out,
            const std::filesystem::path& err) {
  std::vector<char*> argv;
  std::vector<std::string> all = {kCli};
  all.insert(all.end(), args.begin(), args.end());
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  EXPECT_EQ(posix_spawn(&pid, kCli.c_str(), &fa, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&fa);
  return pid;
}

CliRun Wait(pid_t pid, const std::filesystem::path& out, const std::filesystem::path& err) {
  int status = 0;
  waitpid(pid, &status, 0);
  CliRun r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = Slurp(out);
  r.err = Slurp(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

CliRun Cli(const std::vector<std::string>& args) {
  static int n = 0;
  const auto out = TempPath("out" + std::to_string(++n)), err = TempPath("err" + std::to_string(n));
  return Wait(Spawn(args, out, err), out, err);
}

TEST(Cli, ReplayOfTheFormationFlightReportsTheEncounter) {
  auto server = testing::StartServer();
  const std::string addr = server->address();
  const auto sub_out = TempPath("sub_out"), sub_err = TempPath("sub_err");
  const pid_t subscriber = Spawn({"subscribe", "--json", "--server", addr}, sub_out, sub_err);
  ASSERT_TRUE(testing::WaitForSubscribers(*server, 1));

  const CliRun replay = Cli({"replay", "--server", addr, "--speed", "0", kExcerpt});
  EXPECT_EQ(replay.exit_code, 0) << replay.err;
  EXPECT_NE(replay.out.find("sent 2402 positions"), std::string::npos) << replay.out;
  EXPECT_NE(replay.out.find("accepted 2402, rejected 0"), std::string::npos) << replay.out;

  const CliRun tracks = Cli({"tracks", "--server", addr});
  EXPECT_EQ(tracks.exit_code, 0) << tracks.err;
  EXPECT_NE(tracks.out.find("39c424   AFR787V"), std::string::npos) << tracks.out;
  EXPECT_NE(tracks.out.find("39c424"), std::string::npos) << "the replayed AFR787V: " << tracks.out;

  const CliRun encounters = Cli({"--server", addr, "encounters"});
  EXPECT_EQ(encounters.exit_code, 0) << encounters.err;
  // The excerpt ends 20 s after the aircraft left each other's 5 NM: still held (60 s).
  EXPECT_NE(encounters.out.find("1 active encounters"), std::string::npos) << encounters.out;
  EXPECT_NE(encounters.out.find("3900fb/FWKDL <> 39c424/AFR787V"), std::string::npos) << encounters.out;

  server->Stop();  // the subscriber's stream ends with OK and it exits 0
  const CliRun sub = Wait(subscriber, sub_out, sub_err);
  EXPECT_EQ(sub.exit_code, 0) << sub.err;

  std::istringstream lines(sub.out);
  std::string line;
  int started = 0, nmac = 0;
  double closest_nm = 1e9;
  while (std::getline(lines, line)) {
    v1::EncounterEvent e;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &e).ok()) << line;
    if (e.kind() == v1::EncounterEvent::HEARTBEAT) continue;  // on a slow machine, possible
    EXPECT_EQ(e.a().track_id(), "3900fb");
    EXPECT_EQ(e.b().track_id(), "39c424");
    EXPECT_EQ(e.b().callsign(), "AFR787V");
    if (e.kind() == v1::EncounterEvent::STARTED) ++started;
    if (e.rule() == "nmac" && e.severity() == v1::ALERT) ++nmac;
    closest_nm = std::min(closest_nm, e.closest().horizontal_nm());
  }
  EXPECT_GE(started, 1) << sub.out;
  EXPECT_GE(nmac, 1) << "the aircraft flew within 500 ft / 100 ft of each other";
  EXPECT_LT(closest_nm, 0.01) << "a few metres apart at the closest";
}

// The JSON event stream a subscriber sees while `airprox replay args...` runs on a fresh server.
std::string EventsOfReplay(const std::vector<std::string>& replay_args,
                           const std::string& file = kExcerpt) {
  auto server = testing::StartServer();
  const std::string addr = server->address();
  const auto out = TempPath("det_out"), err = TempPath("det_err");
  const pid_t subscriber = Spawn({"subscribe", "--json", "--server", addr}, out, err);
  EXPECT_TRUE(testing::WaitForSubscribers(*server, 1));
  std::vector<std::string> args = {"replay", "--server", addr};
  args.insert(args.end(), replay_args.begin(), replay_args.end());
  args.push_back(file);
  EXPECT_EQ(Cli(args).exit_code, 0);
  server->Stop();
  std::istringstream lines(Wait(subscriber, out, err).out);
  std::string events, line;
  while (std::getline(lines, line)) {
    if (line.find("\"HEARTBEAT\"") == std::string::npos) events += line + "\n";
  }
  return events;
}

TEST(Cli, SameRecordingSameEventsAtAnySpeedAndBatchSize) {
  const std::string flat_out = EventsOfReplay({"--speed", "0"});
  EXPECT_GT(std::count(flat_out.begin(), flat_out.end(), '\n'), 3);
  EXPECT_EQ(EventsOfReplay({"--speed", "0", "--batch", "1"}), flat_out);
  EXPECT_EQ(EventsOfReplay({"--speed", "1200", "--batch", "7"}), flat_out) << "1200x real time";
}

// Per encounter id: the highest severity reached and the closest approach of its last event.
struct EncounterSummary {
  int started = 0;
  std::string pair, max_severity;
  double closest_nm = 1e9, closest_time_s = 0;
};
EncounterSummary Summarize(const std::string& json_lines) {
  EncounterSummary s;
  std::istringstream lines(json_lines);
  std::string line;
  while (std::getline(lines, line)) {
    v1::EncounterEvent e;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(line, &e).ok()) << line;
    s.started += e.kind() == v1::EncounterEvent::STARTED;
    s.pair = e.a().track_id() + "/" + e.b().track_id();
    s.max_severity = v1::Severity_Name(e.max_severity());
    if (e.closest().horizontal_nm() < s.closest_nm) {
      s.closest_nm = e.closest().horizontal_nm();
      s.closest_time_s = e.closest().time().seconds();
    }
  }
  return s;
}

TEST(Cli, TheSbsRenditionGivesTheSameEncounterAsTheCsv) {
  const std::string sbs_file = AIRPROX_TEST_DATA_DIR "/formation_afr787v_tbm900_excerpt.sbs.gz";
  const EncounterSummary csv = Summarize(EventsOfReplay({"--speed", "0"}));
  const EncounterSummary sbs = Summarize(EventsOfReplay({"--speed", "0"}, sbs_file));
  const EncounterSummary named = Summarize(EventsOfReplay({"--speed", "0", "--format", "sbs"}, sbs_file));
  EXPECT_EQ(csv.started, 1);
  EXPECT_EQ(sbs.started, csv.started);
  EXPECT_EQ(sbs.pair, "3900fb/39c424");
  EXPECT_EQ(sbs.pair, csv.pair);
  EXPECT_EQ(sbs.max_severity, "ALERT");
  EXPECT_EQ(sbs.max_severity, csv.max_severity);
  EXPECT_NEAR(sbs.closest_nm, csv.closest_nm, 0.005);
  EXPECT_NEAR(sbs.closest_time_s, csv.closest_time_s, 2);
  EXPECT_EQ(named.started, sbs.started);
  EXPECT_EQ(named.closest_nm, sbs.closest_nm);
}

TEST(Cli, ReplayWithTheWrongFormatReportsLinesAndSendsNothing) {
  auto server = testing::StartServer();
  const CliRun r = Cli({"replay", "--server", server->address(), "--format", "sbs", kExcerpt});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("sent 0 positions"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("unparsable lines 2403"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("formation_afr787v_tbm900_excerpt.csv.gz:1: "), std::string::npos) << r.err;
  const CliRun bad = Cli({"replay", "--server", server->address(), "--format", "xml", kExcerpt});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("--format"), std::string::npos) << bad.err;
  server->Stop();
}

TEST(Cli, RebaseTimeNowShiftsTheRecordingToThePresent) {
  auto server = testing::StartServer();
  const double before_s =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  const CliRun r = Cli({"replay", "--server", server->address(), "--rebase-time", "now", kExcerpt});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("accepted 2402, rejected 0"), std::string::npos) << r.out;
  // The excerpt spans 20 minutes: its first record is now, its last 20 minutes ahead.
  const double newest_s =
      testing::OnDetector(*server, [](const Detector& d) { return d.newest_time_s(); });
  EXPECT_GT(newest_s, before_s + 15 * 60);
  EXPECT_LT(newest_s, before_s + 25 * 60);
  const CliRun bad = Cli({"replay", "--server", server->address(), "--rebase-time", "soon", kExcerpt});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("--rebase-time"), std::string::npos) << bad.err;
  server->Stop();
}

TEST(Cli, LoopKeepsDataTimeMovingUntilCtrlC) {
  auto server = testing::StartServer();
  const auto out = TempPath("loop_out"), err = TempPath("loop_err");
  const pid_t replay = Spawn({"replay", "--server", server->address(), "--loop", kExcerpt}, out, err);
  // Wait until at least three passes went in, then Ctrl-C.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  auto accepted = [&] {
    return testing::OnDetector(*server, [](const Detector& d) { return d.counters().accepted; });
  };
  while (accepted() < 3 * 2402 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(replay, SIGINT);
  const CliRun r = Wait(replay, out, err);
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_NE(r.out.find("replay: interrupted: sent "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rejected 0,"), std::string::npos) << "every pass follows the last: " << r.out;
  EXPECT_GE(accepted(), 3u * 2402);
  server->Stop();
}

TEST(Cli, FollowResumesAcrossAServerRestartWithNoGapOrDuplicate) {
  const auto dir = TempPath("journal");
  std::filesystem::remove_all(dir);
  Config config = testing::TestConfig();
  config.storage.dir = dir.string();
  auto server = testing::StartServer(config);
  const std::string addr = server->address();
  const auto out = TempPath("follow_out"), err = TempPath("follow_err");
  const pid_t subscriber = Spawn({"subscribe", "--json", "--follow", "--server", addr}, out, err);
  ASSERT_TRUE(testing::WaitForSubscribers(*server, 1));
  ASSERT_EQ(Cli({"replay", "--server", addr, kExcerpt}).exit_code, 0);
  server->Stop();  // ENDED (shutdown) is the last event of the first run
  server.reset();
  config.listen = addr;  // the same address again
  server = testing::StartServer(config);
  ASSERT_TRUE(testing::WaitForSubscribers(*server, 1)) << "--follow reconnected";
  ASSERT_EQ(Cli({"replay", "--server", addr, kExcerpt}).exit_code, 0);
  server->Stop();
  // The subscriber says it is reconnecting once it has printed everything the stream carried.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  auto reconnects = [&] {
    const std::string e = Slurp(err);
    std::size_t n = 0;
    for (auto at = e.find("reconnecting"); at != std::string::npos; at = e.find("reconnecting", at + 1)) ++n;
    return n;
  };
  while (reconnects() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(subscriber, SIGTERM);
  const CliRun sub = Wait(subscriber, out, err);
  std::filesystem::remove_all(dir);
  std::istringstream lines(sub.out);
  std::string line;
  std::uint64_t expected = 1;
  int ended_by_shutdown = 0;
  while (std::getline(lines, line)) {
    v1::EncounterEvent e;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &e).ok()) << line;
    if (e.kind() == v1::EncounterEvent::HEARTBEAT) continue;
    ASSERT_NE(e.kind(), v1::EncounterEvent::GAP) << line;
    EXPECT_EQ(e.sequence(), expected++) << "every sequence once, in order, across the restart";
    ended_by_shutdown += e.end_reason() == "shutdown";
  }
  EXPECT_EQ(ended_by_shutdown, 2);
  EXPECT_NE(sub.err.find("reconnecting to resume after sequence"), std::string::npos) << sub.err;
}

TEST(Cli, ASubscriberKilledMidStreamLeavesTheServerServing) {
  auto server = testing::StartServer();
  const std::string addr = server->address();
  const auto out = TempPath("kill_out"), err = TempPath("kill_err");
  const pid_t subscriber = Spawn({"subscribe", "--server", addr}, out, err);
  ASSERT_TRUE(testing::WaitForSubscribers(*server, 1));
  ASSERT_EQ(Cli({"replay", "--server", addr, "--speed", "600", kExcerpt}).exit_code, 0);
  kill(subscriber, SIGKILL);
  Wait(subscriber, out, err);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (server->hub().subscribers() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(server->hub().subscribers(), 0u) << "the dead stream is cleaned up";
  const CliRun tracks = Cli({"tracks", "--server", addr});
  EXPECT_EQ(tracks.exit_code, 0);
  EXPECT_NE(tracks.out.find("39c424"), std::string::npos) << "the replayed AFR787V: " << tracks.out;
}

TEST(Cli, HumanReadableSubscribeLines) {
  auto server = testing::StartServer();
  const std::string addr = server->address();
  const auto out = TempPath("hsub_out"), err = TempPath("hsub_err");
  const pid_t subscriber = Spawn({"subscribe", "--server", addr}, out, err);
  ASSERT_TRUE(testing::WaitForSubscribers(*server, 1));
  ASSERT_EQ(Cli({"replay", "--server", addr, "--batch", "50", kExcerpt}).exit_code, 0);
  server->Stop();
  const CliRun sub = Wait(subscriber, out, err);
  EXPECT_EQ(sub.exit_code, 0);
  EXPECT_NE(sub.out.find("STARTED"), std::string::npos) << sub.out;
  EXPECT_NE(sub.out.find("3900fb/FWKDL <> 39c424/AFR787V"), std::string::npos) << sub.out;
}

TEST(Cli, ScenarioWritesCanonicalCsvThatReadsBack) {
  const CliRun run = Cli({"scenario", "head-on"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out.substr(0, run.out.find('\n')),
            "time_s,track_id,callsign,lat_deg,lon_deg,alt_ft,gs_kt,track_deg,vrate_fpm,on_ground,"
            "category");

  // Standard output and a .gz file hold the same records, and the reader takes every line.
  const auto plain = TempPath("head-on.csv");
  std::ofstream(plain) << run.out;
  const auto gz = TempPath("head-on.csv.gz");
  const CliRun to_file = Cli({"scenario", "head-on", "-o", gz.string()});
  ASSERT_EQ(to_file.exit_code, 0) << to_file.err;
  EXPECT_NE(to_file.out.find("1200 positions of 2 aircraft"), std::string::npos) << to_file.out;
  std::vector<std::vector<Position>> read;
  for (const auto& path : {plain, gz}) {
    std::unique_ptr<CanonicalCsvReader> reader;
    const Status st = CanonicalCsvReader::Open(path.string(), reader);
    ASSERT_TRUE(st.ok()) << st.message();
    read.emplace_back();
    Position p;
    Status err;
    CanonicalCsvReader::Next next;
    while ((next = reader->Read(p, err)) == CanonicalCsvReader::Next::kRecord) {
      read.back().push_back(p);
    }
    EXPECT_EQ(next, CanonicalCsvReader::Next::kEnd);
    EXPECT_TRUE(err.ok()) << err.message();
    std::filesystem::remove(path);
  }
  ASSERT_EQ(read[0].size(), 1200u) << "2 aircraft, 600 s, one report a second";
  ASSERT_EQ(read[1].size(), read[0].size());
  std::set<std::string> ids;
  for (std::size_t i = 0; i < read[0].size(); ++i) {
    const Position& p = read[0][i];
    ids.insert(p.track_id);
    EXPECT_TRUE(ValidatePosition(p).ok()) << ValidatePosition(p).message();
    EXPECT_EQ(p.alt_ft, 35000.0);
    EXPECT_EQ(p.category, "A3");
    EXPECT_EQ(read[1][i].time_s, p.time_s);
    EXPECT_EQ(read[1][i].lat_deg, p.lat_deg);
    if (i > 0) {
      EXPECT_GE(p.time_s, read[0][i - 1].time_s) << "sorted by time";
    }
  }
  EXPECT_EQ(ids, (std::set<std::string>{"400a01", "400a02"}));
  EXPECT_GE(read[0].front().time_s, 1700000000.0) << "the default start time";

  const CliRun later = Cli({"scenario", "head-on", "--start-time", "1800000000", "--period", "2"});
  ASSERT_EQ(later.exit_code, 0) << later.err;
  EXPECT_EQ(std::count(later.out.begin(), later.out.end(), '\n'), 601) << "header and 600 records";
  EXPECT_EQ(later.out.find("\n17"), std::string::npos) << "every time from 1800000000 on";

  const CliRun list = Cli({"scenario", "--list"});
  EXPECT_EQ(list.exit_code, 0);
  for (const char* name : {"head-on", "crossing", "climb-through", "formation", "overtaking",
                           "mediterranean-intercept"}) {
    EXPECT_NE(list.out.find(name), std::string::npos) << name;
  }

  const CliRun unknown = Cli({"scenario", "no-such"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("unknown scenario 'no-such'; one of: head-on"), std::string::npos)
      << unknown.err;
  EXPECT_EQ(std::count(unknown.err.begin(), unknown.err.end(), '\n'), 1) << unknown.err;
}

// `airprox load`, briefly: the known conflicts all arrive, with their latency, and the
// transport-only ceiling is measured first when the server allows it. No figure is asserted.
TEST(Cli, LoadReceivesEveryExpectedEventAndMeasuresTheTransportCeiling) {
  Config config = testing::TestConfig();
  config.ingest.allow_transport_only = true;
  auto server = testing::StartServer(config);
  const std::string metrics = fmt::format("http://127.0.0.1:{}/metrics", server->http_port());
  const CliRun r = Cli({"load", "--server", server->address(), "--metrics-url", metrics, "--aircraft",
                        "300", "--conflict-pairs", "3", "--rate", "3000", "--batch", "50", "--duration",
                        "2", "--transport-seconds", "0.5", "--streams", "2", "--subscribers", "2",
                        "--markdown"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("load: 300 aircraft (3 conflict pairs; 294 conflict-free"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("positions/s acknowledged without detection"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("% of the transport-only rate"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("events: 6 of 6 expected STARTED events received (3 pairs x 2 subscribers); "
                       "other STARTED 0, other events 0"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(" 0 rejected in "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("alert latency (report written -> its STARTED event at a subscriber, 6 events): p50 "),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("without a matching report"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("server: CPU "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("server: CPU n/a"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" us per accepted position), RSS "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nload tool: CPU "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n| 300 | 3 | 2 x 50 | 3000 | "), std::string::npos) << r.out;
  EXPECT_GT(testing::OnDetector(*server, [](const Detector& d) { return d.counters().accepted; }), 0u);
  server->Stop();
}

TEST(Cli, LoadGoesOnWithoutTheCeilingWhenTheServerRefusesTransportOnly) {
  auto server = testing::StartServer();  // ingest.allow_transport_only: false
  const CliRun r = Cli({"load", "--server", server->address(), "--metrics-url", "", "--aircraft", "100",
                        "--conflict-pairs", "1", "--rate", "1000", "--duration", "1",
                        "--transport-seconds", "0.3", "--markdown"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("transport-only: ceiling unavailable: FAILED_PRECONDITION: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ingest.allow_transport_only"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("events: 1 of 1 expected"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("server: CPU n/a, RSS n/a"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("| n/a | n/a |\n"), std::string::npos) << r.out;
  server->Stop();

  const CliRun slow = Cli({"load", "--server", "127.0.0.1:1", "--aircraft", "10000", "--rate", "100"});
  EXPECT_EQ(slow.exit_code, 1);
  EXPECT_NE(slow.err.find("raise --rate"), std::string::npos) << slow.err;
  EXPECT_EQ(std::count(slow.err.begin(), slow.err.end(), '\n'), 1) << slow.err;
}

TEST(Cli, ErrorsAreOneLineAndNonZero) {
  const CliRun missing = Cli({"replay", "/nonexistent/file.csv"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("/nonexistent/file.csv"), std::string::npos) << missing.err;

  const auto bad = TempPath("bad.csv");
  std::ofstream(bad) << "not,a,header\n";
  const CliRun unknown = Cli({"replay", bad.string()});
  const CliRun header = Cli({"replay", "--format", "csv", bad.string()});
  std::filesystem::remove(bad);
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("bad.csv:1: cannot tell the format"), std::string::npos) << unknown.err;
  EXPECT_EQ(std::count(unknown.err.begin(), unknown.err.end(), '\n'), 1) << unknown.err;
  EXPECT_EQ(header.exit_code, 1);
  EXPECT_NE(header.err.find("header has no 'time_s' column"), std::string::npos) << header.err;
  EXPECT_EQ(std::count(header.err.begin(), header.err.end(), '\n'), 1) << header.err;

  // Nothing listens on port 1.
  const CliRun down = Cli({"tracks", "--server", "127.0.0.1:1", "--connect-timeout", "0.5"});
  EXPECT_EQ(down.exit_code, 1);
  EXPECT_NE(down.err.find("cannot reach airproxd at 127.0.0.1:1"), std::string::npos) << down.err;

  EXPECT_NE(Cli({}).exit_code, 0) << "a subcommand is required";
}

TEST(Cli, TlsClientCertificateAndBearerTokenFromAFileOrTheEnvironment) {
  testing::TestCertificates pki("cli");
  pki.MakeCa("ca");
  pki.MakeCert("server", "ca", "airproxd", true);
  pki.MakeCert("client", "ca", "radar-1", false);
  const auto tokens = TempPath("tokens"), feeder = TempPath("feeder.token"), watcher = TempPath("watcher.token");
  std::ofstream(tokens) << Sha256Hex("feeder-secret") << " feeder ingest\n"
                        << Sha256Hex("watcher-secret") << " watcher subscribe\n";
  std::ofstream(feeder) << "feeder-secret\n";
  std::ofstream(watcher) << "  watcher-secret\n";
  Config c = testing::TestConfig();
  c.tls = {pki.Path("server.crt"), pki.Path("server.key"), pki.Path("ca.crt")};
  c.auth.token_file = tokens.string();
  auto server = testing::StartServer(c);
  const std::vector<std::string> tls = {"--server",   server->address(),      "--tls-ca",  pki.Path("ca.crt"),
                                        "--tls-cert", pki.Path("client.crt"), "--tls-key", pki.Path("client.key")};
  auto with = [&](std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };

  const CliRun replay = Cli(with({"replay", "--no-progress", kExcerpt, "--token-file", feeder.string()}, tls));
  EXPECT_EQ(replay.exit_code, 0) << replay.err;
  const CliRun tracks = Cli(with({"tracks", "--token-file", watcher.string()}, tls));
  EXPECT_EQ(tracks.exit_code, 0) << tracks.err;
  EXPECT_NE(tracks.out.find("39c424"), std::string::npos) << "the replayed AFR787V: " << tracks.out;

  const CliRun wrong_role = Cli(with({"tracks", "--token-file", feeder.string()}, tls));
  EXPECT_EQ(wrong_role.exit_code, 1);
  EXPECT_NE(wrong_role.err.find("the token of 'feeder' lacks the role subscribe"), std::string::npos)
      << wrong_role.err;
  const CliRun no_token = Cli(with({"encounters"}, tls));
  EXPECT_EQ(no_token.exit_code, 1);
  EXPECT_NE(no_token.err.find("requires a bearer token"), std::string::npos) << no_token.err;
  ::setenv("AIRPROX_TOKEN", "watcher-secret", 1);
  const CliRun from_env = Cli(with({"encounters"}, tls));
  ::unsetenv("AIRPROX_TOKEN");
  EXPECT_EQ(from_env.exit_code, 0) << from_env.err;

  const CliRun no_client_cert =
      Cli({"tracks", "--server", server->address(), "--tls-ca", pki.Path("ca.crt"), "--token-file",
           watcher.string(), "--connect-timeout", "1"});
  EXPECT_EQ(no_client_cert.exit_code, 1);
  EXPECT_NE(no_client_cert.err.find("over TLS"), std::string::npos) << no_client_cert.err;
  const CliRun plaintext = Cli({"tracks", "--server", server->address(), "--connect-timeout", "1"});
  EXPECT_EQ(plaintext.exit_code, 1);
  const CliRun half = Cli({"tracks", "--server", server->address(), "--tls-ca", pki.Path("ca.crt"), "--tls-cert",
                           pki.Path("client.crt")});
  EXPECT_EQ(half.exit_code, 2);
  EXPECT_EQ(half.err, "airprox: --tls-cert needs --tls-key\n");
  server->Stop();
  for (const auto& p : {tokens, feeder, watcher}) std::filesystem::remove(p);
}

}  // namespace
}  // namespace airprox
