#include "server/map/map_messages.h"

#include <nlohmann/json.hpp>

namespace airprox {
namespace {

using nlohmann::json;

template <typename T>
json OrNull(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json TrackJson(const Position& p) {
  return {{"id", p.track_id},
          {"callsign", p.callsign},
          {"time_s", p.time_s},
          {"lat_deg", p.lat_deg},
          {"lon_deg", p.lon_deg},
          {"alt_ft", OrNull(p.alt_ft)},
          {"track_deg", OrNull(p.track_deg)},
          {"ground_speed_kt", OrNull(p.ground_speed_kt)},
          {"vertical_rate_fpm", OrNull(p.vertical_rate_fpm)},
          {"on_ground", p.on_ground.value_or(false)}};
}

json EventJson(const EncounterEvent& e) {
  const ClosestSoFar& c = e.closest;
  return {{"sequence", e.sequence},
          {"id", e.encounter_id},
          {"kind", EncounterKindName(e.kind)},
          {"severity", SeverityName(e.severity)},
          {"max_severity", SeverityName(e.max_severity)},
          {"rule", e.rule},
          {"time_s", e.time_s},
          {"a", TrackJson(e.a)},
          {"b", TrackJson(e.b)},
          {"horizontal_nm", e.horizontal_nm},
          {"vertical_ft", e.vertical_ft},
          {"time_to_cpa_s", e.time_to_cpa_s},
          {"cpa_horizontal_nm", e.cpa_horizontal_nm},
          {"cpa_vertical_ft", e.cpa_vertical_ft},
          {"closest",
           {{"horizontal_nm", c.horizontal_nm},
            {"vertical_ft", c.vertical_ft},
            {"time_s", c.time_s},
            {"a_lat_deg", c.a_lat_deg},
            {"a_lon_deg", c.a_lon_deg},
            {"b_lat_deg", c.b_lat_deg},
            {"b_lon_deg", c.b_lon_deg}}},
          {"start_time_s", e.start_time_s},
          {"duration_s", e.duration_s},
          {"end_reason", e.end_reason}};
}

// Callsigns and ids come from feeds: invalid UTF-8 is replaced rather than failing the message.
std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

std::string EncodeMapHello(const MapHello& hello) {
  json history = json::array();
  for (const EncounterEvent& e : hello.history) history.push_back(EventJson(e));
  return Dump({{"type", "hello"},
               {"tile_url", hello.tile_url},
               {"max_updates_per_s", hello.max_updates_per_s},
               {"history", std::move(history)}});
}

std::string EncodeMapSnapshot(const MapSnapshot& s) {
  json tracks = json::array();
  for (const Position& p : s.tracks) tracks.push_back(TrackJson(p));
  json encounters = json::array();
  for (const EncounterEvent& e : s.encounters) encounters.push_back(EventJson(e));
  return Dump({{"type", "tracks"},
               {"time_s", s.time_s},
               {"tracks", std::move(tracks)},
               {"encounters", std::move(encounters)},
               {"counts",
                {{"tracks", s.counts.tracks},
                 {"encounters", s.counts.encounters},
                 {"subscribers", s.counts.subscribers},
                 {"map_clients", s.counts.map_clients}}}});
}

std::string EncodeMapEvent(const EncounterEvent& event) {
  return Dump({{"type", "event"}, {"event", EventJson(event)}});
}

}  // namespace airprox
