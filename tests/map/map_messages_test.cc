#include "server/map/map_messages.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace airprox {
namespace {

using nlohmann::json;

Position Track(std::string id, std::string callsign, double lat, double lon) {
  Position p;
  p.track_id = std::move(id);
  p.callsign = std::move(callsign);
  p.time_s = 1512141700;
  p.lat_deg = lat;
  p.lon_deg = lon;
  return p;
}

EncounterEvent Event(EncounterKind kind) {
  EncounterEvent e;
  e.sequence = 7;
  e.encounter_id = "3900fb-39c424-1512140527000";
  e.kind = kind;
  e.severity = Severity::kWarning;
  e.max_severity = Severity::kAlert;
  e.rule = "loss-of-separation";
  e.time_s = 1512141609;
  e.a = Track("3900fb", "FWKDL", 43.45, 3.04);
  e.b = Track("39c424", "AFR787V", 43.46, 3.05);
  e.a.alt_ft = 11000;
  e.horizontal_nm = 0.867;
  e.vertical_ft = 1000;
  e.time_to_cpa_s = 12.5;
  e.cpa_horizontal_nm = 0.5;
  e.cpa_vertical_ft = 900;
  e.closest = {0.003, 76, 1512140925, 43.1, 3.1, 43.2, 3.2};
  e.start_time_s = 1512140527;
  e.duration_s = 1082;
  if (kind == EncounterKind::kEnded) e.end_reason = "track_dropped";
  return e;
}

TEST(MapMessages, TracksSnapshotCarriesEveryTrackTheActiveEncountersAndTheCounts) {
  MapSnapshot s;
  s.time_s = 1512141700;
  s.tracks = {Track("39c424", "AFR787V", 43.548, 3.150), Track("3900fb", "", 43.5, 3.1)};
  s.tracks[0].alt_ft = 10000;
  s.tracks[0].track_deg = 32;
  s.tracks[0].ground_speed_kt = 257;
  s.tracks[0].vertical_rate_fpm = -191;
  s.tracks[1].on_ground = true;
  s.encounters = {Event(EncounterKind::kUpdated)};
  s.counts = {2, 1, 3, 4};
  const json j = json::parse(EncodeMapSnapshot(s));
  EXPECT_EQ(j["type"], "tracks");
  EXPECT_EQ(j["time_s"], 1512141700.0);
  ASSERT_EQ(j["tracks"].size(), 2u);
  const json& a = j["tracks"][0];
  EXPECT_EQ(a["id"], "39c424");
  EXPECT_EQ(a["callsign"], "AFR787V");
  EXPECT_DOUBLE_EQ(a["lat_deg"].get<double>(), 43.548);
  EXPECT_DOUBLE_EQ(a["lon_deg"].get<double>(), 3.150);
  EXPECT_EQ(a["alt_ft"], 10000.0);
  EXPECT_EQ(a["track_deg"], 32.0);
  EXPECT_EQ(a["ground_speed_kt"], 257.0);
  EXPECT_EQ(a["vertical_rate_fpm"], -191.0);
  EXPECT_EQ(a["on_ground"], false);
  // Unknown values are null, not zero.
  const json& b = j["tracks"][1];
  EXPECT_TRUE(b["alt_ft"].is_null());
  EXPECT_TRUE(b["track_deg"].is_null());
  EXPECT_EQ(b["callsign"], "");
  EXPECT_EQ(b["on_ground"], true);
  ASSERT_EQ(j["encounters"].size(), 1u);
  EXPECT_EQ(j["encounters"][0]["id"], "3900fb-39c424-1512140527000");
  EXPECT_EQ(j["counts"], json({{"tracks", 2}, {"encounters", 1}, {"subscribers", 3}, {"map_clients", 4}}));
}

TEST(MapMessages, EventCarriesThePairTheSeparationAndTheClosestApproach) {
  const json j = json::parse(EncodeMapEvent(Event(EncounterKind::kEnded)));
  EXPECT_EQ(j["type"], "event");
  const json& e = j["event"];
  EXPECT_EQ(e["sequence"], 7);
  EXPECT_EQ(e["kind"], "ENDED");
  EXPECT_EQ(e["severity"], "WARNING");
  EXPECT_EQ(e["max_severity"], "ALERT");
  EXPECT_EQ(e["rule"], "loss-of-separation");
  EXPECT_EQ(e["time_s"], 1512141609.0);
  EXPECT_EQ(e["a"]["id"], "3900fb");
  EXPECT_EQ(e["a"]["alt_ft"], 11000.0);
  EXPECT_EQ(e["b"]["callsign"], "AFR787V");
  EXPECT_DOUBLE_EQ(e["horizontal_nm"].get<double>(), 0.867);
  EXPECT_EQ(e["vertical_ft"], 1000.0);
  EXPECT_EQ(e["time_to_cpa_s"], 12.5);
  EXPECT_EQ(e["cpa_horizontal_nm"], 0.5);
  EXPECT_EQ(e["cpa_vertical_ft"], 900.0);
  EXPECT_DOUBLE_EQ(e["closest"]["horizontal_nm"].get<double>(), 0.003);
  EXPECT_EQ(e["closest"]["vertical_ft"], 76.0);
  EXPECT_EQ(e["closest"]["time_s"], 1512140925.0);
  EXPECT_EQ(e["closest"]["b_lon_deg"], 3.2);
  EXPECT_EQ(e["start_time_s"], 1512140527.0);
  EXPECT_EQ(e["duration_s"], 1082.0);
  EXPECT_EQ(e["end_reason"], "track_dropped");
  EXPECT_EQ(json::parse(EncodeMapEvent(Event(EncounterKind::kStarted)))["event"]["kind"], "STARTED");
}

TEST(MapMessages, HelloCarriesTheTileUrlTheRateAndTheHistory) {
  MapHello h{"https://tiles.example.org/{z}/{x}/{y}.png", 2, {Event(EncounterKind::kEnded)}};
  const json j = json::parse(EncodeMapHello(h));
  EXPECT_EQ(j["type"], "hello");
  EXPECT_EQ(j["tile_url"], "https://tiles.example.org/{z}/{x}/{y}.png");
  EXPECT_EQ(j["max_updates_per_s"], 2.0);
  ASSERT_EQ(j["history"].size(), 1u);
  EXPECT_EQ(j["history"][0]["kind"], "ENDED");
}

TEST(MapMessages, InvalidUtf8FromAFeedIsReplacedNotFatal) {
  MapSnapshot s;
  s.tracks = {Track("abc123", std::string("BAD\xff\xfe"), 1, 2)};
  const std::string text = EncodeMapSnapshot(s);
  const json j = json::parse(text);
  const std::string callsign = j["tracks"][0]["callsign"];
  EXPECT_EQ(callsign.rfind("BAD", 0), 0u);
  EXPECT_NE(callsign, "BAD\xff\xfe");
}

}  // namespace
}  // namespace airprox
