#include "server/formats/aircraft_json.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <cmath>
#include <nlohmann/json.hpp>
#include <streambuf>
#include <vector>

#include "server/formats/csv_columns.h"
#include "server/formats/icao_address.h"

namespace airprox {
namespace {

// The keys of an aircraft entry this reader uses.
enum Field { kHex, kFlight, kLat, kLon, kAltBaro, kGs, kTrack, kBaroRate, kGeomRate, kSeenPos,
             kCategory, kFields };
constexpr std::array<std::string_view, kFields> kFieldNames = {
    "hex", "flight", "lat", "lon", "alt_baro", "gs", "track", "baro_rate", "geom_rate", "seen_pos",
    "category"};

struct Value {
  enum class Kind { kAbsent, kNumber, kString, kOther };  // null is kAbsent
  static Value Of(Kind kind, double number = 0, std::string text = {}) {
    Value v;
    v.kind = kind;
    v.number = number;
    v.text = std::move(text);
    return v;
  }
  Kind kind = Kind::kAbsent;
  double number = 0;
  std::string text;
};

struct Entry {
  Entry(std::size_t line, bool is_object) : line(line), is_object(is_object) {}
  std::size_t line = 0;
  bool is_object = true;
  std::array<Value, kFields> values;
};

Status EntryError(const Entry& e, std::string_view problem) {
  const Value& hex = e.values[kHex];
  const std::string who = hex.kind == Value::Kind::kString ? fmt::format("aircraft '{}'", hex.text)
                                                           : std::string("aircraft");
  return InvalidArgument("format", fmt::format("{}: {}", who, problem));
}

Status NumberOf(const Entry& e, Field f, std::optional<double>& out) {
  const Value& v = e.values[f];
  out.reset();
  if (v.kind == Value::Kind::kNumber) out = v.number;
  if (v.kind == Value::Kind::kString || v.kind == Value::Kind::kOther) {
    return EntryError(e, fmt::format("'{}' is not a number", kFieldNames[f]));
  }
  return Status::Ok();
}

Status TextOf(const Entry& e, Field f, std::string& out) {
  const Value& v = e.values[f];
  out.clear();
  if (v.kind == Value::Kind::kString) out = std::string(TrimBlanks(v.text));
  if (v.kind == Value::Kind::kNumber || v.kind == Value::Kind::kOther) {
    return EntryError(e, fmt::format("'{}' is not a string", kFieldNames[f]));
  }
  return Status::Ok();
}

// One aircraft entry of a snapshot taken at now_s: a position, nothing (no lat/lon), or an error.
Status ToPosition(const Entry& e, double now_s, std::optional<Position>& out) {
  out.reset();
  if (!e.is_object) return EntryError(e, "an entry of 'aircraft' is not an object");
  std::optional<double> lat, lon, seen_pos_s, alt_ft, gs_kt, track_deg, baro_rate, geom_rate;
  for (auto [f, dst] : {std::pair{kLat, &lat}, {kLon, &lon}, {kSeenPos, &seen_pos_s},
                        {kGs, &gs_kt}, {kTrack, &track_deg}, {kBaroRate, &baro_rate},
                        {kGeomRate, &geom_rate}}) {
    if (Status st = NumberOf(e, f, *dst); !st.ok()) return st;
  }
  Position p;
  for (auto [f, dst] : {std::pair{kHex, &p.track_id}, {kFlight, &p.callsign}, {kCategory, &p.category}}) {
    if (Status st = TextOf(e, f, *dst); !st.ok()) return st;
  }
  if (p.track_id.empty()) return EntryError(e, "no 'hex'");
  p.track_id = TrackIdFromAddress(p.track_id);
  if (!lat && !lon) return Status::Ok();
  if (!lat || !lon) return EntryError(e, "'lat' and 'lon' must both be given or both be absent");
  const Value& alt = e.values[kAltBaro];
  if (alt.kind == Value::Kind::kString && alt.text == "ground") {
    p.on_ground = true;
  } else if (alt.kind == Value::Kind::kNumber) {
    p.alt_ft = alt.number;
    p.on_ground = false;
  } else if (alt.kind != Value::Kind::kAbsent) {
    return EntryError(e, "'alt_baro' is neither a number nor \"ground\"");
  }
  p.time_s = std::round((now_s - seen_pos_s.value_or(0.0)) * 1000.0) / 1000.0;
  p.lat_deg = *lat;
  p.lon_deg = *lon;
  p.ground_speed_kt = gs_kt;
  p.track_deg = track_deg;
  p.vertical_rate_fpm = baro_rate ? baro_rate : geom_rate;
  out = std::move(p);
  return Status::Ok();
}

}  // namespace

// A std::streambuf over a LineReader, one line at a time, so that the parser reads gzip too and
// the line being parsed is always lines.line_number().
class AircraftJsonReader::LineBuffer : public std::streambuf {
 public:
  explicit LineBuffer(LineReader& lines) : lines_(lines) {}
  // Drops what is left of the current line.
  void DropLine() { setg(nullptr, nullptr, nullptr); }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (!lines_.Next(line_)) return traits_type::eof();
    line_ += '\n';
    setg(line_.data(), line_.data(), line_.data() + line_.size());
    return traits_type::to_int_type(*gptr());
  }

 private:
  LineReader& lines_;
  std::string line_;
};

// Receives the parser's events for one snapshot document and keeps its "now", whether it has an
// "aircraft" array, and the entries of that array with the line each began on.
class AircraftJsonReader::SnapshotParser : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit SnapshotParser(const LineReader& lines) : lines_(lines) {}

  bool null() override { return Scalar(Value{}); }
  bool boolean(bool) override { return Scalar(Value::Of(Value::Kind::kOther)); }
  bool number_integer(number_integer_t v) override { return Number(static_cast<double>(v)); }
  bool number_unsigned(number_unsigned_t v) override { return Number(static_cast<double>(v)); }
  bool number_float(number_float_t v, const string_t&) override { return Number(v); }
  bool string(string_t& s) override { return Scalar(Value::Of(Value::Kind::kString, 0, s)); }
  bool binary(binary_t&) override { return Scalar(Value::Of(Value::Kind::kOther)); }

  bool start_object(std::size_t) override {
    if (depth_ == 2 && in_aircraft_) {
      entries.emplace_back(lines_.line_number(), true);
    } else if (depth_ != 0 && !Scalar(Value::Of(Value::Kind::kOther))) {
      return false;
    }
    ++depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    if (depth_ == 1 && root_key_ == "aircraft") {
      in_aircraft_ = true;
      has_aircraft = true;
    } else if (!Scalar(Value::Of(Value::Kind::kOther))) {
      return false;
    }
    ++depth_;
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool end_array() override {
    if (--depth_ == 1) in_aircraft_ = false;
    return true;
  }
  bool key(string_t& k) override {
    if (depth_ == 1) root_key_ = k;
    if (depth_ == 3 && in_aircraft_) {
      field_ = -1;
      for (int f = 0; f < kFields; ++f) {
        if (k == kFieldNames[f]) field_ = f;
      }
    }
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    // what(): "[json.exception.parse_error.101] parse error at line 1, column 7: <problem>", the
    // line and column counted from the start of this snapshot: the caller says the file's line.
    const std::string what = e.what();
    const std::size_t colon = what.find(": ");
    error = "JSON: " + (colon == std::string::npos ? what : what.substr(colon + 2));
    return false;
  }

  std::optional<double> now_s;
  bool has_aircraft = false;
  std::vector<Entry> entries;
  std::string error;  // what makes the whole snapshot unreadable; empty when none

 private:
  bool Number(double v) { return Scalar(Value::Of(Value::Kind::kNumber, v)); }
  // A value at the current depth (a container's start counts as a value of kind kOther).
  bool Scalar(Value v) {
    if (depth_ == 0) {
      error = "a snapshot must be a JSON object";
      return false;
    }
    if (depth_ == 1 && root_key_ == "now") {
      if (v.kind == Value::Kind::kNumber) {
        now_s = v.number;
      } else if (v.kind != Value::Kind::kAbsent && error.empty()) {
        error = "'now' is not a number";
      }
    } else if (depth_ == 1 && root_key_ == "aircraft" && error.empty()) {
      if (v.kind != Value::Kind::kAbsent) error = "'aircraft' is not an array";
    } else if (depth_ == 2 && in_aircraft_) {
      entries.emplace_back(lines_.line_number(), false);
    } else if (depth_ == 3 && in_aircraft_ && field_ >= 0) {
      entries.back().values[field_] = std::move(v);
    }
    return true;
  }

  const LineReader& lines_;
  int depth_ = 0;            // containers open
  std::string root_key_;     // the key of the snapshot object being read
  bool in_aircraft_ = false;  // inside the "aircraft" array (its entries are at depth 2)
  int field_ = -1;           // the Field of the entry's key being read, -1 for any other
};

AircraftJsonReader::AircraftJsonReader(std::unique_ptr<LineReader> lines)
    : lines_(std::move(lines)), buffer_(std::make_unique<LineBuffer>(*lines_)), stream_(buffer_.get()) {}

AircraftJsonReader::~AircraftJsonReader() = default;

Status AircraftJsonReader::Open(const std::string& path, std::unique_ptr<AircraftJsonReader>& out) {
  std::unique_ptr<LineReader> lines;
  if (Status st = LineReader::Open(path, lines); !st.ok()) return st;
  out.reset(new AircraftJsonReader(std::move(lines)));
  return Status::Ok();
}

bool AircraftJsonReader::ParseSnapshot() {
  while (true) {
    int c = buffer_->sgetc();
    while (c != std::char_traits<char>::eof() && std::isspace(c)) c = buffer_->snextc();
    if (c == std::char_traits<char>::eof()) return false;

    SnapshotParser snapshot(*lines_);
    const bool parsed = nlohmann::json::sax_parse(stream_, &snapshot, nlohmann::json::input_format_t::json,
                                                  /*strict=*/false);
    if (!parsed) buffer_->DropLine();  // a later snapshot can only begin on a later line
    std::string problem = snapshot.error;
    if (problem.empty() && !snapshot.now_s) problem = "snapshot has no 'now' number";
    if (problem.empty() && !snapshot.has_aircraft) problem = "snapshot has no 'aircraft' array";
    if (!problem.empty()) {
      if (resync_) continue;
      resync_ = !parsed;
      Item item;
      item.line = lines_->line_number();
      item.error = InvalidArgument("format", problem);
      pending_.push_back(std::move(item));
      return true;
    }
    resync_ = false;
    for (const Entry& e : snapshot.entries) {
      Item item;
      item.line = e.line;
      item.error = ToPosition(e, *snapshot.now_s, item.position);
      if (item.error.ok() && !item.position) {
        ++skipped_;
        continue;
      }
      pending_.push_back(std::move(item));
    }
    return true;
  }
}

RecordingReader::Next AircraftJsonReader::Read(Position& p, Status& error) {
  while (pending_.empty()) {
    if (!ParseSnapshot()) {
      error = lines_->error();
      return Next::kEnd;
    }
  }
  Item item = std::move(pending_.front());
  pending_.pop_front();
  line_ = item.line;
  if (!item.error.ok()) {
    error = lines_->Located(item.error, item.line);
    return Next::kBadLine;
  }
  p = std::move(*item.position);
  return Next::kRecord;
}

}  // namespace airprox
