#include "server/formats/json_lines.h"

#include <gtest/gtest.h>

#include "tests/formats/recording_files.h"

namespace airprox {
namespace {

using JsonLines = testing::RecordingFiles;

TEST_F(JsonLines, ReadsPositionsInProtobufsJsonMappingPlainAndGzip) {
  const std::string text =
      R"({"trackId":"39c424","callsign":"AFR787V","time":"2017-12-01T12:47:57.500Z","latDeg":48.998215,)"
      R"("lonDeg":2.6093473,"altFt":1300,"groundSpeedKt":148,"trackDeg":86,"verticalRateFpm":-2346,)"
      R"("onGround":false,"category":"A5"})"
      "\n\n"
      R"({"track_id":"3900fb","time":"2017-12-01T12:47:58Z","lat_deg":0,"lon_deg":-2.5,"on_ground":true})"
      "\r\n";
  for (bool gz : {false, true}) {
    std::unique_ptr<JsonLinesReader> r;
    const auto all = testing::OpenAndRead(Write(gz ? "p.jsonl.gz" : "p.jsonl", text, gz), r);
    EXPECT_TRUE(all.errors.empty()) << all.errors.front();
    EXPECT_TRUE(all.end.ok());
    ASSERT_EQ(all.records.size(), 2u);
    EXPECT_EQ(all.record_lines, (std::vector<std::size_t>{1, 3}));
    const Position& p = all.records[0];
    EXPECT_EQ(p.track_id, "39c424");
    EXPECT_EQ(p.callsign, "AFR787V");
    EXPECT_EQ(p.time_s, 1512132477.5);
    EXPECT_EQ(p.lat_deg, 48.998215);
    EXPECT_EQ(p.lon_deg, 2.6093473);
    EXPECT_EQ(p.alt_ft, 1300);
    EXPECT_EQ(p.ground_speed_kt, 148);
    EXPECT_EQ(p.track_deg, 86);
    EXPECT_EQ(p.vertical_rate_fpm, -2346);
    EXPECT_EQ(p.on_ground, false);
    EXPECT_EQ(p.category, "A5");
    const Position& q = all.records[1];
    EXPECT_EQ(q.track_id, "3900fb");
    EXPECT_EQ(q.time_s, 1512132478);
    EXPECT_EQ(q.lat_deg, 0);
    EXPECT_EQ(q.lon_deg, -2.5);
    EXPECT_FALSE(q.alt_ft || q.ground_speed_kt || q.track_deg || q.vertical_rate_fpm);
    EXPECT_EQ(q.on_ground, true);
  }
}

TEST_F(JsonLines, BadLinesNameFileAndLineAndReadingGoesOn) {
  const std::string path = Write(
      "bad.jsonl",
      "{\"trackId\":\"abc\",\"time\":\"2020-01-01T00:00:00Z\",\"latDeg\":1,\"lonDeg\":2\n"   // 1
      "{\"trackId\":\"abc\",\"time\":\"2020-01-01T00:00:00Z\",\"latDegs\":1,\"lonDeg\":2}\n"  // 2
      "{\"trackId\":\"abc\",\"time\":\"2020-01-01T00:00:00Z\",\"latDeg\":true}\n"             // 3
      "{\"trackId\":\"abc\",\"time\":\"yesterday\"}\n"                                        // 4
      "{\"trackId\":\"abc\",\"latDeg\":1,\"lonDeg\":2}\n"                                     // 5
      "{\"time\":\"2020-01-01T00:00:00Z\",\"latDeg\":1,\"lonDeg\":2}\n"                       // 6
      "{\"trackId\":\"" + std::string(70000, 'x') + "\"}\n"                                   // 7
      "[1,2]\n"                                                                               // 8
      "{\"trackId\":\"abc\",\"time\":\"2020-01-01T00:00:01Z\",\"latDeg\":1,\"lonDeg\":2}\n");  // 9
  std::unique_ptr<JsonLinesReader> r;
  const auto all = testing::OpenAndRead(path, r);
  ASSERT_EQ(all.errors.size(), 8u);
  const std::string not_a_position = ": not an airprox.v1.Position in JSON: ";
  for (int line : {1, 2, 3, 4, 8}) {
    const std::string& e = all.errors[line <= 4 ? line - 1 : 7];
    EXPECT_EQ(e.rfind(path + ":" + std::to_string(line) + not_a_position, 0), 0u) << e;
  }
  EXPECT_NE(all.errors[1].find("latDegs"), std::string::npos) << all.errors[1];
  EXPECT_EQ(all.errors[4], path + ":5: time is missing");
  EXPECT_EQ(all.errors[5], path + ":6: trackId is missing");
  EXPECT_EQ(all.errors[6], path + ":7: line is longer than 65536 bytes");
  ASSERT_EQ(all.records.size(), 1u);
  EXPECT_EQ(all.records[0].time_s, 1577836801);
}

}  // namespace
}  // namespace airprox
