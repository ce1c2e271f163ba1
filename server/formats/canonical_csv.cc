#include "server/formats/canonical_csv.h"

#include <fmt/format.h>

#include <charconv>
#include <string_view>
#include <vector>

namespace airprox {
namespace {

constexpr std::array<std::string_view, 11> kNames = {
    "time_s", "track_id", "callsign",  "lat_deg",   "lon_deg", "alt_ft",
    "gs_kt",  "track_deg", "vrate_fpm", "on_ground", "category"};

std::vector<std::string_view> Split(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    out.push_back(line.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool ParseDouble(std::string_view s, double& out) {
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && ptr == end;
}

}  // namespace

Status CanonicalCsvReader::Open(const std::string& path, std::unique_ptr<CanonicalCsvReader>& out) {
  std::unique_ptr<LineReader> lines;
  if (Status st = LineReader::Open(path, lines); !st.ok()) return st;
  std::unique_ptr<CanonicalCsvReader> r(new CanonicalCsvReader(std::move(lines)));
  std::string header;
  if (!r->lines_->Next(header)) {
    return InvalidArgument("format", path + ":1: empty file, expected a canonical CSV header");
  }
  r->index_.fill(-1);
  const auto names = Split(header);
  r->fields_ = names.size();
  for (std::size_t i = 0; i < names.size(); ++i) {
    for (std::size_t c = 0; c < kNames.size(); ++c) {
      if (Trim(names[i]) == kNames[c]) r->index_[c] = static_cast<int>(i);
    }
  }
  for (Column c : {kTime, kId, kLat, kLon}) {
    if (r->index_[c] < 0) {
      return InvalidArgument("format",
                             fmt::format("{}:1: header has no '{}' column; expected "
                                         "time_s,track_id,callsign,lat_deg,lon_deg,alt_ft,gs_kt,"
                                         "track_deg,vrate_fpm,on_ground",
                                         path, kNames[c]));
    }
  }
  out = std::move(r);
  return Status::Ok();
}

CanonicalCsvReader::Next CanonicalCsvReader::Read(Position& p, Status& error) {
  while (lines_->Next(line_)) {
    if (Trim(line_).empty()) continue;
    Status st = ParseLine(line_, p);
    if (st.ok()) return Next::kRecord;
    error = InvalidArgument(st.reason(), fmt::format("{}:{}: {}", lines_->path(),
                                                     lines_->line_number(), st.message()));
    return Next::kBadLine;
  }
  error = lines_->error();
  return Next::kEnd;
}

Status CanonicalCsvReader::ParseLine(const std::string& line, Position& p) const {
  const auto cells = Split(line);
  if (cells.size() != fields_) {
    return InvalidArgument("format",
                           fmt::format("{} fields, the header has {}", cells.size(), fields_));
  }
  auto cell = [&](Column c) { return index_[c] < 0 ? std::string_view() : Trim(cells[index_[c]]); };
  auto number = [&](Column c, std::optional<double>& out) -> Status {
    const std::string_view s = cell(c);
    out.reset();
    if (s.empty()) return Status::Ok();
    double v = 0;
    if (!ParseDouble(s, v)) {
      return InvalidArgument("format", fmt::format("{} '{}' is not a number", kNames[c], s));
    }
    out = v;
    return Status::Ok();
  };
  p = Position{};
  std::optional<double> t, lat, lon;
  for (auto [c, dst] : {std::pair{kTime, &t}, {kLat, &lat}, {kLon, &lon}}) {
    if (Status st = number(c, *dst); !st.ok()) return st;
    if (!*dst) return InvalidArgument("format", fmt::format("{} is empty", kNames[c]));
  }
  p.time_s = *t;
  p.lat_deg = *lat;
  p.lon_deg = *lon;
  p.track_id = std::string(cell(kId));
  p.callsign = std::string(cell(kCallsign));
  p.category = std::string(cell(kCategory));
  for (auto [c, dst] : {std::pair{kAlt, &p.alt_ft}, {kGs, &p.ground_speed_kt},
                        {kTrack, &p.track_deg}, {kVrate, &p.vertical_rate_fpm}}) {
    if (Status st = number(c, *dst); !st.ok()) return st;
  }
  const std::string_view g = cell(kGround);
  if (g == "1" || g == "true" || g == "True") {
    p.on_ground = true;
  } else if (g == "0" || g == "false" || g == "False") {
    p.on_ground = false;
  } else if (!g.empty()) {
    return InvalidArgument("format", fmt::format("on_ground '{}' is not 1, 0 or empty", g));
  }
  return Status::Ok();
}

}  // namespace airprox
