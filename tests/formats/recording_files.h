// Test support for the readers of recordings: a fixture with a fresh temporary directory to write
// small inputs into (plain or gzip), reading every record of a reader, and the recordings of the
// project's shared folder (AIRPROX_SHARED_DATA), which tests skip when it is not set.
#pragma once

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "server/formats/recording_reader.h"

namespace airprox::testing {

class RecordingFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("airprox_formats_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + info->test_suite_name() + "_" + info->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Writes text to a file of the test's directory and returns its path.
  std::string Write(const std::string& name, const std::string& text, bool gzip = false) {
    const auto path = (dir_ / name).string();
    if (gzip) {
      gzFile f = gzopen(path.c_str(), "wb");
      gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
      gzclose(f);
    } else {
      std::ofstream(path, std::ios::binary) << text;
    }
    return path;
  }

  std::filesystem::path dir_;
};

// Everything a reader gives until its end: the records, and the messages of the bad lines.
struct ReadAll {
  std::vector<Position> records;
  std::vector<std::size_t> record_lines;  // line_number() after each record
  std::vector<std::string> errors;
  Status end;  // the error at the end (a read error), OK normally
};

inline ReadAll ReadEverything(RecordingReader& reader) {
  ReadAll all;
  Position p;
  Status err;
  while (true) {
    const auto next = reader.Read(p, err);
    if (next == RecordingReader::Next::kEnd) break;
    if (next == RecordingReader::Next::kRecord) {
      all.records.push_back(p);
      all.record_lines.push_back(reader.line_number());
    }
    if (next == RecordingReader::Next::kBadLine) all.errors.push_back(err.message());
  }
  all.end = err;
  return all;
}

// Opens a file with Reader::Open (which must succeed) and reads it whole; `reader` stays open for
// its counters.
template <typename Reader>
ReadAll OpenAndRead(const std::string& path, std::unique_ptr<Reader>& reader) {
  const Status st = Reader::Open(path, reader);
  EXPECT_TRUE(st.ok()) << st.message();
  return st.ok() ? ReadEverything(*reader) : ReadAll{};
}

// The path of a recording in the shared folder named by AIRPROX_SHARED_DATA; empty when the
// variable is unset or the file is not there.
inline std::string SharedRecording(const char* name) {
  const char* dir = std::getenv("AIRPROX_SHARED_DATA");
  if (dir == nullptr) return {};
  const auto path = std::filesystem::path(dir) / name;
  return std::filesystem::exists(path) ? path.string() : std::string();
}

}  // namespace airprox::testing
