#include "server/feeds/sbs_ingest.h"

#include "server/feeds/feed_logger.h"

namespace airprox {
namespace {

// Malformed lines are counted; only the first few of a feed are logged, so that a broken feed
// cannot flood the log.
constexpr std::uint64_t kLoggedMalformed = 5;

}  // namespace

SbsIngest::SbsIngest(const FeedOptions& options, DetectionLoop& loop,
                     std::shared_ptr<FeedCounters> counters)
    : name_(options.name),
      counters_(counters),
      max_line_bytes_(options.max_line_bytes),
      merger_(SbsMergerOptions{options.max_state_age_s, SbsMergerOptions{}.max_aircraft,
                               options.max_line_bytes}),
      batcher_(loop, counters, kFeedBatchSize, options.max_pending) {}

void SbsIngest::OnLine(std::string_view line) {
  ++counters_->lines;
  std::optional<Position> p;
  if (Status st = merger_.Feed(line, p); !st.ok()) {
    Malformed(line, st.message());
    return;
  }
  if (!p) return;
  ++counters_->positions;
  batcher_.Add(std::move(*p));
}

void SbsIngest::OnTooLong() {
  ++counters_->lines;
  ++counters_->too_long_lines;
  Malformed({}, "line longer than " + std::to_string(max_line_bytes_) + " bytes (limits.sbs_max_line_bytes)");
}

void SbsIngest::Malformed(std::string_view line, const std::string& problem) {
  const std::uint64_t n = ++counters_->malformed;
  if (n <= kLoggedMalformed) {
    FeedLogger()->warn("feed {}: malformed SBS line ({}): {:.80}{}", name_, problem, line,
                 n == kLoggedMalformed ? " (further malformed lines are only counted)" : "");
  }
}

}  // namespace airprox
