#include "server/service/proto_convert.h"

#include <cmath>

namespace airprox {

double FromTimestamp(const google::protobuf::Timestamp& ts) {
  return static_cast<double>(ts.seconds()) + ts.nanos() * 1e-9;
}

void ToTimestamp(double time_s, google::protobuf::Timestamp* ts) {
  const auto us = static_cast<std::int64_t>(std::llround(time_s * 1e6));
  std::int64_t sec = us / 1000000, rem = us % 1000000;
  if (rem < 0) {
    rem += 1000000;
    --sec;
  }
  ts->set_seconds(sec);
  ts->set_nanos(static_cast<std::int32_t>(rem * 1000));
}

Position FromProto(const v1::Position& p) {
  Position out;
  out.track_id = p.track_id();
  out.callsign = p.callsign();
  out.time_s = p.has_time() ? FromTimestamp(p.time()) : 0.0;
  out.lat_deg = p.lat_deg();
  out.lon_deg = p.lon_deg();
  if (p.has_alt_ft()) out.alt_ft = p.alt_ft();
  if (p.has_ground_speed_kt()) out.ground_speed_kt = p.ground_speed_kt();
  if (p.has_track_deg()) out.track_deg = p.track_deg();
  if (p.has_vertical_rate_fpm()) out.vertical_rate_fpm = p.vertical_rate_fpm();
  if (p.has_on_ground()) out.on_ground = p.on_ground();
  out.category = p.category();
  return out;
}

void ToProto(const Position& p, v1::Position* out) {
  out->set_track_id(p.track_id);
  out->set_callsign(p.callsign);
  ToTimestamp(p.time_s, out->mutable_time());
  out->set_lat_deg(p.lat_deg);
  out->set_lon_deg(p.lon_deg);
  if (p.alt_ft) out->set_alt_ft(*p.alt_ft);
  if (p.ground_speed_kt) out->set_ground_speed_kt(*p.ground_speed_kt);
  if (p.track_deg) out->set_track_deg(*p.track_deg);
  if (p.vertical_rate_fpm) out->set_vertical_rate_fpm(*p.vertical_rate_fpm);
  if (p.on_ground) out->set_on_ground(*p.on_ground);
  out->set_category(p.category);
}

v1::Severity ToProto(Severity s) {
  switch (s) {
    case Severity::kAdvisory: return v1::ADVISORY;
    case Severity::kWarning: return v1::WARNING;
    case Severity::kAlert: return v1::ALERT;
  }
  return v1::SEVERITY_UNSPECIFIED;
}

namespace {
v1::EncounterEvent::Kind ToProto(EncounterKind k) {
  switch (k) {
    case EncounterKind::kStarted: return v1::EncounterEvent::STARTED;
    case EncounterKind::kUpdated: return v1::EncounterEvent::UPDATED;
    case EncounterKind::kEnded: return v1::EncounterEvent::ENDED;
  }
  return v1::EncounterEvent::KIND_UNSPECIFIED;
}
}  // namespace

EncounterEvent FromProto(const v1::EncounterEvent& e) {
  EncounterEvent out;
  out.sequence = e.sequence();
  out.encounter_id = e.encounter_id();
  out.kind = e.kind() == v1::EncounterEvent::STARTED   ? EncounterKind::kStarted
             : e.kind() == v1::EncounterEvent::UPDATED ? EncounterKind::kUpdated
                                                       : EncounterKind::kEnded;
  auto severity = [](v1::Severity s) {
    return s == v1::ALERT ? Severity::kAlert : s == v1::WARNING ? Severity::kWarning : Severity::kAdvisory;
  };
  out.severity = severity(e.severity());
  out.max_severity = severity(e.max_severity());
  out.rule = e.rule();
  out.time_s = FromTimestamp(e.time());
  out.a = FromProto(e.a());
  out.b = FromProto(e.b());
  out.horizontal_nm = e.horizontal_nm();
  out.vertical_ft = e.vertical_ft();
  out.time_to_cpa_s = e.time_to_cpa_s();
  out.cpa_horizontal_nm = e.cpa_horizontal_nm();
  out.cpa_vertical_ft = e.cpa_vertical_ft();
  out.closest = {e.closest().horizontal_nm(), e.closest().vertical_ft(),
                 FromTimestamp(e.closest().time()), e.closest().a_lat_deg(), e.closest().a_lon_deg(),
                 e.closest().b_lat_deg(), e.closest().b_lon_deg()};
  out.start_time_s = FromTimestamp(e.start_time());
  out.duration_s = e.duration_s();
  out.end_reason = e.end_reason();
  return out;
}

EncounterFilter FilterFromProto(const v1::SubscribeRequest& r) {
  EncounterFilter f;
  if (r.has_area_box()) {
    const auto& b = r.area_box();
    f.area = {{b.min_lat_deg(), b.min_lon_deg()}, {b.min_lat_deg(), b.max_lon_deg()},
              {b.max_lat_deg(), b.max_lon_deg()}, {b.max_lat_deg(), b.min_lon_deg()}};
  }
  for (const auto& v : r.area_polygon()) f.area.push_back({v.lat_deg(), v.lon_deg()});
  switch (r.min_severity()) {
    case v1::WARNING: f.min_severity = Severity::kWarning; break;
    case v1::ALERT: f.min_severity = Severity::kAlert; break;
    default: f.min_severity = Severity::kAdvisory; break;
  }
  f.rules.assign(r.rules().begin(), r.rules().end());
  f.track_ids.assign(r.track_ids().begin(), r.track_ids().end());
  f.callsign_patterns.assign(r.callsign_patterns().begin(), r.callsign_patterns().end());
  return f;
}

void ToProto(const EncounterEvent& e, v1::EncounterEvent* out) {
  out->set_sequence(e.sequence);
  out->set_encounter_id(e.encounter_id);
  out->set_kind(ToProto(e.kind));
  out->set_severity(ToProto(e.severity));
  out->set_rule(e.rule);
  ToTimestamp(e.time_s, out->mutable_time());
  ToProto(e.a, out->mutable_a());
  ToProto(e.b, out->mutable_b());
  out->set_horizontal_nm(e.horizontal_nm);
  out->set_vertical_ft(e.vertical_ft);
  out->set_time_to_cpa_s(e.time_to_cpa_s);
  out->set_cpa_horizontal_nm(e.cpa_horizontal_nm);
  out->set_cpa_vertical_ft(e.cpa_vertical_ft);
  auto* c = out->mutable_closest();
  c->set_horizontal_nm(e.closest.horizontal_nm);
  c->set_vertical_ft(e.closest.vertical_ft);
  ToTimestamp(e.closest.time_s, c->mutable_time());
  c->set_a_lat_deg(e.closest.a_lat_deg);
  c->set_a_lon_deg(e.closest.a_lon_deg);
  c->set_b_lat_deg(e.closest.b_lat_deg);
  c->set_b_lon_deg(e.closest.b_lon_deg);
  out->set_end_reason(e.end_reason);
  ToTimestamp(e.start_time_s, out->mutable_start_time());
  out->set_duration_s(e.duration_s);
  out->set_max_severity(ToProto(e.max_severity));
}

}  // namespace airprox
