#include "server/feeds/aircraft_json_poll_feed.h"

#include <curl/curl.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "server/feeds/feed_logger.h"
#include "server/formats/aircraft_json.h"

namespace airprox {
namespace {

constexpr std::uint64_t kLoggedErrors = 5;
// Snapshots larger than this are refused: a busy readsb serves a few hundred kilobytes.
constexpr std::size_t kMaxSnapshotBytes = 64 << 20;
// Track ids not seen for this long are forgotten (their last position time).
constexpr double kForgetAfterS = 600;

struct Fetch {
  std::string body;
  const std::atomic<bool>* stopping;
};

std::size_t OnData(char* data, std::size_t size, std::size_t n, void* user) {
  auto* f = static_cast<Fetch*>(user);
  if (f->body.size() + size * n > kMaxSnapshotBytes) return 0;  // aborts the transfer
  f->body.append(data, size * n);
  return size * n;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return *static_cast<Fetch*>(user)->stopping ? 1 : 0;  // non-zero aborts
}

}  // namespace

AircraftJsonPollFeed::AircraftJsonPollFeed(FeedOptions options, DetectionLoop& loop,
                                           std::shared_ptr<FeedCounters> counters)
    : options_(std::move(options)),
      counters_(counters),
      batcher_(loop, counters, 1000, options_.max_pending) {}

AircraftJsonPollFeed::~AircraftJsonPollFeed() { Stop(); }

void AircraftJsonPollFeed::Start() {
  if (thread_.joinable()) return;
  static std::once_flag curl_ready;
  std::call_once(curl_ready, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  thread_ = std::thread([this] { Run(); });
}

void AircraftJsonPollFeed::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AircraftJsonPollFeed::Run() {
  // The snapshot is parsed by the aircraft.json file reader from a private scratch file.
  std::string safe_name = options_.name;
  for (char& c : safe_name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
  }
  const auto scratch = std::filesystem::temp_directory_path() /
                       ("airproxd-poll-" + std::to_string(::getpid()) + "-" + safe_name + ".json");
  const auto period = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(options_.interval_s));
  auto next = std::chrono::steady_clock::now();
  for (;;) {
    {
      std::unique_lock lock(mu_);
      if (wake_.wait_until(lock, next, [this] { return stopping_.load(); })) break;
    }
    next += period;
    if (next < std::chrono::steady_clock::now()) next = std::chrono::steady_clock::now() + period;
    PollOnce(scratch.string());
  }
  std::error_code ignored;
  std::filesystem::remove(scratch, ignored);
  batcher_.Flush();
}

void AircraftJsonPollFeed::PollOnce(const std::string& scratch_path) {
  Fetch fetch{{}, &stopping_};
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return;
  curl_easy_setopt(curl, CURLOPT_URL, options_.address.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnData);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &fetch);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &fetch);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout_s * 1000));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);       // HTTP >= 400 is an error
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // gzip if the server offers it
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 3L);
  const CURLcode rc = curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  if (stopping_) return;
  if (rc != CURLE_OK) {
    if (++counters_->fetch_errors <= kLoggedErrors) {
      FeedLogger()->warn("feed {}: cannot fetch {}: {}", options_.name, options_.address, curl_easy_strerror(rc));
    }
    return;
  }
  ++counters_->fetches;
  {
    std::ofstream out(scratch_path, std::ios::binary | std::ios::trunc);
    out << fetch.body;
    if (!out.flush()) {
      if (++counters_->fetch_errors <= kLoggedErrors) {
        FeedLogger()->warn("feed {}: cannot write the snapshot to {}", options_.name, scratch_path);
      }
      return;
    }
  }
  std::unique_ptr<AircraftJsonReader> reader;
  if (!AircraftJsonReader::Open(scratch_path, reader).ok()) return;
  Position p;
  Status err;
  double newest_s = 0;
  for (;;) {
    const auto next = reader->Read(p, err);
    if (next == RecordingReader::Next::kEnd) break;
    if (next == RecordingReader::Next::kBadLine) {
      if (++counters_->malformed <= kLoggedErrors) {
        FeedLogger()->warn("feed {}: {}", options_.name, err.message());
      }
      continue;
    }
    ++counters_->lines;  // an aircraft with a position
    newest_s = std::max(newest_s, p.time_s);
    double& last = last_time_s_[p.track_id];
    if (p.time_s <= last) {
      ++counters_->unchanged;
      continue;
    }
    last = p.time_s;
    ++counters_->positions;
    batcher_.Add(p);
  }
  batcher_.Flush();
  std::erase_if(last_time_s_, [&](const auto& kv) { return kv.second < newest_s - kForgetAfterS; });
}

}  // namespace airprox
