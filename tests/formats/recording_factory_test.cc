#include "server/formats/recording_factory.h"

#include <gtest/gtest.h>

#include "tests/formats/recording_files.h"

namespace airprox {
namespace {

using Recordings = testing::RecordingFiles;

// The same fix, 2020-01-01T00:00:10Z at 47.5 N 8.5 E, 5000 ft, in every format.
const std::vector<std::pair<RecordingFormat, std::string>> kSamples = {
    {RecordingFormat::kCanonicalCsv,
     "time_s,track_id,callsign,lat_deg,lon_deg,alt_ft,gs_kt,track_deg,vrate_fpm,on_ground\n"
     "1577836810,4b1234,SWR1,47.5,8.5,5000,,,,\n"},
    {RecordingFormat::kOpenSkyCsv,
     "time,icao24,lat,lon,velocity,heading,vertrate,callsign,onground,alert,spi,squawk,"
     "baroaltitude,geoaltitude,lastposupdate,lastcontact\n"
     "1577836812,4b1234,47.5,8.5,,,,SWR1    ,False,False,False,,1524,,1577836810,1577836812\n"},
    {RecordingFormat::kSbs,
     "MSG,1,1,1,4B1234,1,2020/01/01,00:00:09.000,2020/01/01,00:00:09.000,SWR1,,,,,,,,,,,0\n"
     "MSG,3,1,1,4B1234,1,2020/01/01,00:00:10.000,2020/01/01,00:00:10.000,,5000,,,47.5,8.5,,,0,0,0,0\n"},
    {RecordingFormat::kJsonLines,
     R"({"trackId":"4b1234","callsign":"SWR1","time":"2020-01-01T00:00:10Z","latDeg":47.5,"lonDeg":8.5,"altFt":5000})"
     "\n"},
    {RecordingFormat::kAircraftJson,
     "{ \"now\" : 1577836811.0,\n  \"aircraft\" : [\n"
     R"({"hex":"4b1234","flight":"SWR1    ","alt_baro":5000,"lat":47.5,"lon":8.5,"seen_pos":1.0})"
     "\n]}\n"},
};

TEST_F(Recordings, OpensEveryFormatBehindOneInterface) {
  for (const auto& [format, text] : kSamples) {
    const std::string path = Write(std::string(FormatName(format)) + ".gz", text, /*gzip=*/true);
    for (bool detect : {true, false}) {
      std::unique_ptr<RecordingReader> r;
      const Status st = detect ? OpenRecording(path, r) : OpenRecording(path, format, r);
      ASSERT_TRUE(st.ok()) << FormatName(format) << ": " << st.message();
      const auto all = testing::ReadEverything(*r);
      EXPECT_TRUE(all.errors.empty()) << FormatName(format) << ": " << all.errors.front();
      ASSERT_EQ(all.records.size(), 1u) << FormatName(format);
      const Position& p = all.records[0];
      EXPECT_EQ(p.track_id, "4b1234") << FormatName(format);
      EXPECT_EQ(p.callsign, "SWR1") << FormatName(format);
      EXPECT_EQ(p.time_s, 1577836810.0) << FormatName(format);
      EXPECT_EQ(p.lat_deg, 47.5) << FormatName(format);
      EXPECT_EQ(p.lon_deg, 8.5) << FormatName(format);
      EXPECT_NEAR(p.alt_ft.value_or(0), 5000.0, 1e-9) << FormatName(format);
      EXPECT_GE(r->line_number(), 1u);
    }
  }
}

TEST_F(Recordings, TheWrongFormatFailsOnTheHeaderOrEveryLine) {
  const std::string path = Write("sbs.txt", kSamples[2].second);
  std::unique_ptr<RecordingReader> r;
  EXPECT_FALSE(OpenRecording(path, RecordingFormat::kCanonicalCsv, r).ok());
  ASSERT_TRUE(OpenRecording(path, RecordingFormat::kJsonLines, r).ok());
  const auto all = testing::ReadEverything(*r);
  EXPECT_EQ(all.errors.size(), 2u);
  EXPECT_TRUE(all.records.empty());
}

TEST_F(Recordings, AnUndetectableFileIsNotOpened) {
  std::unique_ptr<RecordingReader> r;
  const Status st = OpenRecording(Write("x.txt", "hello\n"), r);
  EXPECT_NE(st.message().find("x.txt:1: cannot tell the format"), std::string::npos) << st.message();
  EXPECT_EQ(r, nullptr);
}

}  // namespace
}  // namespace airprox
