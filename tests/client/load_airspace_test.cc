// The synthetic airspace of `airprox load` through the real detector with the default config:
// the background traffic never conflicts, and every conflict pair gives exactly one STARTED event.
#include "client/load_airspace.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "server/app/config.h"
#include "server/core/detector.h"
#include "server/service/proto_convert.h"

namespace airprox::cli {
namespace {

struct Outcome {
  std::size_t accepted = 0, rejected = 0;
  std::vector<EncounterEvent> events;
};

// Every aircraft reports every `period_s` from its appearance until `duration_s`, in time order.
Outcome Fly(const SyntheticAirspace& airspace, double duration_s, double period_s) {
  Config config;
  EXPECT_TRUE(LoadConfig("", config).ok());
  Detector detector(config.detector);
  Outcome out;
  const std::int64_t epoch0_ms = 1700000000000;
  const auto& aircraft = airspace.aircraft();
  const auto n = static_cast<double>(aircraft.size());
  for (double t0 = 0; t0 < duration_s; t0 += period_s) {
    for (std::size_t i = 0; i < aircraft.size(); ++i) {
      const double t = t0 + period_s * static_cast<double>(i) / n;  // staggered, as a stream sends
      if (aircraft[i].appear_s > t) continue;
      const auto t_ms = epoch0_ms + static_cast<std::int64_t>(t * 1000);
      v1::Position pb;
      airspace.Report(i, static_cast<double>(t_ms - epoch0_ms) / 1000, t_ms, &pb);
      const Status st = detector.Ingest(FromProto(pb), out.events);
      st.ok() ? ++out.accepted : ++out.rejected;
      EXPECT_TRUE(st.ok()) << st.message();
    }
  }
  return out;
}

TEST(LoadAirspace, BackgroundIsConflictFreeAndEachPairStartsOnce) {
  AirspaceOptions o;
  o.aircraft = 3000;
  o.conflict_pairs = 7;
  o.km2_per_aircraft = 20;  // dense: 6.5 NM between neighbours on a level
  o.duration_s = 120;
  o.run_tag = 0xbeef;
  SyntheticAirspace airspace;
  ASSERT_EQ(SyntheticAirspace::Make(o, airspace), "");
  ASSERT_EQ(airspace.aircraft().size(), 3000u);
  EXPECT_GT(airspace.grid_nm(), SyntheticAirspace::kMinGridNm);
  std::set<std::string> ids;
  for (const auto& a : airspace.aircraft()) ids.insert(a.track_id);
  EXPECT_EQ(ids.size(), 3000u);
  EXPECT_EQ(airspace.aircraft()[0].track_id.substr(0, 4), "beef");

  const Outcome out = Fly(airspace, o.duration_s, 2.0);
  EXPECT_EQ(out.rejected, 0u);
  std::map<std::string, int> started;  // by pair of callsigns
  for (const EncounterEvent& e : out.events) {
    EXPECT_EQ(e.a.callsign.substr(0, 2), "CF") << e.a.callsign << " <> " << e.b.callsign;
    EXPECT_EQ(e.b.callsign.substr(0, 2), "CF") << e.a.callsign << " <> " << e.b.callsign;
    EXPECT_NE(e.kind, EncounterKind::kEnded) << e.encounter_id;
    if (e.kind == EncounterKind::kStarted) ++started[e.a.callsign + "/" + e.b.callsign];
  }
  EXPECT_EQ(started.size(), 7u);
  for (const auto& [pair, n] : started) {
    EXPECT_EQ(n, 1) << pair;
    EXPECT_EQ(pair.substr(0, pair.size() / 2 - 1), pair.substr(pair.size() / 2 + 1, pair.size() / 2 - 1))
        << "both of one pair: " << pair;
  }
}

TEST(LoadAirspace, RefusesWhatItCannotKeepConflictFree) {
  SyntheticAirspace a;
  AirspaceOptions o;
  o.km2_per_aircraft = 1;
  EXPECT_NE(SyntheticAirspace::Make(o, a).find("too dense"), std::string::npos);
  o = {};
  o.aircraft = 5;
  o.conflict_pairs = 3;
  EXPECT_NE(SyntheticAirspace::Make(o, a).find("3 conflict pairs need 6 aircraft"), std::string::npos);
  o = {};
  o.aircraft = 1000000;
  EXPECT_NE(SyntheticAirspace::Make(o, a).find("raise the density"), std::string::npos);
}

}  // namespace
}  // namespace airprox::cli
