#include "server/formats/canonical_csv.h"

#include <gtest/gtest.h>

#include "tests/formats/recording_files.h"

namespace airprox {
namespace {

using CanonicalCsv = testing::RecordingFiles;

constexpr const char* kText =
    "time_s,track_id,callsign,lat_deg,lon_deg,alt_ft,gs_kt,track_deg,vrate_fpm,on_ground\n"
    "1512132477.5,39c424,AFR787V,48.998215,2.6093473333,1300.0,148.0,86.0,2346,\n"
    "1512132478,39c424,,48.9982455,2.610345,,,,,1\n";

TEST_F(CanonicalCsv, ReadsPlainAndGzipTheSame) {
  for (bool gz : {false, true}) {
    std::unique_ptr<CanonicalCsvReader> r;
    ASSERT_TRUE(CanonicalCsvReader::Open(Write(gz ? "a.csv.gz" : "a.csv", kText, gz), r).ok());
    Position p;
    Status err;
    ASSERT_EQ(r->Read(p, err), CanonicalCsvReader::Next::kRecord);
    EXPECT_EQ(p.time_s, 1512132477.5);
    EXPECT_EQ(p.track_id, "39c424");
    EXPECT_EQ(p.callsign, "AFR787V");
    EXPECT_DOUBLE_EQ(p.lat_deg, 48.998215);
    EXPECT_EQ(p.alt_ft, 1300.0);
    EXPECT_EQ(p.ground_speed_kt, 148.0);
    EXPECT_EQ(p.track_deg, 86.0);
    EXPECT_EQ(p.vertical_rate_fpm, 2346);
    EXPECT_FALSE(p.on_ground.has_value());
    ASSERT_EQ(r->Read(p, err), CanonicalCsvReader::Next::kRecord);
    EXPECT_TRUE(p.callsign.empty());
    EXPECT_FALSE(p.alt_ft || p.ground_speed_kt || p.track_deg || p.vertical_rate_fpm);
    EXPECT_EQ(p.on_ground, true);
    EXPECT_EQ(r->Read(p, err), CanonicalCsvReader::Next::kEnd);
    EXPECT_TRUE(err.ok());
  }
}

TEST_F(CanonicalCsv, BadLinesNameFileAndLineAndReadingGoesOn) {
  const std::string path = Write("bad.csv",
                                 "time_s,track_id,callsign,lat_deg,lon_deg,alt_ft,gs_kt,track_deg,vrate_fpm,on_ground\n"
                                 "1,abc,,47,8,x,,,,\n"
                                 "2,abc,,47,8\n"
                                 "3,abc,,,8,,,,,\n"
                                 "4,abc,,47,8,1000,,,,\n");
  std::unique_ptr<CanonicalCsvReader> r;
  ASSERT_TRUE(CanonicalCsvReader::Open(path, r).ok());
  Position p;
  Status err;
  ASSERT_EQ(r->Read(p, err), CanonicalCsvReader::Next::kBadLine);
  EXPECT_EQ(err.message(), path + ":2: alt_ft 'x' is not a number");
  ASSERT_EQ(r->Read(p, err), CanonicalCsvReader::Next::kBadLine);
  EXPECT_EQ(err.message(), path + ":3: 5 fields, the header has 10");
  ASSERT_EQ(r->Read(p, err), CanonicalCsvReader::Next::kBadLine);
  EXPECT_EQ(err.message(), path + ":4: lat_deg is empty");
  ASSERT_EQ(r->Read(p, err), CanonicalCsvReader::Next::kRecord);
  EXPECT_EQ(p.time_s, 4);
  EXPECT_EQ(r->line_number(), 5u);
}

// Found by fuzzing (tests/fuzz/sbs_merger_fuzz.cc, in the number parsing CSV shares): "nan" and
// "inf" cells read as numbers, giving records the core could only refuse.
TEST_F(CanonicalCsv, NonFiniteNumbersAreBadLines) {
  const std::string path = Write("nan.csv",
                                 "time_s,track_id,lat_deg,lon_deg,alt_ft,gs_kt\n"
                                 "inf,abc,47,8,,\n"
                                 "1,abc,nan,8,,\n"
                                 "2,abc,47,8,-Infinity,\n"
                                 "3,abc,47,8,1e999,\n"
                                 "4,abc,47,8,1000,NaN\n"
                                 "5,abc,47,8,1000,1e300\n");
  std::unique_ptr<CanonicalCsvReader> r;
  ASSERT_TRUE(CanonicalCsvReader::Open(path, r).ok());
  Position p;
  Status err;
  for (const char* problem : {":2: time_s 'inf' is not a number", ":3: lat_deg 'nan' is not a number",
                              ":4: alt_ft '-Infinity' is not a number",
                              ":5: alt_ft '1e999' is not a number", ":6: gs_kt 'NaN' is not a number"}) {
    ASSERT_EQ(r->Read(p, err), CanonicalCsvReader::Next::kBadLine);
    EXPECT_EQ(err.message(), path + problem);
  }
  ASSERT_EQ(r->Read(p, err), CanonicalCsvReader::Next::kRecord);
  EXPECT_EQ(p.ground_speed_kt, 1e300);  // finite: out of range is for the core to say
}

// Found by fuzzing (tests/fuzz/canonical_csv_fuzz.cc): an empty track_id cell gave a record
// without a track id, where an empty time_s, lat_deg or lon_deg makes the line bad.
TEST_F(CanonicalCsv, EmptyTrackIdIsABadLine) {
  const std::string path = Write("id.csv", "time_s,track_id,lat_deg,lon_deg\n1, ,47,8\n2,abc,47,8\n");
  std::unique_ptr<CanonicalCsvReader> r;
  ASSERT_TRUE(CanonicalCsvReader::Open(path, r).ok());
  Position p;
  Status err;
  ASSERT_EQ(r->Read(p, err), CanonicalCsvReader::Next::kBadLine);
  EXPECT_EQ(err.message(), path + ":2: track_id is empty");
  ASSERT_EQ(r->Read(p, err), CanonicalCsvReader::Next::kRecord);
  EXPECT_EQ(p.track_id, "abc");
}

TEST_F(CanonicalCsv, HeaderMustNameTheRequiredColumns) {
  std::unique_ptr<CanonicalCsvReader> r;
  const Status st = CanonicalCsvReader::Open(Write("h.csv", "time,icao24,lat,lon\n"), r);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("h.csv:1: header has no 'time_s' column"), std::string::npos)
      << st.message();
}

TEST_F(CanonicalCsv, ColumnsInAnyOrder) {
  std::unique_ptr<CanonicalCsvReader> r;
  ASSERT_TRUE(CanonicalCsvReader::Open(Write("o.csv", "track_id,lat_deg,lon_deg,time_s\nabc,1,2,3\n"), r).ok());
  Position p;
  Status err;
  ASSERT_EQ(r->Read(p, err), CanonicalCsvReader::Next::kRecord);
  EXPECT_EQ(p.track_id, "abc");
  EXPECT_EQ(p.lat_deg, 1);
  EXPECT_EQ(p.lon_deg, 2);
  EXPECT_EQ(p.time_s, 3);
}

TEST_F(CanonicalCsv, MissingFileIsAClearError) {
  std::unique_ptr<CanonicalCsvReader> r;
  const Status st = CanonicalCsvReader::Open((dir_ / "nope.csv").string(), r);
  EXPECT_NE(st.message().find("nope.csv: cannot open"), std::string::npos) << st.message();
}

TEST_F(CanonicalCsv, ReadsTheShippedFormationExcerpt) {
  std::unique_ptr<CanonicalCsvReader> r;
  ASSERT_TRUE(CanonicalCsvReader::Open(AIRPROX_TEST_DATA_DIR "/formation_afr787v_tbm900_excerpt.csv.gz", r).ok());
  Position p;
  Status err;
  int records = 0;
  double last_t = 0;
  while (r->Read(p, err) == CanonicalCsvReader::Next::kRecord) {
    ++records;
    EXPECT_GE(p.time_s, last_t);
    last_t = p.time_s;
  }
  EXPECT_TRUE(err.ok());
  EXPECT_EQ(records, 2402);
}

}  // namespace
}  // namespace airprox
