#include "server/formats/sbs_reader.h"

#include <gtest/gtest.h>

#include <map>

#include "server/formats/canonical_csv.h"
#include "tests/formats/recording_files.h"

namespace airprox {
namespace {

using SbsFile = testing::RecordingFiles;

TEST_F(SbsFile, ReadsPlainAndGzipAndBadLinesNameFileAndLine) {
  const std::string text =
      "MSG,1,1,1,39C424,1,2017/12/01,12:47:57.000,2017/12/01,12:47:57.000,AFR787V,,,,,,,,,,,0\r\n"
      "MSG,4,1,1,39C424,1,2017/12/01,12:47:57.000,2017/12/01,12:47:57.000,,,148,86,,,2346,,0,,,0\r\n"
      "MSG,3,1,1,39C424,1,2017/12/01,12:47:58.000,2017/12/01,12:47:58.000,,1337,,,48.99825\r\n"
      "\r\n"
      "MSG,3,1,1,39C424,1,2017/12/01,12:47:58.000,2017/12/01,12:47:58.000,,1337,,,48.99825,2.61035,,,0,0,0,0\r\n" +
      std::string(100000, 'x') + "\n"
      "MSG,3,1,1,39C424,1,2017/12/01,12:47:59.000,2017/12/01,12:47:59.000,,1375,,,48.99828,2.61134,,,0,0,0,0\n";
  for (bool gz : {false, true}) {
    std::unique_ptr<SbsReader> r;
    const std::string path = Write(gz ? "a.sbs.gz" : "a.sbs", text, gz);
    const auto all = testing::OpenAndRead(path, r);
    EXPECT_EQ(all.errors, (std::vector<std::string>{path + ":3: 15 fields, an SBS MSG line has 22",
                                                    path + ":6: line is longer than 512 bytes"}));
    ASSERT_EQ(all.records.size(), 2u);
    const Position& p = all.records[0];
    EXPECT_EQ(p.track_id, "39c424");
    EXPECT_EQ(p.callsign, "AFR787V");
    EXPECT_EQ(p.time_s, 1512132478);
    EXPECT_EQ(p.lat_deg, 48.99825);
    EXPECT_EQ(p.lon_deg, 2.61035);
    EXPECT_EQ(p.alt_ft, 1337);
    EXPECT_EQ(p.ground_speed_kt, 148);
    EXPECT_EQ(p.track_deg, 86);
    EXPECT_EQ(p.vertical_rate_fpm, 2346);
    EXPECT_EQ(all.records[1].time_s, 1512132479);
    EXPECT_TRUE(all.end.ok());
    EXPECT_EQ(r->line_number(), 7u);
  }
}

TEST_F(SbsFile, MissingFileIsAClearError) {
  std::unique_ptr<SbsReader> r;
  const Status st = SbsReader::Open((dir_ / "nope.sbs").string(), r);
  EXPECT_NE(st.message().find("nope.sbs: cannot open"), std::string::npos) << st.message();
}

// The SBS and canonical CSV renditions of one recording must give the same tracks: the same
// times, positions (SBS writes 5 decimals), altitudes and callsigns (once SBS has sent one). The
// velocity an SBS position carries is that of the MSG,4 before it, which in these files is the
// previous second's, so it must equal the CSV's velocity one record earlier (rounded: the SBS
// rendition writes whole feet, knots, degrees and feet per minute).
void ExpectSameTracks(const std::string& sbs_path, const std::string& csv_path) {
  std::unique_ptr<SbsReader> sbs;
  const auto from_sbs = testing::OpenAndRead(sbs_path, sbs);
  std::unique_ptr<CanonicalCsvReader> csv;
  ASSERT_TRUE(CanonicalCsvReader::Open(csv_path, csv).ok());
  const auto from_csv = testing::ReadEverything(*csv);
  ASSERT_TRUE(from_sbs.errors.empty()) << from_sbs.errors.front();
  ASSERT_TRUE(from_csv.errors.empty()) << from_csv.errors.front();
  ASSERT_EQ(from_sbs.records.size(), from_csv.records.size());

  std::map<std::string, std::vector<const Position*>> sbs_tracks, csv_tracks;
  for (const auto& p : from_sbs.records) sbs_tracks[p.track_id].push_back(&p);
  for (const auto& p : from_csv.records) csv_tracks[p.track_id].push_back(&p);
  ASSERT_EQ(sbs_tracks.size(), csv_tracks.size());
  for (const auto& [id, csv_track] : csv_tracks) {
    const auto& sbs_track = sbs_tracks[id];
    ASSERT_EQ(sbs_track.size(), csv_track.size()) << id;
    bool callsign_seen = false;
    for (std::size_t i = 0; i < csv_track.size(); ++i) {
      const Position& s = *sbs_track[i];
      const Position& c = *csv_track[i];
      ASSERT_EQ(s.time_s, c.time_s) << id << " #" << i;
      ASSERT_NEAR(s.lat_deg, c.lat_deg, 0.5e-5 + 1e-9) << id << " #" << i;
      ASSERT_NEAR(s.lon_deg, c.lon_deg, 0.5e-5 + 1e-9) << id << " #" << i;
      ASSERT_TRUE(s.alt_ft && c.alt_ft) << id << " #" << i;
      ASSERT_NEAR(*s.alt_ft, *c.alt_ft, 0.5) << id << " #" << i;
      ASSERT_EQ(s.on_ground.value_or(false), c.on_ground.value_or(false)) << id << " #" << i;
      callsign_seen = callsign_seen || !s.callsign.empty();
      if (callsign_seen) {
        ASSERT_EQ(s.callsign, c.callsign) << id << " #" << i;
      }
      if (i == 0) {
        EXPECT_FALSE(s.ground_speed_kt || s.track_deg || s.vertical_rate_fpm) << id;
        continue;
      }
      const Position& before = *csv_track[i - 1];
      for (auto field : {&Position::ground_speed_kt, &Position::track_deg, &Position::vertical_rate_fpm}) {
        ASSERT_EQ((s.*field).has_value(), (before.*field).has_value()) << id << " #" << i;
        ASSERT_NEAR(*(s.*field), *(before.*field), 0.5) << id << " #" << i;
      }
    }
    EXPECT_TRUE(callsign_seen) << id;
  }
}

TEST_F(SbsFile, ShippedFormationExcerptGivesTheTracksOfItsCanonicalCsv) {
  ExpectSameTracks(AIRPROX_TEST_DATA_DIR "/formation_afr787v_tbm900_excerpt.sbs.gz",
                   AIRPROX_TEST_DATA_DIR "/formation_afr787v_tbm900_excerpt.csv.gz");
}

TEST_F(SbsFile, SharedFormationRecordingGivesTheTracksOfItsCanonicalCsv) {
  const std::string sbs = testing::SharedRecording("formation_afr787v_tbm900_20171201.sbs.gz");
  const std::string csv = testing::SharedRecording("formation_afr787v_tbm900_20171201.csv.gz");
  if (sbs.empty() || csv.empty()) GTEST_SKIP() << "AIRPROX_SHARED_DATA is not set";
  ExpectSameTracks(sbs, csv);
}

}  // namespace
}  // namespace airprox
