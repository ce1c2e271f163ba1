#include "server/formats/aircraft_json.h"

#include <gtest/gtest.h>

#include "tests/formats/recording_files.h"

namespace airprox {
namespace {

using AircraftJson = testing::RecordingFiles;

// Made up, laid out as readsb writes it: one aircraft a line.
constexpr const char* kSnapshot = R"({ "now" : 1700000000.5,
  "messages" : 12345,
  "aircraft" : [
    {"hex":"4CA7B3","type":"adsb_icao","flight":"EIN123  ","alt_baro":10000,"alt_geom":10250,"gs":250.4,"track":270.5,"baro_rate":-640,"category":"A3","lat":53.25,"lon":-6.5,"nic":8,"seen_pos":0.3,"seen":0.1,"rssi":-20.5,"mlat":[],"tisb":[]},
    {"hex":"4ca123","flight":"RYR1AB  ","alt_baro":"ground","gs":12.0,"track":90,"lat":53.42,"lon":-6.27,"seen_pos":2.0},
    {"hex":"~2b3c4d","alt_baro":3000,"geom_rate":320,"lat":53.3,"lon":-6.3,"seen_pos":null,"nav_modes":["autopilot","tcas"],"acas_ra":{"lat":1}},
    {"hex":"400abc","flight":"BAW1","alt_baro":36000,"seen":1.2}
  ]
}
)";

TEST_F(AircraftJson, ReadsASnapshotPlainAndGzip) {
  for (bool gz : {false, true}) {
    std::unique_ptr<AircraftJsonReader> r;
    const auto all =
        testing::OpenAndRead(Write(gz ? "aircraft.json.gz" : "aircraft.json", kSnapshot, gz), r);
    EXPECT_TRUE(all.errors.empty()) << all.errors.front();
    EXPECT_TRUE(all.end.ok());
    ASSERT_EQ(all.records.size(), 3u);
    EXPECT_EQ(all.record_lines, (std::vector<std::size_t>{4, 5, 6}));
    const Position& a = all.records[0];
    EXPECT_EQ(a.track_id, "4ca7b3");
    EXPECT_EQ(a.callsign, "EIN123");
    EXPECT_EQ(a.time_s, 1700000000.2);  // now - seen_pos, to the millisecond
    EXPECT_EQ(a.lat_deg, 53.25);
    EXPECT_EQ(a.lon_deg, -6.5);
    EXPECT_EQ(a.alt_ft, 10000);
    EXPECT_EQ(a.on_ground, false);
    EXPECT_EQ(a.ground_speed_kt, 250.4);
    EXPECT_EQ(a.track_deg, 270.5);
    EXPECT_EQ(a.vertical_rate_fpm, -640);
    EXPECT_EQ(a.category, "A3");
    const Position& g = all.records[1];
    EXPECT_EQ(g.on_ground, true);
    EXPECT_FALSE(g.alt_ft);
    EXPECT_EQ(g.time_s, 1699999998.5);
    EXPECT_FALSE(g.vertical_rate_fpm);
    const Position& t = all.records[2];
    EXPECT_EQ(t.track_id, "~2b3c4d");
    EXPECT_EQ(t.time_s, 1700000000.5);  // no seen_pos: now
    EXPECT_EQ(t.vertical_rate_fpm, 320);  // geom_rate when there is no baro_rate
    EXPECT_TRUE(t.callsign.empty());
    EXPECT_EQ(r->skipped(), 1u);  // 400abc: no position
  }
}

TEST_F(AircraftJson, ReadsSnapshotsOneAfterTheOther) {
  const std::string path = Write(
      "rec.json",
      R"({"now":1700000001,"aircraft":[{"hex":"abc123","lat":1,"lon":2,"seen_pos":0.5}]})"
      "\n"
      R"({"now":1700000002,"aircraft":[{"hex":"abc123","lat":1.1,"lon":2,"seen_pos":0.5}]})"
      "  \n\n" +
          std::string(kSnapshot));
  std::unique_ptr<AircraftJsonReader> r;
  const auto all = testing::OpenAndRead(path, r);
  EXPECT_TRUE(all.errors.empty()) << all.errors.front();
  ASSERT_EQ(all.records.size(), 5u);
  EXPECT_EQ(all.records[0].time_s, 1700000000.5);
  EXPECT_EQ(all.records[1].time_s, 1700000001.5);
  EXPECT_EQ(all.records[2].track_id, "4ca7b3");
}

TEST_F(AircraftJson, BadAircraftNameTheirLineAndTheOthersAreRead) {
  const std::string path = Write("bad.json", R"({"now": 1700000000,
"aircraft": [
{"hex":"aaaaaa","lat":"53.1","lon":-6},
{"lat":53.1,"lon":-6},
{"hex":"bbbbbb","lat":53.1},
{"hex":"cccccc","lat":53.1,"lon":-6,"alt_baro":true},
{"hex":"dddddd","lat":53.1,"lon":-6,"gs":"fast"},
{"hex":"eeeeee","flight":42,"lat":53.1,"lon":-6},
[1, 2],
{"hex":"ffffff","lat":53.1,"lon":-6}
]}
)");
  std::unique_ptr<AircraftJsonReader> r;
  const auto all = testing::OpenAndRead(path, r);
  EXPECT_EQ(all.errors, (std::vector<std::string>{
                            path + ":3: aircraft 'aaaaaa': 'lat' is not a number",
                            path + ":4: aircraft: no 'hex'",
                            path + ":5: aircraft 'bbbbbb': 'lat' and 'lon' must both be given or both be absent",
                            path + ":6: aircraft 'cccccc': 'alt_baro' is neither a number nor \"ground\"",
                            path + ":7: aircraft 'dddddd': 'gs' is not a number",
                            path + ":8: aircraft 'eeeeee': 'flight' is not a string",
                            path + ":9: aircraft: an entry of 'aircraft' is not an object",
                        }));
  ASSERT_EQ(all.records.size(), 1u);
  EXPECT_EQ(all.records[0].track_id, "ffffff");
}

TEST_F(AircraftJson, ASnapshotWithoutNowOrAircraftIsOneError) {
  const std::string path = Write("s.json",
                                 "{\"aircraft\":[{\"hex\":\"abc123\",\"lat\":1,\"lon\":2}]}\n"
                                 "{\"now\":1700000000,\n\"aircraft\":{}}\n"
                                 "{\"now\":\"soon\",\"aircraft\":[]}\n"
                                 "{\"now\":1700000000}\n"
                                 "[1]\n"
                                 "{\"now\":1700000000,\"aircraft\":[{\"hex\":\"abc123\",\"lat\":1,\"lon\":2}]}\n");
  std::unique_ptr<AircraftJsonReader> r;
  const auto all = testing::OpenAndRead(path, r);
  EXPECT_EQ(all.errors, (std::vector<std::string>{
                            path + ":1: snapshot has no 'now' number",
                            path + ":3: 'aircraft' is not an array",
                            path + ":4: 'now' is not a number",
                            path + ":5: snapshot has no 'aircraft' array",
                            path + ":6: a snapshot must be a JSON object",
                        }));
  ASSERT_EQ(all.records.size(), 1u);
  EXPECT_EQ(r->line_number(), 7u);
}

TEST_F(AircraftJson, AfterASyntaxErrorReadingGoesOnWithTheNextSnapshot) {
  const std::string path = Write("broken.json",
                                 "{\"now\":1700000000,\"aircraft\":[\n"
                                 "{\"hex\":\"abc123\",\"lat\":1,\"lon\":2},\n"
                                 "{\"hex\":\"abc124\",\"lat\":1,\"lon\":2 oops},\n"
                                 "{\"hex\":\"abc125\",\"lat\":1,\"lon\":2},\n"
                                 "{\"hex\":\"abc126\",\"lat\":1,\"lon\":2}]}\n"
                                 "{\"now\":1700000001,\"aircraft\":[{\"hex\":\"abc127\",\"lat\":1,\"lon\":2}]}\n"
                                 "{\"now\":1700000002,\"aircraft\":[{\"hex\":\"abc128\",\"lat\":1,\"lon\":2}]");
  std::unique_ptr<AircraftJsonReader> r;
  const auto all = testing::OpenAndRead(path, r);
  ASSERT_EQ(all.errors.size(), 2u);
  EXPECT_EQ(all.errors[0].rfind(path + ":3: JSON: syntax error while parsing object", 0), 0u) << all.errors[0];
  EXPECT_EQ(all.errors[1].rfind(path + ":7: JSON: syntax error", 0), 0u) << all.errors[1];
  ASSERT_EQ(all.records.size(), 1u);  // the broken snapshot is lost whole, the next one is read
  EXPECT_EQ(all.records[0].track_id, "abc127");
}

TEST_F(AircraftJson, EmptyFileHasNoRecordsAndNoErrors) {
  std::unique_ptr<AircraftJsonReader> r;
  const auto all = testing::OpenAndRead(Write("e.json", "\n  \n"), r);
  EXPECT_TRUE(all.records.empty());
  EXPECT_TRUE(all.errors.empty());
  EXPECT_TRUE(all.end.ok());
}

TEST_F(AircraftJson, MissingFileIsAClearError) {
  std::unique_ptr<AircraftJsonReader> r;
  const Status st = AircraftJsonReader::Open((dir_ / "nope.json").string(), r);
  EXPECT_NE(st.message().find("nope.json: cannot open"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace airprox
