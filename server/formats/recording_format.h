// The formats of recorded positions airprox reads, their names (the CLI's --format values), and
// telling them apart from a file's first non-empty line.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "server/core/status.h"

namespace airprox {

enum class RecordingFormat {
  kCanonicalCsv,  // "csv": canonical_csv.h
  kOpenSkyCsv,    // "opensky": opensky_csv.h
  kSbs,           // "sbs": sbs_reader.h
  kJsonLines,     // "jsonl": json_lines.h
  kAircraftJson,  // "aircraft-json": aircraft_json.h
};

// "csv", "opensky", "sbs", "jsonl", "aircraft-json".
std::string_view FormatName(RecordingFormat format);
// A format by its name; "auto" gives nullopt (detect it from the file). Anything else is an error
// that lists the names.
Status ParseFormatName(std::string_view name, std::optional<RecordingFormat>& out);

// Tells the format from the first non-empty line of the file (plain or gzip):
//   a header with time_s and track_id columns   canonical CSV
//   a header with icao24 and time columns       OpenSky state vectors
//   MSG, SEL, ID, AIR, STA or CLK then a comma  SBS
//   a whole JSON object with "now" or "aircraft", or the start of a JSON object spread over lines
//   (a lone "{", or one that mentions "now" or "aircraft")                  aircraft.json
//   any other whole JSON object                 JSON lines
// Anything else is an error naming the file and line and quoting its start; so is an empty file.
Status DetectFormat(const std::string& path, RecordingFormat& out);

}  // namespace airprox
