#include "server/service/proto_convert.h"

#include <gtest/gtest.h>

namespace airprox {
namespace {

TEST(ProtoConvert, PositionRoundTripKeepsAbsentFieldsAbsent) {
  Position p;
  p.track_id = "4b1814";
  p.callsign = "SWR12";
  p.time_s = 1533081600.25;
  p.lat_deg = 46.5;
  p.lon_deg = -7.25;
  p.alt_ft = 0.0;  // present and zero differs from absent
  p.on_ground = false;
  v1::Position pb;
  ToProto(p, &pb);
  EXPECT_TRUE(pb.has_alt_ft());
  EXPECT_FALSE(pb.has_ground_speed_kt());
  EXPECT_EQ(pb.time().seconds(), 1533081600);
  EXPECT_EQ(pb.time().nanos(), 250000000);
  const Position back = FromProto(pb);
  EXPECT_EQ(back.track_id, p.track_id);
  EXPECT_EQ(back.time_s, p.time_s);
  EXPECT_EQ(back.alt_ft, 0.0);
  EXPECT_FALSE(back.ground_speed_kt.has_value());
  EXPECT_FALSE(back.track_deg.has_value());
  EXPECT_FALSE(back.vertical_rate_fpm.has_value());
  EXPECT_EQ(back.on_ground, false);
}

TEST(ProtoConvert, MissingTimestampBecomesZeroSoTheCoreRejectsIt) {
  v1::Position pb;
  pb.set_track_id("x");
  EXPECT_EQ(FromProto(pb).time_s, 0.0);
  EXPECT_EQ(ValidatePosition(FromProto(pb)).reason(), "missing_time");
}

TEST(ProtoConvert, NegativeFractionalTimes) {
  google::protobuf::Timestamp ts;
  ToTimestamp(-1.5, &ts);
  EXPECT_EQ(ts.seconds(), -2);
  EXPECT_EQ(ts.nanos(), 500000000);
  EXPECT_EQ(FromTimestamp(ts), -1.5);
}

TEST(ProtoConvert, EventCarriesEveryField) {
  EncounterEvent e;
  e.sequence = 9;
  e.encounter_id = "a-b-1000";
  e.kind = EncounterKind::kEnded;
  e.severity = Severity::kAlert;
  e.rule = "nmac";
  e.time_s = 12.5;
  e.a.track_id = "a";
  e.b.track_id = "b";
  e.horizontal_nm = 1;
  e.vertical_ft = 2;
  e.time_to_cpa_s = 3;
  e.cpa_horizontal_nm = 4;
  e.cpa_vertical_ft = 5;
  e.closest = {6, 7, 8, 1.5, 2.5, 3.5, 4.5};
  e.start_time_s = 2;
  e.duration_s = 10.5;
  e.max_severity = Severity::kAlert;
  e.end_reason = "separated";
  v1::EncounterEvent pb;
  ToProto(e, &pb);
  EXPECT_EQ(pb.sequence(), 9u);
  EXPECT_EQ(pb.encounter_id(), "a-b-1000");
  EXPECT_EQ(pb.kind(), v1::EncounterEvent::ENDED);
  EXPECT_EQ(pb.severity(), v1::ALERT);
  EXPECT_EQ(pb.rule(), "nmac");
  EXPECT_EQ(pb.time().seconds(), 12);
  EXPECT_EQ(pb.a().track_id(), "a");
  EXPECT_EQ(pb.b().track_id(), "b");
  EXPECT_EQ(pb.horizontal_nm(), 1);
  EXPECT_EQ(pb.vertical_ft(), 2);
  EXPECT_EQ(pb.time_to_cpa_s(), 3);
  EXPECT_EQ(pb.cpa_horizontal_nm(), 4);
  EXPECT_EQ(pb.cpa_vertical_ft(), 5);
  EXPECT_EQ(pb.closest().horizontal_nm(), 6);
  EXPECT_EQ(pb.closest().vertical_ft(), 7);
  EXPECT_EQ(pb.closest().time().seconds(), 8);
  EXPECT_EQ(pb.closest().a_lat_deg(), 1.5);
  EXPECT_EQ(pb.closest().a_lon_deg(), 2.5);
  EXPECT_EQ(pb.closest().b_lat_deg(), 3.5);
  EXPECT_EQ(pb.closest().b_lon_deg(), 4.5);
  EXPECT_EQ(pb.end_reason(), "separated");
  EXPECT_EQ(pb.start_time().seconds(), 2);
  EXPECT_EQ(pb.duration_s(), 10.5);
  EXPECT_EQ(pb.max_severity(), v1::ALERT);
}

}  // namespace
}  // namespace airprox
