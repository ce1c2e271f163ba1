#include "server/formats/recording_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <memory>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "server/formats/csv_columns.h"
#include "server/formats/line_reader.h"

namespace airprox {
namespace {

constexpr std::array<std::pair<RecordingFormat, std::string_view>, 5> kNames = {{
    {RecordingFormat::kCanonicalCsv, "csv"},
    {RecordingFormat::kOpenSkyCsv, "opensky"},
    {RecordingFormat::kSbs, "sbs"},
    {RecordingFormat::kJsonLines, "jsonl"},
    {RecordingFormat::kAircraftJson, "aircraft-json"},
}};

bool HasColumns(const std::vector<std::string_view>& header, std::initializer_list<std::string_view> names) {
  return std::all_of(names.begin(), names.end(), [&](std::string_view name) {
    return std::any_of(header.begin(), header.end(),
                       [&](std::string_view h) { return TrimBlanks(h) == name; });
  });
}

std::optional<RecordingFormat> Sniff(std::string_view line) {
  if (line.front() == '{') {
    if (nlohmann::json::accept(line)) {
      const auto object = nlohmann::json::parse(line);
      return object.contains("now") || object.contains("aircraft") ? RecordingFormat::kAircraftJson
                                                                   : RecordingFormat::kJsonLines;
    }
    if (line == "{" || line.find("\"now\"") != std::string_view::npos ||
        line.find("\"aircraft\"") != std::string_view::npos) {
      return RecordingFormat::kAircraftJson;
    }
    return std::nullopt;
  }
  std::vector<std::string_view> fields;
  SplitFields(line, fields);
  if (fields.size() > 1) {
    const std::string_view first = TrimBlanks(fields[0]);
    for (std::string_view sbs : {"MSG", "SEL", "ID", "AIR", "STA", "CLK"}) {
      if (first == sbs) return RecordingFormat::kSbs;
    }
  }
  if (HasColumns(fields, {"time_s", "track_id"})) return RecordingFormat::kCanonicalCsv;
  if (HasColumns(fields, {"time", "icao24"})) return RecordingFormat::kOpenSkyCsv;
  return std::nullopt;
}

}  // namespace

std::string_view FormatName(RecordingFormat format) {
  for (const auto& [f, name] : kNames) {
    if (f == format) return name;
  }
  return "unknown";
}

Status ParseFormatName(std::string_view name, std::optional<RecordingFormat>& out) {
  out.reset();
  if (name == "auto") return Status::Ok();
  for (const auto& [f, n] : kNames) {
    if (n == name) {
      out = f;
      return Status::Ok();
    }
  }
  return InvalidArgument("format", fmt::format("unknown format '{}': expected auto, csv, opensky, "
                                               "sbs, jsonl or aircraft-json", name));
}

Status DetectFormat(const std::string& path, RecordingFormat& out) {
  std::unique_ptr<LineReader> lines;
  if (Status st = LineReader::Open(path, lines); !st.ok()) return st;
  lines->set_max_line_bytes(1 << 20);  // a one-line aircraft.json is the longest first line
  std::string line;
  while (lines->Next(line)) {
    const std::string_view first = TrimBlanks(line);
    if (first.empty()) continue;
    if (const auto format = Sniff(first)) {
      out = *format;
      return Status::Ok();
    }
    return lines->Located(InvalidArgument(
        "format",
        fmt::format("cannot tell the format from '{}'{}: expected a canonical CSV header "
                    "(time_s,track_id,...), an OpenSky header (time,icao24,...), an SBS line "
                    "(MSG,...), a JSON line of a position or an aircraft.json snapshot; name the "
                    "format instead",
                    first.substr(0, 60), first.size() > 60 ? "..." : "")));
  }
  if (!lines->error().ok()) return lines->error();
  return InvalidArgument("format", path + ": empty file, cannot tell its format");
}

}  // namespace airprox
