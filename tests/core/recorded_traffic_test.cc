// The detector against real recorded traffic (independent references nobody here wrote): the MIT
// excerpts in tests/data always, the whole recordings of the project's shared folder when
// AIRPROX_SHARED_DATA names it (scripts/test.sh does), skipped otherwise.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "server/core/detector.h"
#include "server/formats/canonical_csv.h"
#include "server/formats/opensky_csv.h"
#include "tests/core/detector_fixture.h"

namespace airprox {
namespace {

const std::string kData = AIRPROX_TEST_DATA_DIR;

DetectorOptions Defaults() {
  DetectorOptions o;  // the defaults of configs/airprox.yaml (tests/app/config_test.cc checks it)
  o.rules = testing::DefaultRules();
  return o;
}

// Canonical CSV, or OpenSky's state-vector CSV for names ending in .opensky.csv.gz.
std::vector<EncounterEvent> Replay(const std::string& path, const DetectorOptions& options) {
  std::unique_ptr<RecordingReader> reader;
  Status st;
  if (path.ends_with(".opensky.csv.gz")) {
    std::unique_ptr<OpenSkyCsvReader> opensky;
    st = OpenSkyCsvReader::Open(path, opensky);
    reader = std::move(opensky);
  } else {
    std::unique_ptr<CanonicalCsvReader> canonical;
    st = CanonicalCsvReader::Open(path, canonical);
    reader = std::move(canonical);
  }
  EXPECT_TRUE(st.ok()) << st.message();
  std::vector<EncounterEvent> events;
  if (!st.ok()) return events;
  Detector d(options);
  Position p;
  Status err;
  while (reader->Read(p, err) != RecordingReader::Next::kEnd) (void)d.Ingest(p, events);
  d.EndAll("end_of_recording", events);
  return events;
}

std::string SharedFile(const char* name) {
  const char* dir = std::getenv("AIRPROX_SHARED_DATA");
  if (dir == nullptr) return {};
  const auto path = std::filesystem::path(dir) / name;
  return std::filesystem::exists(path) ? path.string() : std::string();
}

using PairKey = std::pair<std::string, std::string>;
PairKey Pair(const EncounterEvent& e) { return {e.a.track_id, e.b.track_id}; }

// Seconds between an ENDED and the next STARTED of the same pair, for every pair that restarts.
std::vector<double> RestartGaps(const std::vector<EncounterEvent>& events) {
  std::map<PairKey, double> ended;
  std::vector<double> gaps;
  for (const auto& e : events) {
    if (e.kind == EncounterKind::kEnded) ended[Pair(e)] = e.time_s;
    if (e.kind == EncounterKind::kStarted && ended.count(Pair(e))) {
      gaps.push_back(e.time_s - ended[Pair(e)]);
    }
  }
  return gaps;
}

void ExpectFormationEncounter(const std::vector<EncounterEvent>& events) {
  // The closest approach of the whole flight: 0.0026 NM (about 5 m), 15:08:45 UTC.
  const EncounterEvent* closest = nullptr;
  for (const auto& e : events) {
    EXPECT_EQ(Pair(e), (PairKey{"3900fb", "39c424"}));
    if (e.kind == EncounterKind::kEnded && (!closest || e.closest.horizontal_nm < closest->closest.horizontal_nm)) {
      closest = &e;
    }
  }
  ASSERT_NE(closest, nullptr);
  EXPECT_NEAR(closest->closest.horizontal_nm, 0.003, 0.001);
  EXPECT_NEAR(closest->closest.time_s, 1512140925.0, 2.0);  // 2017-12-01T15:08:45Z
  EXPECT_EQ(closest->max_severity, Severity::kAlert);
  // That encounter ran from before the first close pass to after the last, unbroken.
  EXPECT_LE(closest->start_time_s, 1512140891.0);  // first report within 500 ft / 100 ft
  EXPECT_GE(closest->time_s, 1512141547.0);        // last one
  EXPECT_NEAR(closest->closest.a_lat_deg, closest->closest.b_lat_deg, 0.001);
}

TEST(RecordedTraffic, FormationExcerptIsOneEncounterWithTheClosestApproach) {
  const auto events = Replay(kData + "/formation_afr787v_tbm900_excerpt.csv.gz", Defaults());
  int started = 0;
  for (const auto& e : events) started += e.kind == EncounterKind::kStarted;
  EXPECT_EQ(started, 1);
  ExpectFormationEncounter(events);
}

TEST(RecordedTraffic, SwissHourIsSteadyNeverFlapping) {
  const auto events = Replay(kData + "/ch_switzerland_20180801_11h_excerpt.csv.gz", Defaults());
  std::map<PairKey, int> started, updates;
  for (const auto& e : events) {
    if (e.kind == EncounterKind::kStarted) ++started[Pair(e)];
    if (e.kind == EncounterKind::kUpdated) ++updates[Pair(e)];
  }
  EXPECT_GT(started.size(), 10u) << "the busiest hour has encounters";
  for (const auto& [pair, n] : started) {
    EXPECT_EQ(n, 1) << pair.first << "-" << pair.second << " restarted within the hour";
  }
  for (const auto& [pair, n] : updates) {
    EXPECT_LE(n, 3) << pair.first << "-" << pair.second << " changed severity " << n << " times";
  }
}

TEST(RecordedTraffic, InterpolatingBetweenFixesFindsLossesSamplingMisses) {
  DetectorOptions sampled = Defaults();
  sampled.max_interpolation_s = 0;
  const std::string swiss = kData + "/ch_switzerland_20180801_11h_excerpt.csv.gz";
  auto losses = [](const std::vector<EncounterEvent>& events) {
    std::set<PairKey> out;
    for (const auto& e : events) {
      if (e.severity >= Severity::kWarning) out.insert(Pair(e));
    }
    return out;
  };
  const auto with = losses(Replay(swiss, Defaults()));
  const auto without = losses(Replay(swiss, sampled));
  for (const auto& p : without) EXPECT_TRUE(with.count(p)) << p.first << "-" << p.second;
  EXPECT_GT(with.size(), without.size());
}

TEST(RecordedTraffic, CalFireTankerPairsAreFound) {
  DetectorOptions o = Defaults();
  o.stale_after_s = 180;  // a sparse feed: fixes about 30 s apart
  const auto events = Replay(kData + "/calfire_firefighting_20200908_excerpt.csv.gz", o);
  std::map<PairKey, Severity> pairs;
  for (const auto& e : events) pairs[Pair(e)] = std::max(pairs[Pair(e)], e.max_severity);
  EXPECT_GE(pairs.size(), 10u);
  // Air tanker T71 and lead plane N427DF working the same fire.
  const PairKey tanker_and_lead{"a515f1", "a52add"};
  ASSERT_TRUE(pairs.count(tanker_and_lead));
  EXPECT_GE(pairs[tanker_and_lead], Severity::kWarning);
}

// Pair certificates (the detector's default) against the detector without them on real traffic,
// which turns, climbs, reports unevenly and out of order across aircraft: the very same events.
void ExpectCertificatesChangeNothing(const std::string& path, DetectorOptions o) {
  const auto with = Replay(path, o);
  o.certificates = false;
  const auto without = Replay(path, o);
  ASSERT_EQ(with.size(), without.size()) << path;
  EXPECT_FALSE(with.empty()) << path << ": a recording with encounters";
  for (std::size_t i = 0; i < with.size(); ++i) {
    EXPECT_EQ(with[i].encounter_id, without[i].encounter_id) << path << " event " << i;
    EXPECT_EQ(with[i].kind, without[i].kind) << path << " event " << i;
    EXPECT_EQ(with[i].rule, without[i].rule) << path << " event " << i;
    EXPECT_EQ(with[i].time_s, without[i].time_s) << path << " event " << i;
    EXPECT_EQ(with[i].closest.horizontal_nm, without[i].closest.horizontal_nm) << path << " " << i;
  }
}

TEST(RecordedTraffic, CertificatesChangeNothingOnTheExcerpts) {
  ExpectCertificatesChangeNothing(kData + "/formation_afr787v_tbm900_excerpt.csv.gz", Defaults());
  ExpectCertificatesChangeNothing(kData + "/ch_switzerland_20180801_11h_excerpt.csv.gz", Defaults());
  DetectorOptions sparse = Defaults();
  sparse.stale_after_s = 180;
  ExpectCertificatesChangeNothing(kData + "/calfire_firefighting_20200908_excerpt.csv.gz", sparse);
}

TEST(RecordedTraffic, SharedCertificatesChangeNothingOnTheWholeRecordings) {
  // Switzerland for a day, the formation flight, CAL FIRE's tankers for a week (sparse), and busy
  // US airspace (New York to Washington, up to 394 aircraft at once; Washington's terminal area).
  bool any = false;
  for (const char* name : {"ch_switzerland_20180801.csv.gz", "formation_afr787v_tbm900_20171201.csv.gz",
                           "calfire_firefighting_20200908_14.csv.gz", "us_northeast_20230317.opensky.csv.gz",
                           "us_dcmetro_20230318.opensky.csv.gz"}) {
    const std::string path = SharedFile(name);
    if (path.empty()) continue;
    any = true;
    DetectorOptions o = Defaults();
    if (std::string(name).starts_with("calfire")) o.stale_after_s = 180;  // fixes about 30 s apart
    ExpectCertificatesChangeNothing(path, o);
  }
  if (!any) GTEST_SKIP() << "AIRPROX_SHARED_DATA is not set or has none of the recordings";
}

TEST(RecordedTraffic, SharedFormationFlightWhole) {
  const std::string path = SharedFile("formation_afr787v_tbm900_20171201.csv.gz");
  if (path.empty()) GTEST_SKIP() << "AIRPROX_SHARED_DATA is not set or has no formation recording";
  const auto events = Replay(path, Defaults());
  ExpectFormationEncounter(events);
  // The aircraft part (8 NM, over a minute) and rejoin once before the close formation: two
  // episodes are right there, but an alert must never go off and on again within 30 s.
  for (double gap : RestartGaps(events)) EXPECT_GE(gap, 30.0) << "restarted right after ending";
}

TEST(RecordedTraffic, SharedSwissDayNeverFlaps) {
  const std::string path = SharedFile("ch_switzerland_20180801.csv.gz");
  if (path.empty()) GTEST_SKIP() << "AIRPROX_SHARED_DATA is not set or has no Swiss recording";
  const auto events = Replay(path, Defaults());
  EXPECT_GT(events.size(), 100u);
  for (double gap : RestartGaps(events)) EXPECT_GE(gap, 600.0) << "same pair restarted";
}

}  // namespace
}  // namespace airprox
