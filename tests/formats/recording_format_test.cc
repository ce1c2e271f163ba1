#include "server/formats/recording_format.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/formats/recording_files.h"

namespace airprox {
namespace {

using Sniffing = testing::RecordingFiles;

TEST_F(Sniffing, TellsEveryFormatFromItsFirstNonEmptyLine) {
  const std::vector<std::pair<std::string, RecordingFormat>> cases = {
      {"time_s,track_id,callsign,lat_deg,lon_deg,alt_ft,gs_kt,track_deg,vrate_fpm,on_ground\n1,a,,1,2,,,,,\n",
       RecordingFormat::kCanonicalCsv},
      {"track_id,lat_deg,lon_deg,time_s\n", RecordingFormat::kCanonicalCsv},
      {"time,icao24,lat,lon,velocity,heading,vertrate,callsign,onground,alert,spi,squawk,"
       "baroaltitude,geoaltitude,lastposupdate,lastcontact\n",
       RecordingFormat::kOpenSkyCsv},
      {"\n\nMSG,3,1,1,ABC123,1,2017/12/01,12:00:00.000,2017/12/01,12:00:00.000,,,,,1,2,,,,,,\n",
       RecordingFormat::kSbs},
      {"STA,,5,179,400AE7,10103,2008/11/28,14:58:51.153,2008/11/28,14:58:51.153,RM\n", RecordingFormat::kSbs},
      {R"({"trackId":"abc","time":"2020-01-01T00:00:00Z","latDeg":1,"lonDeg":2})" "\n", RecordingFormat::kJsonLines},
      {"  {}\n", RecordingFormat::kJsonLines},
      {"{ \"now\" : 1700000000.5,\n  \"aircraft\" : [\n]}\n", RecordingFormat::kAircraftJson},
      {"{\n  \"now\": 1700000000.5,\n  \"aircraft\": []\n}\n", RecordingFormat::kAircraftJson},
      {R"({"now":1700000000.5,"messages":1,"aircraft":[{"hex":"abc123"}]})" "\n", RecordingFormat::kAircraftJson},
      {R"({"aircraft":[)" "\n]}\n", RecordingFormat::kAircraftJson},
  };
  int n = 0;
  for (const auto& [text, expected] : cases) {
    for (bool gz : {false, true}) {
      std::string name = std::to_string(n++);
      name += gz ? ".gz" : ".txt";
      const std::string path = Write(name, text, gz);
      RecordingFormat format{};
      const Status st = DetectFormat(path, format);
      ASSERT_TRUE(st.ok()) << text << st.message();
      EXPECT_EQ(format, expected) << text << " detected as " << FormatName(format);
    }
  }
}

TEST_F(Sniffing, AnUnknownFormatIsAClearError) {
  RecordingFormat format{};
  std::string path = Write("u.txt", "\n  \nhello,world\n");
  Status st = DetectFormat(path, format);
  EXPECT_EQ(st.message(), path + ":3: cannot tell the format from 'hello,world': expected a "
                                 "canonical CSV header (time_s,track_id,...), an OpenSky header "
                                 "(time,icao24,...), an SBS line (MSG,...), a JSON line of a "
                                 "position or an aircraft.json snapshot; name the format instead");
  path = Write("long.txt", std::string(100, 'y'));
  st = DetectFormat(path, format);
  EXPECT_NE(st.message().find("'" + std::string(60, 'y') + "'...: expected"), std::string::npos) << st.message();
  path = Write("broken.json", "{\"trackId\":\"abc\",\n");
  EXPECT_FALSE(DetectFormat(path, format).ok());
  path = Write("empty.csv", "\n\n");
  EXPECT_EQ(DetectFormat(path, format).message(), path + ": empty file, cannot tell its format");
  st = DetectFormat((dir_ / "nope").string(), format);
  EXPECT_NE(st.message().find("nope: cannot open"), std::string::npos) << st.message();
}

TEST(RecordingFormatNames, AreTheCliFormatValues) {
  for (auto f : {RecordingFormat::kCanonicalCsv, RecordingFormat::kOpenSkyCsv, RecordingFormat::kSbs,
                 RecordingFormat::kJsonLines, RecordingFormat::kAircraftJson}) {
    std::optional<RecordingFormat> parsed;
    ASSERT_TRUE(ParseFormatName(FormatName(f), parsed).ok()) << FormatName(f);
    EXPECT_EQ(parsed, f);
  }
  EXPECT_EQ(FormatName(RecordingFormat::kCanonicalCsv), "csv");
  EXPECT_EQ(FormatName(RecordingFormat::kOpenSkyCsv), "opensky");
  EXPECT_EQ(FormatName(RecordingFormat::kSbs), "sbs");
  EXPECT_EQ(FormatName(RecordingFormat::kJsonLines), "jsonl");
  EXPECT_EQ(FormatName(RecordingFormat::kAircraftJson), "aircraft-json");
  std::optional<RecordingFormat> parsed = RecordingFormat::kSbs;
  EXPECT_TRUE(ParseFormatName("auto", parsed).ok());
  EXPECT_FALSE(parsed);
  EXPECT_EQ(ParseFormatName("kml", parsed).message(),
            "unknown format 'kml': expected auto, csv, opensky, sbs, jsonl or aircraft-json");
}

TEST(RecordingFormatDetection, TellsTheShippedAndSharedRecordings) {
  std::vector<std::pair<std::string, RecordingFormat>> files = {
      {AIRPROX_TEST_DATA_DIR "/formation_afr787v_tbm900_excerpt.csv.gz", RecordingFormat::kCanonicalCsv},
      {AIRPROX_TEST_DATA_DIR "/formation_afr787v_tbm900_excerpt.sbs.gz", RecordingFormat::kSbs},
  };
  if (const char* shared = std::getenv("AIRPROX_SHARED_DATA")) {
    for (const auto& entry : std::filesystem::directory_iterator(shared)) {
      const std::string name = entry.path().filename().string();
      if (name.ends_with(".opensky.csv.gz")) files.emplace_back(entry.path(), RecordingFormat::kOpenSkyCsv);
      else if (name.ends_with(".csv.gz")) files.emplace_back(entry.path(), RecordingFormat::kCanonicalCsv);
      else if (name.ends_with(".sbs.gz")) files.emplace_back(entry.path(), RecordingFormat::kSbs);
    }
  }
  for (const auto& [path, expected] : files) {
    RecordingFormat format{};
    ASSERT_TRUE(DetectFormat(path, format).ok()) << path;
    EXPECT_EQ(format, expected) << path;
  }
}

}  // namespace
}  // namespace airprox
