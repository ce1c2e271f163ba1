// Track ids from the ICAO 24-bit addresses the feeds write in hex, some upper case (SBS), some
// lower (OpenSky, readsb): lowercased, as the canonical CSV and the rest of airprox carry them.
// Anything else a feed puts there (readsb's "~" prefix for non-ICAO addresses) is kept.
#pragma once

#include <string>
#include <string_view>

namespace airprox {

inline std::string TrackIdFromAddress(std::string_view hex) {
  std::string id(hex);
  for (char& c : id) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return id;
}

}  // namespace airprox
