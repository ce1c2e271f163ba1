#include "server/app/event_journal.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "server/service/proto_convert.h"

namespace airprox {
namespace {

namespace fs = std::filesystem;

class Journal : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("airprox_journal_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    options_.dir = dir_.string();
    options_.fsync = false;
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::vector<EncounterEvent> Events(std::uint64_t first, int n) {
    std::vector<EncounterEvent> out;
    for (int i = 0; i < n; ++i) {
      EncounterEvent e;
      e.sequence = first + i;
      e.encounter_id = "a-b-" + std::to_string(first + i);
      e.rule = "nmac";
      e.time_s = 1000 + i;
      out.push_back(e);
    }
    return out;
  }

  fs::path dir_;
  JournalOptions options_;
};

TEST_F(Journal, SequenceAndEventsSurviveARestart) {
  {
    std::unique_ptr<EventJournal> j;
    std::vector<v1::EncounterEvent> recovered;
    std::uint64_t last = 99;
    ASSERT_TRUE(EventJournal::Open(options_, 100, j, recovered, last).ok());
    EXPECT_EQ(last, 0u);
    EXPECT_TRUE(recovered.empty());
    j->OnEvents(Events(1, 3));
    j->OnEvents(Events(4, 2));
  }
  std::unique_ptr<EventJournal> j;
  std::vector<v1::EncounterEvent> recovered;
  std::uint64_t last = 0;
  ASSERT_TRUE(EventJournal::Open(options_, 3, j, recovered, last).ok());
  EXPECT_EQ(last, 5u);
  ASSERT_EQ(recovered.size(), 3u) << "keeps the last keep_last";
  EXPECT_EQ(recovered[0].sequence(), 3u);
  EXPECT_EQ(recovered[2].encounter_id(), "a-b-5");
  EXPECT_EQ(FromProto(recovered[2]).rule, "nmac");
}

TEST_F(Journal, TornOrCorruptTailIsCutOffAndWritingGoesOn) {
  {
    std::unique_ptr<EventJournal> j;
    std::vector<v1::EncounterEvent> recovered;
    std::uint64_t last = 0;
    ASSERT_TRUE(EventJournal::Open(options_, 100, j, recovered, last).ok());
    j->OnEvents(Events(1, 4));
  }
  fs::path segment;
  for (const auto& e : fs::directory_iterator(dir_)) {
    if (fs::file_size(e.path()) > 0) segment = e.path();
  }
  ASSERT_FALSE(segment.empty());
  const auto good_size = fs::file_size(segment);
  {
    std::fstream f(segment, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(good_size) - 3);  // flip a byte of the last record
    f.put('\x7f');
  }
  std::ofstream(segment, std::ios::app | std::ios::binary) << "\x10\x00\x00";  // and a torn header
  std::unique_ptr<EventJournal> j;
  std::vector<v1::EncounterEvent> recovered;
  std::uint64_t last = 0;
  ASSERT_TRUE(EventJournal::Open(options_, 100, j, recovered, last).ok());
  EXPECT_EQ(last, 3u) << "the corrupt fourth record and what follows are gone";
  EXPECT_EQ(recovered.size(), 3u);
  EXPECT_LT(fs::file_size(segment), good_size);
  j->OnEvents(Events(4, 1));
  j.reset();
  ASSERT_TRUE(EventJournal::Open(options_, 100, j, recovered = {}, last).ok());
  EXPECT_EQ(last, 4u);
}

TEST_F(Journal, RetentionRemovesTheOldestSegments) {
  options_.segment_bytes = 1;     // a segment per batch
  options_.max_bytes = 1 << 20;
  std::unique_ptr<EventJournal> j;
  std::vector<v1::EncounterEvent> recovered;
  std::uint64_t last = 0;
  ASSERT_TRUE(EventJournal::Open(options_, 100, j, recovered, last).ok());
  for (int i = 0; i < 5; ++i) j->OnEvents(Events(1 + i, 1));
  std::size_t segments = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_)) ++segments;
  EXPECT_GE(segments, 5u);
  options_.max_bytes = 0;  // everything but the segment being written must go
  j.reset();
  ASSERT_TRUE(EventJournal::Open(options_, 100, j, recovered = {}, last).ok());
  EXPECT_EQ(last, 5u);
  j->OnEvents(Events(6, 1));  // rotates (segment_bytes 1) and applies retention
  segments = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_)) ++segments;
  EXPECT_EQ(segments, 1u);
}

}  // namespace
}  // namespace airprox
