#include "server/core/position.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace airprox {
namespace {

Position Valid() {
  Position p;
  p.track_id = "4b1814";
  p.time_s = 1533081600;
  p.lat_deg = 46.9;
  p.lon_deg = 7.4;
  p.alt_ft = 36000;
  return p;
}

TEST(Position, ValidRecordPasses) { EXPECT_TRUE(ValidatePosition(Valid()).ok()); }

TEST(Position, EachProblemHasItsReason) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  struct Case {
    void (*mutate)(Position&, double, double);
    const char* reason;
  };
  const Case cases[] = {
      {[](Position& p, double, double) { p.track_id.clear(); }, "missing_track_id"},
      {[](Position& p, double, double) { p.track_id.assign(65, 'x'); }, "track_id_too_long"},
      {[](Position& p, double, double) { p.callsign.assign(17, 'x'); }, "callsign_too_long"},
      {[](Position& p, double, double) { p.callsign = "SWR\xff"; }, "not_utf8"},
      {[](Position& p, double, double) { p.track_id = "4b\xc0\xaf"; }, "not_utf8"},
      {[](Position& p, double, double) { p.category = "A\xed\xa0\x80"; }, "not_utf8"},
      {[](Position& p, double, double) { p.time_s = 0; }, "missing_time"},
      {[](Position& p, double n, double) { p.lat_deg = n; }, "lat_out_of_range"},
      {[](Position& p, double, double) { p.lat_deg = -90.0001; }, "lat_out_of_range"},
      {[](Position& p, double, double i) { p.lon_deg = i; }, "lon_out_of_range"},
      {[](Position& p, double, double) { p.lon_deg = 180.5; }, "lon_out_of_range"},
      {[](Position& p, double n, double) { p.alt_ft = n; }, "alt_out_of_range"},
      {[](Position& p, double, double) { p.ground_speed_kt = -1; }, "ground_speed_out_of_range"},
      {[](Position& p, double, double) { p.track_deg = 361; }, "track_out_of_range"},
      {[](Position& p, double, double i) { p.vertical_rate_fpm = -i; }, "vertical_rate_out_of_range"},
  };
  for (const Case& c : cases) {
    Position p = Valid();
    c.mutate(p, nan, inf);
    const Status st = ValidatePosition(p);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << c.reason;
    EXPECT_EQ(st.reason(), c.reason);
    EXPECT_FALSE(st.message().empty());
  }
}

TEST(Position, Utf8IsCheckedByTheRfc3629Rules) {
  EXPECT_TRUE(IsUtf8(""));
  EXPECT_TRUE(IsUtf8("SWR12"));
  EXPECT_TRUE(IsUtf8("Z\xc3\xbcrich"));          // ü
  EXPECT_TRUE(IsUtf8("\xe2\x82\xac"));           // €
  EXPECT_TRUE(IsUtf8("\xf0\x9f\x9b\xa9"));       // U+1F6E9, a small airplane
  EXPECT_TRUE(IsUtf8("\xf4\x8f\xbf\xbf"));       // U+10FFFF
  EXPECT_FALSE(IsUtf8("\x80"));                   // a continuation byte alone
  EXPECT_FALSE(IsUtf8("\xc3"));                   // cut short
  EXPECT_FALSE(IsUtf8("\xc1\xbf"));               // overlong
  EXPECT_FALSE(IsUtf8("\xe0\x80\xaf"));           // overlong
  EXPECT_FALSE(IsUtf8("\xed\xa0\x80"));           // a surrogate
  EXPECT_FALSE(IsUtf8("\xf4\x90\x80\x80"));       // past U+10FFFF
  EXPECT_FALSE(IsUtf8("\xe2\x82"));               // cut short
  EXPECT_FALSE(IsUtf8("\xe2\x28\xa1"));           // bad continuation
}

TEST(Position, BoundaryValuesAreValid) {
  Position p = Valid();
  p.lat_deg = 90;
  p.lon_deg = -180;
  p.track_deg = 360;
  p.ground_speed_kt = 0;
  EXPECT_TRUE(ValidatePosition(p).ok());
}

}  // namespace
}  // namespace airprox
