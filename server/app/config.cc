#include "server/app/config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include "server/app/listen_policy.h"
#include "server/core/units.h"
#include "server/net/host_port.h"

namespace airprox {
namespace {

class Reader {
 public:
  explicit Reader(std::string_view source) : source_(source) {}

  Status Error(const std::string& key, const YAML::Node& node, const std::string& problem) const {
    const std::string where =
        node.IsDefined() && node.Mark().line >= 0
            ? fmt::format("{}:{}", source_, node.Mark().line + 1)
            : source_;
    if (key.empty()) return InvalidArgument("config", fmt::format("{}: {}", where, problem));
    return InvalidArgument("config", fmt::format("{}: {}: {}", where, key, problem));
  }

  Status ExpectMap(const YAML::Node& node, const std::string& key,
                   std::initializer_list<std::string_view> allowed) const {
    if (!node.IsMap()) return Error(key, node, "expected a mapping");
    for (const auto& kv : node) {
      if (!kv.first.IsScalar()) return Error(key, kv.first, "expected a name as the key");
      const std::string name = kv.first.as<std::string>();
      bool known = false;
      for (std::string_view a : allowed) known = known || a == name;
      if (!known) {
        std::string list;
        for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        return Error(Join(key, name), kv.first, "unknown key (known: " + list + ")");
      }
    }
    return Status::Ok();
  }

  Status Number(const YAML::Node& parent, const std::string& parent_key, const char* name,
                double min, double max, double& out, bool min_exclusive = false) const {
    const YAML::Node node = parent[name];
    if (!node) return Status::Ok();
    const std::string key = Join(parent_key, name);
    double v = 0;
    try {
      v = node.as<double>();
    } catch (const YAML::Exception&) {
      return Error(key, node, "expected a number");
    }
    const bool low = min_exclusive ? !(v > min) : !(v >= min);
    if (!std::isfinite(v) || low || v > max) {
      return Error(key, node,
                   fmt::format("{} is outside {}{}, {}]", v, min_exclusive ? "(" : "[", min, max));
    }
    out = v;
    return Status::Ok();
  }

  Status Count(const YAML::Node& parent, const std::string& parent_key, const char* name,
               std::size_t min, std::size_t max, std::size_t& out) const {
    double v = static_cast<double>(out);
    if (Status st = Number(parent, parent_key, name, static_cast<double>(min),
                           static_cast<double>(max), v);
        !st.ok()) {
      return st;
    }
    if (v != std::floor(v)) return Error(Join(parent_key, name), parent[name], "expected a whole number");
    out = static_cast<std::size_t>(v);
    return Status::Ok();
  }

  Status String(const YAML::Node& parent, const std::string& parent_key, const char* name,
                std::string& out) const {
    const YAML::Node node = parent[name];
    if (!node) return Status::Ok();
    if (!node.IsScalar()) return Error(Join(parent_key, name), node, "expected a string");
    out = node.as<std::string>();
    return Status::Ok();
  }

  Status Bool(const YAML::Node& parent, const std::string& parent_key, const char* name,
              bool& out) const {
    const YAML::Node node = parent[name];
    if (!node) return Status::Ok();
    try {
      if (!node.IsScalar()) throw YAML::Exception(node.Mark(), "");
      out = node.as<bool>();
    } catch (const YAML::Exception&) {
      return Error(Join(parent_key, name), node, "expected true or false");
    }
    return Status::Ok();
  }

  static std::string Join(const std::string& a, std::string_view b) {
    return a.empty() ? std::string(b) : a + "." + std::string(b);
  }

 private:
  std::string source_;
};

Status ReadScope(const Reader& r, const YAML::Node& node, const std::string& key, RuleScope& scope) {
  if (!node) return Status::Ok();
  if (Status st = r.ExpectMap(node, key, {"min_alt_ft", "max_alt_ft", "region", "categories", "on_ground"});
      !st.ok()) {
    return st;
  }
  if (Status st = r.Bool(node, key, "on_ground", scope.on_ground); !st.ok()) return st;
  for (auto [name, dst] : {std::pair{"min_alt_ft", &scope.min_alt_ft}, {"max_alt_ft", &scope.max_alt_ft}}) {
    if (!node[name]) continue;
    double v = 0;
    if (Status st = r.Number(node, key, name, -2000, 150000, v); !st.ok()) return st;
    *dst = v;
  }
  if (const YAML::Node region = node["region"]) {
    if (!region.IsSequence()) return r.Error(key + ".region", region, "expected a list of [lat_deg, lon_deg]");
    for (std::size_t i = 0; i < region.size(); ++i) {
      const YAML::Node v = region[i];
      try {
        if (!v.IsSequence() || v.size() != 2) throw YAML::Exception(v.Mark(), "");
        scope.region.push_back({v[0].as<double>(), v[1].as<double>()});
      } catch (const YAML::Exception&) {
        return r.Error(fmt::format("{}.region[{}]", key, i), v, "expected [lat_deg, lon_deg]");
      }
    }
  }
  if (const YAML::Node cats = node["categories"]) {
    if (!cats.IsSequence()) return r.Error(key + ".categories", cats, "expected a list of strings");
    for (std::size_t i = 0; i < cats.size(); ++i) {
      if (!cats[i].IsScalar()) {
        return r.Error(fmt::format("{}.categories[{}]", key, i), cats[i], "expected a string");
      }
      scope.categories.push_back(cats[i].as<std::string>());
    }
  }
  return Status::Ok();
}

Status ReadExclusions(const Reader& r, const YAML::Node& node, const std::string& key,
                      std::vector<PairExclusion>& out) {
  if (!node) return Status::Ok();
  if (!node.IsSequence()) return r.Error(key, node, "expected a list of [pattern, pattern]");
  for (std::size_t i = 0; i < node.size(); ++i) {
    const YAML::Node e = node[i];
    if (!e.IsSequence() || e.size() != 2 || !e[0].IsScalar() || !e[1].IsScalar()) {
      return r.Error(fmt::format("{}[{}]", key, i), e, "expected [pattern, pattern]");
    }
    out.push_back({e[0].as<std::string>(), e[1].as<std::string>()});
  }
  return Status::Ok();
}

Status ReadRule(const Reader& r, const YAML::Node& node, const std::string& key, Rule& rule) {
  if (Status st = r.ExpectMap(node, key, {"name", "severity", "horizontal_nm", "horizontal_ft",
                                          "vertical_ft", "lookahead_s", "applies", "exclude"});
      !st.ok()) {
    return st;
  }
  for (const char* required : {"name", "severity", "vertical_ft"}) {
    if (!node[required]) return r.Error(Reader::Join(key, required), node, "is required");
  }
  if (static_cast<bool>(node["horizontal_nm"]) == static_cast<bool>(node["horizontal_ft"])) {
    return r.Error(key, node, "give exactly one of horizontal_nm and horizontal_ft");
  }
  if (Status st = r.String(node, key, "name", rule.name); !st.ok()) return st;
  std::string severity;
  if (Status st = r.String(node, key, "severity", severity); !st.ok()) return st;
  if (auto s = ParseSeverity(severity)) {
    rule.severity = *s;
  } else {
    return r.Error(key + ".severity", node["severity"],
                   "'" + severity + "' is not one of ADVISORY, WARNING, ALERT");
  }
  if (node["horizontal_ft"]) {
    double ft = 0;
    if (Status st = r.Number(node, key, "horizontal_ft", 0, 600000, ft, true); !st.ok()) return st;
    rule.horizontal_nm = units::m_to_nm(units::ft_to_m(ft));
  } else if (Status st = r.Number(node, key, "horizontal_nm", 0, 100, rule.horizontal_nm, true);
             !st.ok()) {
    return st;
  }
  if (Status st = r.Number(node, key, "vertical_ft", 0, 10000, rule.vertical_ft, true); !st.ok()) {
    return st;
  }
  rule.lookahead_s = 0;
  if (Status st = r.Number(node, key, "lookahead_s", 0, 600, rule.lookahead_s); !st.ok()) return st;
  if (Status st = ReadScope(r, node["applies"], key + ".applies", rule.scope); !st.ok()) return st;
  return ReadExclusions(r, node["exclude"], key + ".exclude", rule.exclude);
}

Status ReadFeed(const Reader& r, const YAML::Node& node, const std::string& key, FeedOptions& feed) {
  if (Status st = r.ExpectMap(node, key, {"name", "type", "connect", "listen", "url", "reconnect_min_s",
                                          "reconnect_max_s", "max_connections", "max_pending",
                                          "max_state_age_s", "interval_s", "timeout_s",
                                          "idle_timeout_s"});
      !st.ok()) {
    return st;
  }
  for (const char* required : {"name", "type"}) {
    if (!node[required]) return r.Error(Reader::Join(key, required), node, "is required");
  }
  std::string type;
  if (Status st = r.String(node, key, "name", feed.name); !st.ok()) return st;
  if (feed.name.empty()) return r.Error(key + ".name", node["name"], "must not be empty");
  if (Status st = r.String(node, key, "type", type); !st.ok()) return st;
  const char* address_key = nullptr;
  if (type == "sbs-client") {
    feed.type = FeedType::kSbsClient;
    address_key = "connect";
  } else if (type == "sbs-listener") {
    feed.type = FeedType::kSbsListener;
    address_key = "listen";
  } else if (type == "aircraft-json-poll") {
    feed.type = FeedType::kAircraftJsonPoll;
    address_key = "url";
  } else {
    return r.Error(key + ".type", node["type"],
                   "'" + type + "' is not one of sbs-client, sbs-listener, aircraft-json-poll");
  }
  for (const char* other_key : {"connect", "listen", "url"}) {
    if (std::string_view(other_key) != address_key && node[other_key]) {
      return r.Error(Reader::Join(key, other_key), node[other_key], "is not a key of a " + type + " feed");
    }
  }
  if (!node[address_key]) return r.Error(Reader::Join(key, address_key), node, "is required");
  if (Status st = r.String(node, key, address_key, feed.address); !st.ok()) return st;
  if (feed.type == FeedType::kAircraftJsonPoll) {
    if (feed.address.rfind("http://", 0) != 0 && feed.address.rfind("https://", 0) != 0) {
      return r.Error(Reader::Join(key, address_key), node[address_key], "'" + feed.address + "' is not an http:// or https:// URL");
    }
  } else {
    HostPort hp;
    if (Status st = ParseHostPort(feed.address, hp); !st.ok()) {
      return r.Error(Reader::Join(key, address_key), node[address_key], st.message());
    }
  }
  if (Status st = r.Number(node, key, "interval_s", 0.05, 3600, feed.interval_s); !st.ok()) return st;
  if (Status st = r.Number(node, key, "idle_timeout_s", 0, 86400, feed.idle_timeout_s, true); !st.ok()) return st;
  if (Status st = r.Number(node, key, "timeout_s", 0, 600, feed.timeout_s, true); !st.ok()) return st;
  if (Status st = r.Number(node, key, "reconnect_min_s", 0, 3600, feed.reconnect_min_s, true); !st.ok()) return st;
  if (Status st = r.Number(node, key, "reconnect_max_s", 0, 3600, feed.reconnect_max_s, true); !st.ok()) return st;
  if (feed.reconnect_max_s < feed.reconnect_min_s) {
    return r.Error(key + ".reconnect_max_s", node["reconnect_max_s"], "is less than reconnect_min_s");
  }
  if (Status st = r.Count(node, key, "max_connections", 1, 10000, feed.max_connections); !st.ok()) return st;
  if (Status st = r.Count(node, key, "max_pending", 1, 100000000, feed.max_pending); !st.ok()) return st;
  return r.Number(node, key, "max_state_age_s", 0, 600, feed.max_state_age_s, true);
}

Status ReadLogLevel(const Reader& r, const YAML::Node& parent, const std::string& parent_key, const char* name,
                    std::string& out) {
  std::string level = out;
  if (Status st = r.String(parent, parent_key, name, level); !st.ok()) return st;
  if (!IsLogLevelName(level)) {
    return r.Error(Reader::Join(parent_key, name), parent[name],
                   "'" + level + "' is not one of trace, debug, info, warn, error, critical, off");
  }
  out = level;
  return Status::Ok();
}

Status ReadLog(const Reader& r, const YAML::Node& node, LogOptions& log) {
  Status st = r.ExpectMap(node, "log", {"level", "levels", "file", "max_file_bytes", "max_files", "format",
                                        "stats_interval_s"});
  if (st.ok()) st = ReadLogLevel(r, node, "log", "level", log.level);
  if (st.ok()) st = r.String(node, "log", "file", log.file);
  double max_file_bytes = static_cast<double>(log.max_file_bytes);
  if (st.ok()) st = r.Number(node, "log", "max_file_bytes", 1024, 1e15, max_file_bytes);
  if (st.ok() && max_file_bytes != std::floor(max_file_bytes)) {
    st = r.Error("log.max_file_bytes", node["max_file_bytes"], "expected a whole number");
  }
  log.max_file_bytes = static_cast<std::uint64_t>(max_file_bytes);
  if (st.ok()) st = r.Count(node, "log", "max_files", 0, 10000, log.max_files);
  if (st.ok()) st = r.Number(node, "log", "stats_interval_s", 0, 86400, log.stats_interval_s);
  std::string format(LogFormatName(log.format));
  if (st.ok()) st = r.String(node, "log", "format", format);
  if (st.ok() && format != "text" && format != "json") {
    st = r.Error("log.format", node["format"], "'" + format + "' is not one of text, json");
  }
  log.format = format == "json" ? LogFormat::kJson : LogFormat::kText;
  const YAML::Node levels = st.ok() ? node["levels"] : YAML::Node();  // node is a map once st is ok
  if (st.ok() && levels && !levels.IsNull()) {
    if (!levels.IsMap()) return r.Error("log.levels", levels, "expected a mapping of component: level");
    for (const auto& kv : levels) {
      if (!kv.first.IsScalar()) return r.Error("log.levels", kv.first, "expected a name as the key");
      const std::string component = kv.first.as<std::string>();
      if (!IsLogComponent(component)) {
        std::string known;
        for (std::string_view c : kLogComponents) known += (known.empty() ? "" : ", ") + std::string(c);
        return r.Error("log.levels." + component, kv.first, "unknown component (known: " + known + ")");
      }
      if (Status s = ReadLogLevel(r, levels, "log.levels", component.c_str(), log.levels[component]); !s.ok()) {
        return s;
      }
    }
  }
  return st;
}

Status ReadLimits(const Reader& r, const YAML::Node& node, LimitsOptions& l) {
  Status st = r.ExpectMap(node, "limits",
                          {"max_message_bytes", "max_batch_positions", "max_streams", "max_streams_per_peer",
                           "max_subscribers", "filter_max_vertices", "filter_max_entries",
                           "filter_max_pattern_bytes", "sbs_max_line_bytes", "max_tracks",
                           "handshake_timeout_s"});
  const std::pair<const char*, std::size_t*> kMax[] = {{"max_batch_positions", &l.max_batch_positions},
                                                       {"max_streams", &l.streams.max_streams},
                                                       {"max_streams_per_peer", &l.streams.max_streams_per_peer},
                                                       {"max_subscribers", &l.streams.max_subscribers},
                                                       {"filter_max_entries", &l.filter.max_entries},
                                                       {"max_tracks", &l.max_tracks}};
  for (const auto& [name, dst] : kMax) {
    if (st.ok()) st = r.Count(node, "limits", name, 1, 100000000, *dst);
  }
  if (st.ok()) st = r.Count(node, "limits", "max_message_bytes", 1024, 1 << 30, l.max_message_bytes);
  if (st.ok()) st = r.Count(node, "limits", "filter_max_vertices", 3, 1000000, l.filter.max_vertices);
  if (st.ok()) st = r.Count(node, "limits", "filter_max_pattern_bytes", 1, 4096, l.filter.max_pattern_bytes);
  if (st.ok()) st = r.Count(node, "limits", "sbs_max_line_bytes", 64, 1 << 20, l.sbs_max_line_bytes);
  if (st.ok()) st = r.Number(node, "limits", "handshake_timeout_s", 0, 3600, l.handshake_timeout_s, true);
  return st;
}

}  // namespace

Status ApplyConfigYaml(std::string_view yaml, std::string_view source, Config& config) {
  const Reader r(source);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::ParserException& e) {
    return InvalidArgument("config", fmt::format("{}:{}: invalid YAML: {}", source, e.mark.line + 1, e.msg));
  }
  if (root.IsNull()) return Status::Ok();  // an empty file changes nothing
  Config c = config;
  Status st = r.ExpectMap(root, "", {"server", "log", "tracks", "detection", "alerting",
                                     "subscribers", "storage", "feeds", "http", "map", "ingest",
                                     "limits", "rules", "tls", "auth"});
  if (!st.ok()) return st;  // root[...] below throws on a root that is not a mapping
  if (const YAML::Node n = root["storage"]; st.ok() && n) {
    JournalOptions& j = c.storage;
    double max_bytes = static_cast<double>(j.max_bytes), segment = static_cast<double>(j.segment_bytes);
    std::string fsync = j.fsync ? "batch" : "none";
    st = r.ExpectMap(n, "storage", {"dir", "max_bytes", "max_age_s", "segment_bytes", "fsync"});
    if (st.ok()) st = r.String(n, "storage", "dir", j.dir);
    if (st.ok()) st = r.Number(n, "storage", "max_bytes", 1 << 20, 1e15, max_bytes);
    if (st.ok()) st = r.Number(n, "storage", "max_age_s", 0, 1e10, j.max_age_s, true);
    if (st.ok()) st = r.Number(n, "storage", "segment_bytes", 1 << 16, 1e12, segment);
    if (st.ok()) st = r.String(n, "storage", "fsync", fsync);
    if (st.ok() && fsync != "batch" && fsync != "none") {
      st = r.Error("storage.fsync", n["fsync"], "'" + fsync + "' is not one of batch, none");
    }
    j.max_bytes = static_cast<std::uint64_t>(max_bytes);
    j.segment_bytes = static_cast<std::uint64_t>(segment);
    j.fsync = fsync == "batch";
  }
  if (st.ok() && root["server"]) st = r.ExpectMap(root["server"], "server", {"listen"});
  if (st.ok() && root["server"]) st = r.String(root["server"], "server", "listen", c.listen);
  if (st.ok() && root["http"]) st = r.ExpectMap(root["http"], "http", {"listen"});
  if (st.ok() && root["http"]) st = r.String(root["http"], "http", "listen", c.http_listen);
  if (const YAML::Node n = root["map"]; st.ok() && n) {
    LiveMapOptions& m = c.map;
    st = r.ExpectMap(n, "map", {"max_updates_per_s", "max_buffered_bytes", "max_clients", "tile_url"});
    if (st.ok()) st = r.Number(n, "map", "max_updates_per_s", 0, 20, m.max_updates_per_s, true);
    if (st.ok()) st = r.Count(n, "map", "max_buffered_bytes", 4096, std::size_t{1} << 32, m.max_buffered_bytes);
    if (st.ok()) st = r.Count(n, "map", "max_clients", 1, 10000, m.max_clients);
    if (st.ok()) st = r.String(n, "map", "tile_url", m.tile_url);
  }
  if (st.ok() && root["ingest"]) st = r.ExpectMap(root["ingest"], "ingest", {"allow_transport_only"});
  if (st.ok() && root["ingest"]) {
    st = r.Bool(root["ingest"], "ingest", "allow_transport_only", c.ingest.allow_transport_only);
  }
  if (st.ok() && root["log"]) st = ReadLog(r, root["log"], c.log);
  if (st.ok() && root["limits"]) st = ReadLimits(r, root["limits"], c.limits);
  if (const YAML::Node n = root["tls"]; st.ok() && n) {
    st = r.ExpectMap(n, "tls", {"cert", "key", "client_ca"});
    if (st.ok()) st = r.String(n, "tls", "cert", c.tls.cert);
    if (st.ok()) st = r.String(n, "tls", "key", c.tls.key);
    if (st.ok()) st = r.String(n, "tls", "client_ca", c.tls.client_ca);
  }
  if (st.ok() && root["auth"]) st = r.ExpectMap(root["auth"], "auth", {"token_file"});
  if (st.ok() && root["auth"]) st = r.String(root["auth"], "auth", "token_file", c.auth.token_file);
  if (const YAML::Node n = root["tracks"]; st.ok() && n) {
    TrackTableOptions& t = c.detector.tracks;
    std::size_t resets = static_cast<std::size_t>(t.teleports_before_reset);
    st = r.ExpectMap(n, "tracks", {"stale_after_s", "max_speed_kt", "teleports_before_reset",
                                   "derive_velocity_max_gap_s", "level_flight_max_fpm"});
    if (st.ok()) st = r.Number(n, "tracks", "stale_after_s", 0, 86400, c.detector.stale_after_s, true);
    if (st.ok()) st = r.Number(n, "tracks", "max_speed_kt", 0, 10000, t.max_speed_kt, true);
    if (st.ok()) st = r.Count(n, "tracks", "teleports_before_reset", 1, 100, resets);
    if (st.ok()) st = r.Number(n, "tracks", "derive_velocity_max_gap_s", 0, 600, t.max_derive_gap_s);
    if (st.ok()) st = r.Number(n, "tracks", "level_flight_max_fpm", 0, 2000, t.level_flight_max_fpm);
    t.teleports_before_reset = static_cast<int>(resets);
  }
  if (const YAML::Node n = root["alerting"]; st.ok() && n) {
    AlertingOptions& a = c.detector.alerting;
    std::size_t hits = static_cast<std::size_t>(a.confirm_hits);
    std::size_t window = static_cast<std::size_t>(a.confirm_window);
    st = r.ExpectMap(n, "alerting", {"confirm_hits", "confirm_window", "end_margin", "end_hold_s"});
    if (st.ok()) st = r.Count(n, "alerting", "confirm_hits", 1, 32, hits);
    if (st.ok()) st = r.Count(n, "alerting", "confirm_window", 1, 32, window);
    if (st.ok()) st = r.Number(n, "alerting", "end_margin", 0, 1, a.end_margin);
    if (st.ok()) st = r.Number(n, "alerting", "end_hold_s", 0, 3600, a.end_hold_s);
    a.confirm_hits = static_cast<int>(hits);
    a.confirm_window = static_cast<int>(window);
    if (st.ok()) {
      if (Status v = ValidateAlerting(a); !v.ok()) {
        st = InvalidArgument("config", fmt::format("{}: {}", source, v.message()));
      }
    }
  }
  if (st.ok() && root["detection"]) {
    st = r.ExpectMap(root["detection"], "detection",
                     {"queue_capacity", "index_cell_m", "max_interpolation_s"});
  }
  if (st.ok() && root["detection"]) {
    st = r.Number(root["detection"], "detection", "max_interpolation_s", 0, 600,
                  c.detector.max_interpolation_s);
  }
  if (st.ok() && root["detection"]) {
    st = r.Count(root["detection"], "detection", "queue_capacity", 1, 1000000,
                 c.detection_loop.queue_capacity);
  }
  if (st.ok() && root["detection"]) {
    st = r.Number(root["detection"], "detection", "index_cell_m", 1000, 1000000, c.detector.index_cell_m);
  }
  if (st.ok() && root["subscribers"]) {
    st = r.ExpectMap(root["subscribers"], "subscribers", {"queue_capacity", "history_events", "heartbeat_s",
                                                              "write_timeout_s"});
  }
  if (st.ok() && root["subscribers"]) {
    st = r.Count(root["subscribers"], "subscribers", "history_events", 0, 10000000,
                 c.subscribers.history_events);
  }
  if (st.ok() && root["subscribers"]) {
    st = r.Number(root["subscribers"], "subscribers", "heartbeat_s", 0, 3600, c.subscribers.heartbeat_s, true);
  }
  if (st.ok() && root["subscribers"]) {
    st = r.Number(root["subscribers"], "subscribers", "write_timeout_s", 0, 86400,
                  c.subscribers.write_timeout_s, true);
  }
  if (st.ok() && root["subscribers"]) {
    st = r.Count(root["subscribers"], "subscribers", "queue_capacity", 1, 10000000,
                 c.subscribers.queue_capacity);
  }
  if (const YAML::Node feeds = root["feeds"]; st.ok() && feeds && !feeds.IsNull()) {
    if (!feeds.IsSequence()) return r.Error("feeds", feeds, "expected a list of feeds");
    c.feeds.clear();
    for (std::size_t i = 0; st.ok() && i < feeds.size(); ++i) {
      FeedOptions feed;
      st = ReadFeed(r, feeds[i], fmt::format("feeds[{}]", i), feed);
      for (const FeedOptions& other : c.feeds) {
        if (st.ok() && other.name == feed.name) {
          st = r.Error(fmt::format("feeds[{}].name", i), feeds[i]["name"], "'" + feed.name + "' is used twice");
        }
      }
      c.feeds.push_back(feed);
    }
  } else if (st.ok() && feeds) {
    c.feeds.clear();
  }
  if (st.ok() && root["rules"]) {
    const YAML::Node rules = root["rules"];
    if (!rules.IsSequence()) return r.Error("rules", rules, "expected a list of rules");
    c.detector.rules.clear();
    for (std::size_t i = 0; st.ok() && i < rules.size(); ++i) {
      Rule rule;
      st = ReadRule(r, rules[i], fmt::format("rules[{}]", i), rule);
      c.detector.rules.push_back(rule);
    }
    if (st.ok()) {
      if (Status v = ValidateRules(c.detector.rules); !v.ok()) {
        st = InvalidArgument("config", fmt::format("{}: {}", source, v.message()));
      }
    }
  }
  if (!st.ok()) return st;
  config = std::move(c);
  return Status::Ok();
}

Status LoadConfig(const std::string& path, Config& config) {
  if (Status st = ApplyConfigYaml(EmbeddedDefaultConfig(), "embedded default config", config);
      !st.ok()) {
    return st;
  }
  if (path.empty()) return Status::Ok();
  std::ifstream in(path);
  if (!in) return InvalidArgument("config", fmt::format("{}: cannot open the config file", path));
  std::stringstream text;
  text << in.rdbuf();
  return ApplyConfigYaml(text.str(), path, config);
}

void ApplyEnvironment(Config& config) {
  if (const char* v = std::getenv("AIRPROX_LISTEN"); v != nullptr && *v != '\0') config.listen = v;
  if (const char* v = std::getenv("AIRPROX_HTTP_LISTEN"); v != nullptr) config.http_listen = v;
}

Status ValidateConfig(const Config& config) {
  const auto colon = config.listen.rfind(':');
  bool port_ok = colon != std::string::npos && colon > 0 && colon + 1 < config.listen.size();
  if (port_ok) {
    const std::string port = config.listen.substr(colon + 1);
    port_ok = port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos &&
              std::stoi(port) <= 65535;
  }
  if (!port_ok) {
    return InvalidArgument("config", fmt::format("server.listen: '{}' is not HOST:PORT with a port "
                                                 "from 0 to 65535",
                                                 config.listen));
  }
  if (!config.http_listen.empty()) {
    HostPort hp;
    if (!ParseHostPort(config.http_listen, hp).ok()) {
      return InvalidArgument("config", fmt::format("http.listen: '{}' is not HOST:PORT with a port "
                                                   "from 0 to 65535 (or \"\" to disable)",
                                                   config.http_listen));
    }
  }
  if (Status st = ValidateTlsOptions(config.tls); !st.ok()) return st;
  if (Status st = CheckPlaintextListeners(config); !st.ok()) return st;
  if (Status st = ValidateLogOptions(config.log); !st.ok()) return st;
  if (Status st = ValidateRules(config.detector.rules); !st.ok()) {
    return InvalidArgument("config", st.message());
  }
  if (Status st = ValidateAlerting(config.detector.alerting); !st.ok()) {
    return InvalidArgument("config", st.message());
  }
  return Status::Ok();
}

std::string ConfigToYaml(const Config& c) {
  YAML::Emitter out;
  out.SetDoublePrecision(15);
  out << YAML::BeginMap;
  out << YAML::Key << "server" << YAML::Value << YAML::BeginMap << YAML::Key << "listen"
      << YAML::Value << YAML::DoubleQuoted << c.listen << YAML::EndMap;
  out << YAML::Key << "http" << YAML::Value << YAML::BeginMap << YAML::Key << "listen"
      << YAML::Value << YAML::DoubleQuoted << c.http_listen << YAML::EndMap;
  out << YAML::Key << "map" << YAML::Value << YAML::BeginMap << YAML::Key << "max_updates_per_s"
      << YAML::Value << c.map.max_updates_per_s << YAML::Key << "max_buffered_bytes" << YAML::Value
      << c.map.max_buffered_bytes << YAML::Key << "max_clients" << YAML::Value << c.map.max_clients
      << YAML::Key << "tile_url" << YAML::Value << YAML::DoubleQuoted << c.map.tile_url << YAML::EndMap;
  out << YAML::Key << "ingest" << YAML::Value << YAML::BeginMap << YAML::Key
      << "allow_transport_only" << YAML::Value << c.ingest.allow_transport_only << YAML::EndMap;
  out << YAML::Key << "tls" << YAML::Value << YAML::BeginMap << YAML::Key << "cert" << YAML::Value
      << YAML::DoubleQuoted << c.tls.cert << YAML::Key << "key" << YAML::Value << YAML::DoubleQuoted
      << c.tls.key << YAML::Key << "client_ca" << YAML::Value << YAML::DoubleQuoted << c.tls.client_ca
      << YAML::EndMap;
  out << YAML::Key << "auth" << YAML::Value << YAML::BeginMap << YAML::Key << "token_file" << YAML::Value
      << YAML::DoubleQuoted << c.auth.token_file << YAML::EndMap;
  out << YAML::Key << "log" << YAML::Value << YAML::BeginMap << YAML::Key << "level" << YAML::Value
      << c.log.level << YAML::Key << "levels" << YAML::Value << YAML::Flow << c.log.levels << YAML::Key
      << "file" << YAML::Value << YAML::DoubleQuoted << c.log.file << YAML::Key << "max_file_bytes"
      << YAML::Value << c.log.max_file_bytes << YAML::Key << "max_files" << YAML::Value << c.log.max_files
      << YAML::Key << "format" << YAML::Value << std::string(LogFormatName(c.log.format)) << YAML::Key
      << "stats_interval_s" << YAML::Value << c.log.stats_interval_s << YAML::EndMap;
  const TrackTableOptions& t = c.detector.tracks;
  out << YAML::Key << "tracks" << YAML::Value << YAML::BeginMap << YAML::Key << "stale_after_s"
      << YAML::Value << c.detector.stale_after_s << YAML::Key << "max_speed_kt" << YAML::Value
      << t.max_speed_kt << YAML::Key << "teleports_before_reset" << YAML::Value
      << t.teleports_before_reset << YAML::Key << "derive_velocity_max_gap_s" << YAML::Value
      << t.max_derive_gap_s << YAML::Key << "level_flight_max_fpm" << YAML::Value
      << t.level_flight_max_fpm << YAML::EndMap;
  out << YAML::Key << "detection" << YAML::Value << YAML::BeginMap << YAML::Key << "queue_capacity"
      << YAML::Value << c.detection_loop.queue_capacity << YAML::Key << "index_cell_m"
      << YAML::Value << c.detector.index_cell_m << YAML::Key << "max_interpolation_s"
      << YAML::Value << c.detector.max_interpolation_s << YAML::EndMap;
  const AlertingOptions& a = c.detector.alerting;
  out << YAML::Key << "alerting" << YAML::Value << YAML::BeginMap << YAML::Key << "confirm_hits"
      << YAML::Value << a.confirm_hits << YAML::Key << "confirm_window" << YAML::Value
      << a.confirm_window << YAML::Key << "end_margin" << YAML::Value << a.end_margin << YAML::Key
      << "end_hold_s" << YAML::Value << a.end_hold_s << YAML::EndMap;
  out << YAML::Key << "subscribers" << YAML::Value << YAML::BeginMap << YAML::Key
      << "queue_capacity" << YAML::Value << c.subscribers.queue_capacity << YAML::Key
      << "history_events" << YAML::Value << c.subscribers.history_events << YAML::Key
      << "heartbeat_s" << YAML::Value << c.subscribers.heartbeat_s << YAML::Key
      << "write_timeout_s" << YAML::Value << c.subscribers.write_timeout_s << YAML::EndMap;
  out << YAML::Key << "storage" << YAML::Value << YAML::BeginMap << YAML::Key << "dir"
      << YAML::Value << YAML::DoubleQuoted << c.storage.dir << YAML::Key << "max_bytes" << YAML::Value
      << c.storage.max_bytes << YAML::Key << "max_age_s" << YAML::Value << c.storage.max_age_s
      << YAML::Key << "segment_bytes" << YAML::Value << c.storage.segment_bytes << YAML::Key
      << "fsync" << YAML::Value << (c.storage.fsync ? "batch" : "none") << YAML::EndMap;
  const LimitsOptions& l = c.limits;
  out << YAML::Key << "limits" << YAML::Value << YAML::BeginMap << YAML::Key << "max_message_bytes"
      << YAML::Value << l.max_message_bytes << YAML::Key << "max_batch_positions" << YAML::Value
      << l.max_batch_positions << YAML::Key << "max_streams" << YAML::Value << l.streams.max_streams
      << YAML::Key << "max_streams_per_peer" << YAML::Value << l.streams.max_streams_per_peer
      << YAML::Key << "max_subscribers" << YAML::Value << l.streams.max_subscribers << YAML::Key
      << "filter_max_vertices" << YAML::Value << l.filter.max_vertices << YAML::Key
      << "filter_max_entries" << YAML::Value << l.filter.max_entries << YAML::Key
      << "filter_max_pattern_bytes" << YAML::Value << l.filter.max_pattern_bytes << YAML::Key
      << "sbs_max_line_bytes" << YAML::Value << l.sbs_max_line_bytes << YAML::Key << "max_tracks"
      << YAML::Value << l.max_tracks << YAML::Key << "handshake_timeout_s" << YAML::Value
      << l.handshake_timeout_s << YAML::EndMap;
  out << YAML::Key << "feeds" << YAML::Value << YAML::BeginSeq;
  for (const FeedOptions& f : c.feeds) {
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << f.name << YAML::Key << "type"
        << YAML::Value << FeedTypeName(f.type) << YAML::Key
        << (f.type == FeedType::kSbsClient ? "connect"
                                             : f.type == FeedType::kSbsListener ? "listen" : "url")
        << YAML::Value << YAML::DoubleQuoted
        << f.address;
    if (f.type != FeedType::kAircraftJsonPoll) {
      out << YAML::Key << "idle_timeout_s" << YAML::Value << f.idle_timeout_s;
    }
    if (f.type == FeedType::kSbsClient) {
      out << YAML::Key << "reconnect_min_s" << YAML::Value << f.reconnect_min_s << YAML::Key
          << "reconnect_max_s" << YAML::Value << f.reconnect_max_s;
    } else if (f.type == FeedType::kAircraftJsonPoll) {
      out << YAML::Key << "interval_s" << YAML::Value << f.interval_s << YAML::Key << "timeout_s"
          << YAML::Value << f.timeout_s;
    } else {
      out << YAML::Key << "max_connections" << YAML::Value << f.max_connections;
    }
    out << YAML::Key << "max_pending" << YAML::Value << f.max_pending << YAML::Key
        << "max_state_age_s" << YAML::Value << f.max_state_age_s << YAML::EndMap;
  }
  out << YAML::EndSeq;
  out << YAML::Key << "rules" << YAML::Value << YAML::BeginSeq;
  for (const Rule& r : c.detector.rules) {
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << r.name << YAML::Key
        << "severity" << YAML::Value << std::string(SeverityName(r.severity)) << YAML::Key
        << "horizontal_nm" << YAML::Value << r.horizontal_nm << YAML::Key << "vertical_ft"
        << YAML::Value << r.vertical_ft << YAML::Key << "lookahead_s" << YAML::Value
        << r.lookahead_s;
    if (!r.scope.empty()) {
      out << YAML::Key << "applies" << YAML::Value << YAML::BeginMap;
      if (r.scope.min_alt_ft) out << YAML::Key << "min_alt_ft" << YAML::Value << *r.scope.min_alt_ft;
      if (r.scope.max_alt_ft) out << YAML::Key << "max_alt_ft" << YAML::Value << *r.scope.max_alt_ft;
      if (!r.scope.region.empty()) {
        out << YAML::Key << "region" << YAML::Value << YAML::BeginSeq;
        for (const LatLon& v : r.scope.region) {
          out << YAML::Flow << YAML::BeginSeq << v.lat_deg << v.lon_deg << YAML::EndSeq;
        }
        out << YAML::EndSeq;
      }
      if (!r.scope.categories.empty()) {
        out << YAML::Key << "categories" << YAML::Value << YAML::Flow << r.scope.categories;
      }
      if (r.scope.on_ground) out << YAML::Key << "on_ground" << YAML::Value << true;
      out << YAML::EndMap;
    }
    if (!r.exclude.empty()) {
      out << YAML::Key << "exclude" << YAML::Value << YAML::BeginSeq;
      for (const PairExclusion& e : r.exclude) {
        out << YAML::Flow << YAML::BeginSeq << YAML::DoubleQuoted << e.a << YAML::DoubleQuoted << e.b
            << YAML::EndSeq;
      }
      out << YAML::EndSeq;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace airprox
