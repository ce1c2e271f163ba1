// The live map's files (server/web: the page, its script and style, the offline base layer) and
// Leaflet (from Debian's libjs-leaflet), embedded in the binary at build time
// (server/web/web_assets.cmake), so that airproxd serves them the same from the build tree and
// from an installed prefix.
#pragma once

#include <string_view>

namespace airprox {

struct WebAsset {
  std::string_view content_type;
  std::string_view body;
};

// The file served at an HTTP path ("/", "/map.js", "/leaflet/leaflet.js", ...); nullptr if none.
const WebAsset* FindWebAsset(std::string_view path);

}  // namespace airprox
