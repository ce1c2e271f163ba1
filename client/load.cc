#include "client/load.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <ctime>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include <unordered_map>

#include "airprox/v1/airprox.grpc.pb.h"
#include "client/load_airspace.h"
#include "client/metrics_scrape.h"
#include "server/service/ingest_service.h"

namespace airprox::cli {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kBatchesInFlight = 4;  // per stream; the server works on one at a time
constexpr double kScrapeTimeoutS = 2;
// Send times kept per conflict aircraft: its STARTED event comes with the second report of the
// pair's aircraft, so the first few are plenty, and the book stays small at any rate.
constexpr int kRecordedReports = 8;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }
// CPU time of this process, all threads (the senders and the subscribers), in seconds.
double ProcessCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}
Clock::duration Duration(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}
std::int64_t EpochMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
std::int64_t TimestampMs(const google::protobuf::Timestamp& t) {
  return t.seconds() * 1000 + std::llround(t.nanos() / 1e6);
}

// When each report of a conflict aircraft was written: (track id, data time ms) -> wall time.
class SendBook {
 public:
  void Record(const std::string& id, std::int64_t time_ms, Clock::time_point at) {
    std::lock_guard lock(mu_);
    sent_[{id, time_ms}] = at;
  }
  std::optional<Clock::time_point> Find(const std::string& id, std::int64_t time_ms) const {
    std::lock_guard lock(mu_);
    const auto it = sent_.find({id, time_ms});
    if (it == sent_.end()) return std::nullopt;
    return it->second;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::int64_t>, Clock::time_point> sent_;
};

struct PhaseResult {
  double seconds = 0;  // start of the phase to the last ack
  std::uint64_t sent = 0, accepted = 0, rejected = 0;
  std::map<std::string, std::uint64_t> reasons;
  grpc::Status status;  // the first stream error; OK when none
  std::optional<Clock::time_point> start, last_ack;
  double rate() const { return seconds > 0 ? static_cast<double>(accepted) / seconds : 0; }
  void Merge(const PhaseResult& r) {
    sent += r.sent;
    accepted += r.accepted;
    rejected += r.rejected;
    for (const auto& [reason, n] : r.reasons) reasons[reason] += n;
    if (status.ok() && !r.status.ok()) status = r.status;
    if (r.start && (!start || *r.start < *start)) start = r.start;
    if (r.last_ack && (!last_ack || *r.last_ack > *last_ack)) last_ack = r.last_ack;
    seconds = start && last_ack ? Seconds(*last_ack - *start) : 0;
  }
};

struct Phase {
  const SyntheticAirspace& airspace;
  std::size_t batch;
  bool transport_only;
  double seconds;
  double rate;              // positions/s over all streams; 0: unpaced
  std::int64_t epoch0_ms;   // data time of run time 0
  SendBook* book;           // the conflict aircraft's send times; null: not recorded
};

// One Ingest stream carrying the reports of the `owned` aircraft, round-robin, paced by a token
// bucket of one batch at `rate` positions/s (0: as fast as the acks come back).
PhaseResult RunStream(grpc::Channel& channel, const Phase& phase, const std::vector<std::size_t>& owned,
                      double rate, Clock::time_point start) {
  PhaseResult result;
  result.start = start;
  auto stub = v1::TrackIngest::NewStub(std::shared_ptr<grpc::Channel>(&channel, [](grpc::Channel*) {}));
  grpc::ClientContext context;
  if (phase.transport_only) context.AddMetadata(kTransportOnlyMetadataKey, "1");
  auto stream = stub->Ingest(&context);

  std::mutex mu;
  std::condition_variable cv;
  int in_flight = 0;
  bool reader_done = false;
  std::thread reader([&] {
    v1::IngestAck ack;
    while (stream->Read(&ack)) {
      std::lock_guard lock(mu);
      result.accepted += ack.accepted();
      result.rejected += ack.rejections_size();
      for (const auto& r : ack.rejections()) ++result.reasons[r.reason()];
      result.last_ack = Clock::now();
      --in_flight;
      cv.notify_all();
    }
    std::lock_guard lock(mu);
    reader_done = true;
    cv.notify_all();
  });

  const auto& aircraft = phase.airspace.aircraft();
  const auto end = start + Duration(phase.seconds);
  std::vector<std::int64_t> last_ms(owned.size(), 0);
  std::vector<int> recorded(owned.size(), 0);
  std::vector<std::pair<std::size_t, std::int64_t>> conflict_reports;
  std::size_t cursor = 0;
  std::uint64_t slots = 0, batch_id = 0;
  v1::PositionBatch batch;
  while (!owned.empty()) {
    if (Clock::now() >= end) break;
    if (rate > 0) {
      const auto due = start + Duration(static_cast<double>(slots + phase.batch) / rate);
      if (due > Clock::now()) {
        std::this_thread::sleep_until(std::min(due, end));
        continue;
      }
    }
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return in_flight < kBatchesInFlight || reader_done; });
      if (reader_done) break;
    }
    const auto now = Clock::now();
    if (now >= end) break;
    const double elapsed_s = Seconds(now - start);
    const std::int64_t now_ms = phase.epoch0_ms + std::llround(elapsed_s * 1000);
    batch.Clear();
    conflict_reports.clear();
    // A conflict aircraft that has not appeared yet gives its turn to the next aircraft, so that
    // the offered rate holds; a whole round without one that has appeared ends the batch.
    std::size_t passed = 0;
    while (static_cast<std::size_t>(batch.positions_size()) < phase.batch && passed < owned.size()) {
      const std::size_t k = cursor;
      cursor = cursor + 1 == owned.size() ? 0 : cursor + 1;
      const std::size_t i = owned[k];
      if (aircraft[i].appear_s > elapsed_s) {
        ++passed;
        continue;
      }
      passed = 0;
      ++slots;
      const std::int64_t t_ms = std::max(now_ms, last_ms[k] + 1);
      last_ms[k] = t_ms;
      phase.airspace.Report(i, static_cast<double>(t_ms - phase.epoch0_ms) / 1000, t_ms,
                            batch.add_positions());
      if (aircraft[i].pair >= 0 && recorded[k] < kRecordedReports) {
        ++recorded[k];
        conflict_reports.emplace_back(i, t_ms);
      }
    }
    if (batch.positions_size() == 0) {  // only conflict aircraft, none there yet
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    batch.set_batch_id(++batch_id);
    {
      std::lock_guard lock(mu);
      ++in_flight;
    }
    const auto sent_at = Clock::now();
    if (phase.book != nullptr) {
      for (const auto& [i, t_ms] : conflict_reports) phase.book->Record(aircraft[i].track_id, t_ms, sent_at);
    }
    result.sent += static_cast<std::uint64_t>(batch.positions_size());
    if (!stream->Write(batch)) break;
  }
  stream->WritesDone();
  reader.join();
  result.status = stream->Finish();
  result.seconds = result.last_ack ? Seconds(*result.last_ack - start) : 0;
  return result;
}

// Every stream on its own connection; aircraft i goes on stream i mod S, so that each track's
// reports stay in order.
PhaseResult RunPhase(const std::vector<std::shared_ptr<grpc::Channel>>& channels, const Phase& phase) {
  const std::size_t n = phase.airspace.aircraft().size();
  std::vector<std::vector<std::size_t>> owned(channels.size());
  for (std::size_t i = 0; i < n; ++i) owned[i % channels.size()].push_back(i);
  std::vector<PhaseResult> results(channels.size());
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (std::size_t s = 0; s < channels.size(); ++s) {
    const double rate = phase.rate * static_cast<double>(owned[s].size()) / static_cast<double>(n);
    threads.emplace_back([&, s, rate] { results[s] = RunStream(*channels[s], phase, owned[s], rate, start); });
  }
  for (auto& t : threads) t.join();
  PhaseResult all;
  for (const auto& r : results) all.Merge(r);
  return all;
}

// One Encounters.Subscribe stream counting the STARTED events of the conflict pairs and their
// latency from the write of the report that triggered them.
class Subscriber {
 public:
  Subscriber(std::shared_ptr<grpc::Channel> channel, const SyntheticAirspace& airspace,
             const std::unordered_map<std::string, std::size_t>& index, const SendBook& book)
      : thread_([this, channel, &airspace, &index, &book] { Run(*channel, airspace, index, book); }) {}
  ~Subscriber() { Stop(); }

  void Stop() {
    context_.TryCancel();
    if (thread_.joinable()) thread_.join();
  }
  std::size_t ours() const {
    std::lock_guard lock(mu_);
    return seen_.size();
  }
  struct Tally {
    std::size_t ours = 0, unmatched = 0, other_started = 0, other_events = 0;
    std::vector<double> latencies_ms;
  };
  Tally tally() const {
    std::lock_guard lock(mu_);
    Tally t = tally_;
    t.ours = seen_.size();
    return t;
  }

 private:
  void Run(grpc::Channel& channel, const SyntheticAirspace& airspace,
           const std::unordered_map<std::string, std::size_t>& index, const SendBook& book) {
    auto stub = v1::Encounters::NewStub(std::shared_ptr<grpc::Channel>(&channel, [](grpc::Channel*) {}));
    auto reader = stub->Subscribe(&context_, v1::SubscribeRequest());
    v1::EncounterEvent e;
    auto pair_of = [&](const std::string& id) {
      const auto it = index.find(id);
      return it == index.end() ? -1 : airspace.aircraft()[it->second].pair;
    };
    while (reader->Read(&e)) {
      const auto arrived = Clock::now();
      if (e.kind() == v1::EncounterEvent::HEARTBEAT) continue;
      std::lock_guard lock(mu_);
      if (e.kind() != v1::EncounterEvent::STARTED) {
        ++tally_.other_events;
        continue;
      }
      const int pair = pair_of(e.a().track_id());
      if (pair < 0 || pair != pair_of(e.b().track_id())) {
        ++tally_.other_started;
        continue;
      }
      if (!seen_.insert(e.encounter_id()).second) continue;
      const std::int64_t t_ms = TimestampMs(e.time());
      auto sent = book.Find(e.a().track_id(), t_ms);
      if (!sent) sent = book.Find(e.b().track_id(), t_ms);
      if (sent) {
        tally_.latencies_ms.push_back(Seconds(arrived - *sent) * 1000);
      } else {
        ++tally_.unmatched;
      }
    }
    (void)reader->Finish();
  }

  grpc::ClientContext context_;
  mutable std::mutex mu_;
  std::set<std::string> seen_;  // encounter ids of the pairs' STARTED events
  Tally tally_;
  std::thread thread_;
};

struct ServerSample {
  double cpu_s = 0, rss_bytes = 0, tracks = 0, subscribers = 0;
};
std::optional<ServerSample> Sample(const std::string& url, const Endpoint& server, std::string& error) {
  if (url.empty()) {
    error = "no --metrics-url";
    return std::nullopt;
  }
  const auto m = ScrapeMetrics(url, kScrapeTimeoutS, error, server.token,
                               {server.tls_ca_pem, server.tls_cert_pem, server.tls_key_pem});
  const auto cpu = m.find("process_cpu_seconds_total");
  const auto rss = m.find("process_resident_memory_bytes");
  if (cpu == m.end() || rss == m.end()) {
    if (error.empty()) error = url + ": no process_cpu_seconds_total or process_resident_memory_bytes";
    return std::nullopt;
  }
  ServerSample s{cpu->second, rss->second, 0, 0};
  if (auto it = m.find("airprox_tracks"); it != m.end()) s.tracks = it->second;
  if (auto it = m.find("airprox_subscribers"); it != m.end()) s.subscribers = it->second;
  return s;
}

double Percentile(std::vector<double> sorted, double q) {
  if (sorted.empty()) return NAN;
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size(), std::max<std::size_t>(rank, 1)) - 1];
}

std::string Number(double v, const char* format = "{:.0f}") {
  return std::isfinite(v) ? fmt::format(fmt::runtime(format), v) : "n/a";
}

std::string CheckOptions(const LoadOptions& o) {
  if (!(o.duration_s > 0 && o.duration_s <= kLoadMaxDurationS)) {
    return fmt::format("--duration must be in (0, {:.0f}] seconds", kLoadMaxDurationS);
  }
  if (o.rate > 0) {
    const double period_s = static_cast<double>(o.aircraft) / o.rate;
    if (period_s > 30) {
      return fmt::format("{} aircraft at {} positions/s report every {:.0f} s each; airproxd drops "
                         "tracks silent for 60 s: raise --rate to at least {:.0f}",
                         o.aircraft, o.rate, period_s, static_cast<double>(o.aircraft) / 30);
    }
    // The last pair appears at 60% of the run and needs three reports to be confirmed.
    if (o.conflict_pairs > 0 && 3 * period_s > 0.4 * o.duration_s) {
      return fmt::format("each aircraft reports every {:.2f} s ({} aircraft at {} positions/s): too "
                         "slow for the conflict pairs appearing late in a {} s run to be confirmed; "
                         "raise --rate or --duration",
                         period_s, o.aircraft, o.rate, o.duration_s);
    }
  }
  return "";
}

}  // namespace

std::string LoadMarkdownHeader() {
  return "| aircraft | pairs | streams x batch | offered pos/s | achieved pos/s | transport-only pos/s "
         "| achieved / transport | alert p50 ms | p99 ms | p99.9 ms | events recv/expected "
         "| server CPU cores | server RSS MB |\n"
         "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |";
}

int RunLoad(const LoadOptions& o) {
  if (const std::string problem = CheckOptions(o); !problem.empty()) {
    std::cerr << "airprox load: " << problem << "\n";
    return 1;
  }
  AirspaceOptions ao;
  ao.aircraft = o.aircraft;
  ao.conflict_pairs = o.conflict_pairs;
  ao.km2_per_aircraft = o.km2_per_aircraft;
  ao.duration_s = o.duration_s;
  ao.run_tag = std::random_device{}();
  SyntheticAirspace airspace;
  if (const std::string problem = SyntheticAirspace::Make(ao, airspace); !problem.empty()) {
    std::cerr << "airprox load: " << problem << "\n";
    return 1;
  }
  std::string error;
  if (!Connect(o.server, error)) {
    std::cerr << "airprox load: " << error << "\n";
    return 1;
  }
  // A connection of its own per stream and per subscriber, as separate clients would have.
  auto dial = [&] {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return MakeChannel(o.server, args);
  };
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (std::size_t s = 0; s < o.streams; ++s) channels.push_back(dial());

  std::cout << fmt::format(
      "load: {} aircraft ({} conflict pairs; {} conflict-free on {} levels, {:.1f} NM apart within "
      "a level), {} stream{} of batches of {}, {} subscriber{}, {} s\n",
      o.aircraft, o.conflict_pairs, o.aircraft - 2 * o.conflict_pairs, SyntheticAirspace::kLevels,
      airspace.grid_nm(), o.streams, o.streams == 1 ? "" : "s", o.batch, o.subscribers,
      o.subscribers == 1 ? "" : "s", o.duration_s);

  std::string metrics_error;
  const auto before_all = Sample(o.metrics_url, o.server, metrics_error);
  if (before_all && before_all->tracks > 0) {
    std::cout << fmt::format("warning: the server already holds {:.0f} live tracks (an earlier load "
                             "run flies the same airspace): encounters with them are counted as other "
                             "events; for exact figures use a fresh server, or wait until they are stale "
                             "(tracks.stale_after_s)\n",
                             before_all->tracks);
  }

  // 1. The transport ceiling: batches acknowledged without detection, as fast as they go.
  std::optional<PhaseResult> transport;
  std::optional<double> transport_cores;
  if (o.transport_s > 0) {
    const Phase phase{airspace, o.batch, true, o.transport_s, 0, EpochMs(), nullptr};
    const auto before = Sample(o.metrics_url, o.server, error);
    PhaseResult r = RunPhase(channels, phase);
    const auto after = Sample(o.metrics_url, o.server, error);
    if (!r.status.ok()) {
      std::cout << fmt::format("transport-only: ceiling unavailable: {}: {} (going on with the full run)\n",
                               r.status.error_code() == grpc::StatusCode::FAILED_PRECONDITION
                                   ? "FAILED_PRECONDITION"
                                   : r.status.error_code() == grpc::StatusCode::PERMISSION_DENIED
                                         ? "PERMISSION_DENIED"
                                         : fmt::format("status {}", static_cast<int>(r.status.error_code())),
                               r.status.error_message());
    } else {
      if (before && after && r.seconds > 0) transport_cores = (after->cpu_s - before->cpu_s) / r.seconds;
      std::cout << fmt::format(
          "transport-only: {} positions/s acknowledged without detection ({} positions in {:.2f} s; "
          "server CPU {} cores)\n",
          Number(r.rate()), r.accepted, r.seconds,
          transport_cores ? Number(*transport_cores, "{:.2f}") : "n/a");
      transport = r;
    }
  }

  // 2. The full run, watched by the subscribers.
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < airspace.aircraft().size(); ++i) index[airspace.aircraft()[i].track_id] = i;
  SendBook book;
  std::vector<std::unique_ptr<Subscriber>> subscribers;
  const auto before_subscribe = Sample(o.metrics_url, o.server, error);
  for (std::size_t s = 0; s < o.subscribers; ++s) {
    subscribers.push_back(std::make_unique<Subscriber>(dial(), airspace, index, book));
  }
  // The subscriptions must be registered before the first pair appears.
  const auto registered_by = Clock::now() + std::chrono::seconds(5);
  bool registered = !before_subscribe;
  while (before_subscribe && Clock::now() < registered_by) {
    const auto now = Sample(o.metrics_url, o.server, error);
    if (now && now->subscribers >= before_subscribe->subscribers + static_cast<double>(o.subscribers)) {
      registered = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!registered || !before_subscribe) std::this_thread::sleep_for(std::chrono::milliseconds(500));

  const auto before = Sample(o.metrics_url, o.server, metrics_error);
  const double own_cpu_before = ProcessCpuSeconds();
  const Phase phase{airspace, o.batch, false, o.duration_s, o.rate, EpochMs(), &book};
  const PhaseResult full = RunPhase(channels, phase);
  const double own_cpu_s = ProcessCpuSeconds() - own_cpu_before;
  const auto after = Sample(o.metrics_url, o.server, metrics_error);
  // Every pair's STARTED event at every subscriber, or the drain time out.
  const auto drain_end = Clock::now() + Duration(o.drain_s);
  auto all_in = [&] {
    for (const auto& s : subscribers) {
      if (s->ours() < o.conflict_pairs) return false;
    }
    return true;
  };
  while (!all_in() && Clock::now() < drain_end) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::vector<double> latencies;
  std::size_t received = 0, unmatched = 0, other_started = 0, other_events = 0;
  for (auto& s : subscribers) {
    s->Stop();
    const Subscriber::Tally t = s->tally();
    received += t.ours;
    unmatched += t.unmatched;
    other_started += t.other_started;
    other_events += t.other_events;
    latencies.insert(latencies.end(), t.latencies_ms.begin(), t.latencies_ms.end());
  }
  std::sort(latencies.begin(), latencies.end());
  const std::size_t expected = o.conflict_pairs * o.subscribers;

  if (!full.status.ok()) {
    std::cerr << "airprox load: the server ended an ingest stream: " << full.status.error_message() << "\n";
    return 1;
  }
  std::string reasons;
  for (const auto& [reason, n] : full.reasons) reasons += fmt::format(" {}={}", reason, n);
  const std::string offered = o.rate > 0 ? Number(o.rate) : "max";
  const double ratio = transport && transport->rate() > 0 ? full.rate() / transport->rate() : NAN;
  std::cout << fmt::format(
      "full run: {} positions/s offered, {} positions/s accepted ({} sent, {} accepted, {} rejected{} "
      "in {:.2f} s){}\n",
      offered, Number(full.rate()), full.sent, full.accepted, full.rejected,
      reasons.empty() ? "" : ":" + reasons, full.seconds,
      std::isfinite(ratio) ? fmt::format("; {:.1f}% of the transport-only rate", 100 * ratio)
                           : "; transport-only rate n/a");
  const double p50 = Percentile(latencies, 0.5), p99 = Percentile(latencies, 0.99),
               p999 = Percentile(latencies, 0.999);
  std::cout << fmt::format(
      "alert latency (report written -> its STARTED event at a subscriber, {} events): p50 {} ms, "
      "p99 {} ms, p99.9 {} ms, max {} ms{}\n",
      latencies.size(), Number(p50, "{:.2f}"), Number(p99, "{:.2f}"), Number(p999, "{:.2f}"),
      Number(latencies.empty() ? NAN : latencies.back(), "{:.2f}"),
      unmatched > 0 ? fmt::format(" ({} without a matching report)", unmatched) : "");
  std::cout << fmt::format(
      "events: {} of {} expected STARTED events received ({} pairs x {} subscriber{}); other "
      "STARTED {}, other events {}\n",
      received, expected, o.conflict_pairs, o.subscribers, o.subscribers == 1 ? "" : "s", other_started,
      other_events);
  double cores = NAN, rss_mb = NAN;
  if (before && after && full.seconds > 0) {
    cores = (after->cpu_s - before->cpu_s) / full.seconds;
    rss_mb = after->rss_bytes / 1e6;
    // Per accepted position: what the server itself spends, whoever bounds the rate.
    std::cout << fmt::format("server: CPU {:.2f} cores ({:.2f} s over {:.2f} s; {} us per accepted position), "
                             "RSS {:.1f} MB\n",
                             cores, after->cpu_s - before->cpu_s, full.seconds,
                             full.accepted > 0 ? Number(1e6 * (after->cpu_s - before->cpu_s) /
                                                            static_cast<double>(full.accepted), "{:.3f}")
                                               : "n/a",
                             rss_mb);
  } else {
    std::cout << fmt::format("server: CPU n/a, RSS n/a ({})\n", metrics_error);
  }
  // On one machine the load tool takes CPU the server could have used: when the server's and the
  // tool's cores add up to the machine's, the rate says as much about the tool as the server.
  std::cout << fmt::format("load tool: CPU {:.2f} cores ({:.2f} s over {:.2f} s: senders and subscribers), "
                           "{} cores on this machine\n",
                           full.seconds > 0 ? own_cpu_s / full.seconds : NAN, own_cpu_s, full.seconds,
                           std::thread::hardware_concurrency());
  if (o.markdown) {
    std::cout << fmt::format("| {} | {} | {} x {} | {} | {} | {} | {} | {} | {} | {} | {}/{} | {} | {} |\n",
                             o.aircraft, o.conflict_pairs, o.streams, o.batch, offered, Number(full.rate()),
                             transport ? Number(transport->rate()) : "n/a",
                             std::isfinite(ratio) ? fmt::format("{:.1f}%", 100 * ratio) : "n/a",
                             Number(p50, "{:.2f}"), Number(p99, "{:.2f}"), Number(p999, "{:.2f}"), received,
                             expected, Number(cores, "{:.2f}"), Number(rss_mb, "{:.1f}"));
  }
  std::cout << std::flush;
  if (received < expected) {
    std::cerr << fmt::format("airprox load: {} of {} expected STARTED events did not arrive within {} s\n",
                             expected - received, expected, o.drain_s);
    return 3;
  }
  return 0;
}

}  // namespace airprox::cli
