#!/usr/bin/env bash
# Derives server/web/base_map.geojson, the live map's offline base layer (coastlines and national
# borders), from the GSHHG low-resolution data in Debian's gmt-gshhg-low, drawn out by GMT's own
# `gmt coast` and thinned by `gmt simplify` (Douglas-Peucker). Maintainers run it when changing the
# layer; the build only embeds the committed result. Installs gmt and gmt-gshhg-low when missing
# (root or sudo). Usage: scripts/make_base_map.sh [OUT]   (default: server/web/base_map.geojson)
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
out="$(realpath -m "${1:-$here/server/web/base_map.geojson}")"

missing=()
for p in gmt gmt-gshhg-low python3; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"  # GMT writes its gmt.history into the working folder
# -Dl: low resolution; -A1000: leave out land and lakes under 1000 km2; -M: segments as text.
gmt coast -Rd -Dl -A1000 -W -M | gmt simplify -T5k > "$tmp/coast.txt"
gmt coast -Rd -Dl -N1 -M | gmt simplify -T5k > "$tmp/border.txt"

python3 - "$tmp/coast.txt" "$tmp/border.txt" "$out" <<'PY'
import json, sys

def segments(path):
    segs, cur = [], []
    for line in open(path):
        if line.startswith('>'):
            if len(cur) > 1: segs.append(cur)
            cur = []
            continue
        lon, lat = (float(v) for v in line.split()[:2])
        if lon > 180: lon -= 360
        pt = [round(lon, 2), round(lat, 2)]
        if not cur or cur[-1] != pt: cur.append(pt)
    if len(cur) > 1: segs.append(cur)
    return segs

features = [
    {"type": "Feature", "properties": {"kind": kind},
     "geometry": {"type": "MultiLineString", "coordinates": segments(path)}}
    for kind, path in (("coastline", sys.argv[1]), ("border", sys.argv[2]))
]
with open(sys.argv[3], "w") as f:
    json.dump({"type": "FeatureCollection", "features": features}, f, separators=(",", ":"))
    f.write("\n")
PY
echo "wrote $out ($(wc -c < "$out") bytes)"
