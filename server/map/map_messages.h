// The live map's WebSocket messages, one JSON object each (the page is server/web/map.js):
//   hello   on connecting: the page's settings and the encounters that ended most recently
//   tracks  the newest state of every live track and every active encounter, with the counts;
//           at most map.max_updates_per_s per client, each replacing the last
//   event   one encounter event (STARTED, UPDATED, ENDED) as detection emits it
// Units are in the key names (_deg, _ft, _kt, _fpm, _nm, _s); times are data times (UTC seconds
// since the Unix epoch), never the wall clock. Unknown values are null.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "server/core/encounter_event.h"
#include "server/core/position.h"

namespace airprox {

struct MapCounts {
  std::size_t tracks = 0;
  std::size_t encounters = 0;   // active
  std::size_t subscribers = 0;  // gRPC encounter subscribers
  std::size_t map_clients = 0;  // browsers on the live map
};

struct MapSnapshot {
  double time_s = 0;  // newest data time among the tracks; 0 when none
  std::vector<Position> tracks;
  std::vector<EncounterEvent> encounters;  // the latest event of each active encounter
  MapCounts counts;
};

struct MapHello {
  std::string tile_url;  // "" = the offline base layer only
  double max_updates_per_s = 0;
  std::vector<EncounterEvent> history;  // recent ENDED events, oldest first
};

std::string EncodeMapHello(const MapHello& hello);
std::string EncodeMapSnapshot(const MapSnapshot& snapshot);
std::string EncodeMapEvent(const EncounterEvent& event);

}  // namespace airprox
