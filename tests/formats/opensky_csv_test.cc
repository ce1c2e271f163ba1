#include "server/formats/opensky_csv.h"

#include <gtest/gtest.h>

#include <set>

#include "tests/formats/recording_files.h"

namespace airprox {
namespace {

using OpenSkyCsv = testing::RecordingFiles;

// Made-up state vectors in OpenSky's layout (none comes from a real recording).
constexpr const char* kHeader =
    "time,icao24,lat,lon,velocity,heading,vertrate,callsign,onground,alert,spi,squawk,"
    "baroaltitude,geoaltitude,lastposupdate,lastcontact\n";

TEST_F(OpenSkyCsv, ConvertsSiUnitsAndTakesTheTimeOfThePosition) {
  const std::string text = std::string(kHeader) +
                           "1700000010,4CA7B3,53.25,-6.5,100,270.5,-5.08,EIN123  ,False,False,False,"
                           "7000,3048,3100,1700000007.25,1700000009.5\n"
                           "1700000020,4ca7b3,53.26,-6.6,,,,,True,False,False,,,,,\n";
  for (bool gz : {false, true}) {
    std::unique_ptr<OpenSkyCsvReader> r;
    const auto all = testing::OpenAndRead(Write(gz ? "s.csv.gz" : "s.csv", text, gz), r);
    EXPECT_TRUE(all.errors.empty()) << all.errors.front();
    ASSERT_EQ(all.records.size(), 2u);
    const Position& p = all.records[0];
    EXPECT_EQ(p.track_id, "4ca7b3");
    EXPECT_EQ(p.callsign, "EIN123");
    EXPECT_EQ(p.time_s, 1700000007.25);  // lastposupdate, not time
    EXPECT_EQ(p.lat_deg, 53.25);
    EXPECT_EQ(p.lon_deg, -6.5);
    EXPECT_NEAR(*p.alt_ft, 10000.0, 1e-9);              // 3048 m
    EXPECT_NEAR(*p.ground_speed_kt, 194.38445, 1e-5);   // 100 m/s
    EXPECT_EQ(*p.track_deg, 270.5);
    EXPECT_NEAR(*p.vertical_rate_fpm, -1000.0, 0.01);   // -5.08 m/s
    EXPECT_EQ(p.on_ground, false);
    const Position& q = all.records[1];
    EXPECT_EQ(q.time_s, 1700000020);  // no lastposupdate: time
    EXPECT_TRUE(q.callsign.empty());
    EXPECT_FALSE(q.alt_ft || q.ground_speed_kt || q.track_deg || q.vertical_rate_fpm);
    EXPECT_EQ(q.on_ground, true);
    EXPECT_EQ(r->skipped(), 0u);
  }
}

TEST_F(OpenSkyCsv, RowsWithoutAPositionAreSkippedAndCounted) {
  std::unique_ptr<OpenSkyCsvReader> r;
  const auto all = testing::OpenAndRead(
      Write("s.csv", std::string(kHeader) +
                         "1700000010,abc123,,,120,90,0,TEST1,False,False,False,,9000,,,1700000010\n"
                         "\n"
                         "1700000020,abc123,1.5,2.5,120,90,0,TEST1,False,False,False,,9000,,1700000019,1700000020\n"),
      r);
  EXPECT_TRUE(all.errors.empty());
  ASSERT_EQ(all.records.size(), 1u);
  EXPECT_EQ(all.records[0].time_s, 1700000019);
  EXPECT_EQ(r->skipped(), 1u);
  EXPECT_EQ(r->line_number(), 4u);
}

TEST_F(OpenSkyCsv, RepeatedPositionsArePassedOnForTheCoreToReject) {
  std::unique_ptr<OpenSkyCsvReader> r;
  const auto all = testing::OpenAndRead(Write("s.csv", std::string(kHeader) +
                                               "1700000010,abc123,1.5,2.5,,,,,,,,,,,1700000008,1700000010\n"
                                               "1700000020,abc123,1.5,2.5,,,,,,,,,,,1700000008,1700000012\n"),
                            r);
  ASSERT_EQ(all.records.size(), 2u);
  EXPECT_EQ(all.records[0].time_s, all.records[1].time_s);
}

TEST_F(OpenSkyCsv, BadLinesNameFileAndLineAndReadingGoesOn) {
  const std::string path =
      Write("bad.csv", std::string(kHeader) +
                           "1700000010,abc123,x,2.5,,,,,,,,,,,,\n"                 // 2
                           "1700000010,abc123,1.5,2.5\n"                           // 3
                           "1700000010,abc123,1.5,,,,,,,,,,,,,\n"                  // 4
                           "1700000010,abc123,1.5,2.5,,,,,maybe,,,,,,,\n"          // 5
                           "1700000010,abc123,1.5,2.5,-3,,,,,,,,,,,\n"             // 6: the core's to judge
                           ",abc123,1.5,2.5,,,,,,,,,,,,\n"                         // 7
                           "1700000010,abc123,1.5,2.5,,,,,,,,,,,soon,\n"           // 8
                           "1700000011,abc123,1.5,2.5,,,,,,,,,,,,\n");             // 9
  std::unique_ptr<OpenSkyCsvReader> r;
  const auto all = testing::OpenAndRead(path, r);
  EXPECT_EQ(all.errors, (std::vector<std::string>{
                            path + ":2: lat 'x' is not a number",
                            path + ":3: 4 fields, the header has 16",
                            path + ":4: lon is empty",
                            path + ":5: onground 'maybe' is not 1, 0, true, false or empty",
                            path + ":7: time is empty",
                            path + ":8: lastposupdate 'soon' is not a number",
                        }));
  ASSERT_EQ(all.records.size(), 2u);
  EXPECT_NEAR(*all.records[0].ground_speed_kt, -5.83, 0.01);
  EXPECT_EQ(all.records[1].time_s, 1700000011);
}

// Found by fuzzing (tests/fuzz/opensky_csv_fuzz.cc): a row with a position but an empty icao24
// was a record without a track id, where every other reader says the line is bad.
TEST_F(OpenSkyCsv, EmptyIcao24IsABadLine) {
  const std::string path = Write("id.csv", std::string(kHeader) +
                                               "1700000010, ,1.5,2.5,,,,,,,,,,,,\n"   // 2
                                               "1700000010,,,,,,,,,,,,,,,\n"          // 3: no position
                                               "1700000011,abc123,1.5,2.5,,,,,,,,,,,,\n");
  std::unique_ptr<OpenSkyCsvReader> r;
  const auto all = testing::OpenAndRead(path, r);
  EXPECT_EQ(all.errors, (std::vector<std::string>{path + ":2: icao24 is empty"}));
  ASSERT_EQ(all.records.size(), 1u);
  EXPECT_EQ(all.records[0].track_id, "abc123");
  EXPECT_EQ(r->skipped(), 1u);
}

TEST_F(OpenSkyCsv, HeaderMustNameTheRequiredColumns) {
  std::unique_ptr<OpenSkyCsvReader> r;
  Status st = OpenSkyCsvReader::Open(Write("h.csv", "time,lat,lon\n"), r);
  EXPECT_NE(st.message().find("h.csv:1: header has no 'icao24' column"), std::string::npos)
      << st.message();
  st = OpenSkyCsvReader::Open(Write("e.csv", ""), r);
  EXPECT_NE(st.message().find("e.csv:1: empty file"), std::string::npos) << st.message();
}

// The real recording of the shared folder: every row is read, none is bad.
TEST_F(OpenSkyCsv, ReadsTheSharedDullesRecording) {
  const std::string path = testing::SharedRecording("us_dulles_20230314.opensky.csv.gz");
  if (path.empty()) GTEST_SKIP() << "AIRPROX_SHARED_DATA is not set";
  std::unique_ptr<OpenSkyCsvReader> r;
  const auto all = testing::OpenAndRead(path, r);
  EXPECT_TRUE(all.errors.empty()) << all.errors.front();
  EXPECT_TRUE(all.end.ok()) << all.end.message();
  EXPECT_EQ(all.records.size() + r->skipped(), 2118u);
  std::set<std::string> aircraft;
  int on_ground = 0;
  for (const Position& p : all.records) {
    const Status st = ValidatePosition(p);
    EXPECT_TRUE(st.ok()) << st.message();
    aircraft.insert(p.track_id);
    if (p.on_ground == true) {
      ++on_ground;
    } else {
      ASSERT_TRUE(p.alt_ft.has_value());
      EXPECT_LT(*p.alt_ft, 45000.0);  // a terminal area, in feet, not metres
      EXPECT_GT(*p.ground_speed_kt, 60.0);
    }
  }
  EXPECT_EQ(aircraft.size(), 35u);
  EXPECT_GT(on_ground, 0);
}

}  // namespace
}  // namespace airprox
