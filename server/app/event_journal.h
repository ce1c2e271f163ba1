// The on-disk journal of encounter events, so that sequences continue and subscribers can resume
// across a restart. Segment files `events-<first sequence>.log` under the data directory hold
// records [u32 length][u32 CRC-32 of the bytes][EncounterEvent protobuf bytes], little-endian.
// Opening reads every segment back; a torn or corrupt tail is cut off with a log line and the
// server starts anyway. Old segments go by total size and by age.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "airprox/v1/airprox.pb.h"
#include "server/core/status.h"
#include "server/pipeline/event_sink.h"

namespace airprox {

struct JournalOptions {
  std::string dir = "./airprox-data";             // "" disables the journal
  std::uint64_t max_bytes = 1ull << 30;           // all segments together, bytes
  double max_age_s = 30 * 86400.0;                // segments last written longer ago go, seconds
  std::uint64_t segment_bytes = 64ull << 20;      // a new segment starts past this size, bytes
  bool fsync = true;                              // fsync after each batch of events
};

class EventJournal final : public EventSink {
 public:
  // Opens (creating the directory), reads back what is there, and keeps at most `keep_last`
  // recovered events (oldest first) in `recovered`. `last_sequence` is 0 for an empty journal.
  static Status Open(const JournalOptions& options, std::size_t keep_last,
                     std::unique_ptr<EventJournal>& journal,
                     std::vector<v1::EncounterEvent>& recovered, std::uint64_t& last_sequence);
  ~EventJournal() override;

  void OnEvents(const std::vector<EncounterEvent>& events) override;
  std::uint64_t write_errors() const { return write_errors_; }

 private:
  explicit EventJournal(JournalOptions options) : options_(std::move(options)) {}
  void StartSegment(std::uint64_t first_sequence);
  void ApplyRetention();

  JournalOptions options_;
  int fd_ = -1;
  std::string segment_path_;
  std::uint64_t segment_size_ = 0;
  std::uint64_t write_errors_ = 0;
};

}  // namespace airprox
