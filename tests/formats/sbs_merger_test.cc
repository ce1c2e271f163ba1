#include "server/formats/sbs_merger.h"

#include <gtest/gtest.h>

#include <map>
#include <tuple>

namespace airprox {
namespace {

// One SBS MSG line of transmission type `type` for `hex` at 2017/12/01 `time` UTC, with the given
// fields (numbered from 1 as in the format's documentation) filled in.
std::string Msg(int type, const std::string& hex, const std::string& time,
                const std::map<int, std::string>& fields = {}) {
  std::string line = "MSG," + std::to_string(type) + ",1,1," + hex + ",1,2017/12/01," + time +
                     ",2017/12/01," + time;
  for (int f = 11; f <= 22; ++f) {
    auto it = fields.find(f);
    line += "," + (it == fields.end() ? std::string() : it->second);
  }
  return line;
}

constexpr double kT0 = 1512133200.0;  // 2017-12-01 13:00:00 UTC

// Feeds a line that must be good; returns its position, if any.
std::optional<Position> Feed(SbsMerger& m, const std::string& line) {
  std::optional<Position> out;
  const Status st = m.Feed(line, out);
  EXPECT_TRUE(st.ok()) << line << ": " << st.message();
  return out;
}

TEST(SbsMerger, MergesCallsignPositionAndVelocity) {
  SbsMerger m;
  EXPECT_FALSE(Feed(m, Msg(1, "39C424", "13:00:00.000", {{11, "AFR787V "}})));
  EXPECT_FALSE(Feed(m, Msg(4, "39C424", "13:00:00.500", {{13, "148"}, {14, "86.5"}, {17, "-2346"}})));
  const auto p = Feed(m, Msg(3, "39C424", "13:00:01.250",
                             {{12, "1300"}, {15, "48.99822"}, {16, "2.60935"}, {22, "0"}}));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->track_id, "39c424");
  EXPECT_EQ(p->callsign, "AFR787V");
  EXPECT_DOUBLE_EQ(p->time_s, kT0 + 1.25);
  EXPECT_EQ(p->lat_deg, 48.99822);
  EXPECT_EQ(p->lon_deg, 2.60935);
  EXPECT_EQ(p->alt_ft, 1300);
  EXPECT_EQ(p->ground_speed_kt, 148);
  EXPECT_EQ(p->track_deg, 86.5);
  EXPECT_EQ(p->vertical_rate_fpm, -2346);
  EXPECT_EQ(p->on_ground, false);
  EXPECT_EQ(m.aircraft(), 1u);
}

TEST(SbsMerger, StateOlderThanTheMaximumAgeIsNotAttached) {
  SbsMerger m(SbsMergerOptions{.max_state_age_s = 10.0});
  Feed(m, Msg(1, "abc123", "13:00:00.000", {{11, "TEST1"}}));
  Feed(m, Msg(4, "abc123", "13:00:00.000", {{13, "250"}, {14, "90"}, {17, "0"}}));
  Feed(m, Msg(5, "abc123", "13:00:00.000", {{12, "30000"}, {22, "0"}}));
  const auto at_limit = Feed(m, Msg(3, "abc123", "13:00:10.000", {{15, "1"}, {16, "2"}}));
  ASSERT_TRUE(at_limit);
  EXPECT_EQ(at_limit->ground_speed_kt, 250);
  EXPECT_EQ(at_limit->alt_ft, 30000);
  EXPECT_EQ(at_limit->on_ground, false);
  const auto past = Feed(m, Msg(3, "abc123", "13:00:10.001", {{15, "1"}, {16, "2"}}));
  ASSERT_TRUE(past);
  EXPECT_FALSE(past->ground_speed_kt || past->track_deg || past->vertical_rate_fpm);
  EXPECT_FALSE(past->alt_ft);
  EXPECT_FALSE(past->on_ground);
  EXPECT_EQ(past->callsign, "TEST1");  // a callsign does not age
}

TEST(SbsMerger, LateLinesDoNotOverwriteNewerState) {
  SbsMerger m;
  Feed(m, Msg(4, "abc123", "13:00:05.000", {{13, "200"}, {14, "10"}, {17, "500"}}));
  Feed(m, Msg(4, "abc123", "13:00:03.000", {{13, "100"}, {14, "20"}, {17, "0"}}));
  Feed(m, Msg(1, "abc123", "13:00:05.000", {{11, "NEW"}}));
  Feed(m, Msg(1, "abc123", "13:00:04.000", {{11, "OLD"}}));
  auto p = Feed(m, Msg(3, "abc123", "13:00:06.000", {{12, "5000"}, {15, "1"}, {16, "2"}}));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->ground_speed_kt, 200);
  EXPECT_EQ(p->callsign, "NEW");
  // A late position keeps its own altitude, and the newer kept one is not overwritten.
  p = Feed(m, Msg(3, "abc123", "13:00:02.000", {{12, "4000"}, {15, "1"}, {16, "2"}}));
  EXPECT_EQ(p->alt_ft, 4000);
  p = Feed(m, Msg(3, "abc123", "13:00:07.000", {{15, "1"}, {16, "2"}}));
  EXPECT_EQ(p->alt_ft, 5000);
}

TEST(SbsMerger, SurfacePositionIsOnTheGroundWithItsOwnSpeedAndTrack) {
  SbsMerger m;
  Feed(m, Msg(4, "abc123", "13:00:00.000", {{13, "140"}, {14, "270"}, {17, "-700"}}));
  const auto p = Feed(m, Msg(2, "abc123", "13:00:01.000",
                             {{13, "12"}, {14, "95"}, {15, "48.7"}, {16, "2.35"}, {22, "-1"}}));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->on_ground, true);
  EXPECT_EQ(p->ground_speed_kt, 12);
  EXPECT_EQ(p->track_deg, 95);
  EXPECT_FALSE(p->vertical_rate_fpm);
  EXPECT_FALSE(p->alt_ft);
  // Even without field 22 a surface position is on the ground, and it counts as velocity.
  const auto q = Feed(m, Msg(2, "abc123", "13:00:02.000", {{15, "48.7"}, {16, "2.35"}}));
  EXPECT_EQ(q->on_ground, true);
  EXPECT_EQ(q->ground_speed_kt, 12);
}

TEST(SbsMerger, AltitudeAndOnGroundComeFromTheOtherMessageTypes) {
  SbsMerger m;
  Feed(m, Msg(7, "abc123", "13:00:00.000", {{12, "2500"}}));
  auto p = Feed(m, Msg(3, "abc123", "13:00:01.000", {{15, "1"}, {16, "2"}}));
  EXPECT_EQ(p->alt_ft, 2500);
  EXPECT_FALSE(p->on_ground);
  int second = 2;
  auto at = [&second](int offset) {
    const int s = second + offset;
    return "13:00:" + std::string(s < 10 ? "0" : "") + std::to_string(s) + ".000";
  };
  for (int type : {5, 6, 8}) {
    Feed(m, Msg(type, "abc123", at(0), {{22, "-1"}}));
    p = Feed(m, Msg(3, "abc123", at(1), {{15, "1"}, {16, "2"}}));
    EXPECT_EQ(p->on_ground, true) << "MSG," << type;
    p = Feed(m, Msg(3, "abc123", at(2), {{15, "1"}, {16, "2"}, {22, "0"}}));
    EXPECT_EQ(p->on_ground, false) << "its own flag first";
    second += 10;
  }
}

TEST(SbsMerger, AircraftAreMergedSeparately) {
  SbsMerger m;
  Feed(m, Msg(1, "AAAAAA", "13:00:00.000", {{11, "ONE"}}));
  Feed(m, Msg(4, "AAAAAA", "13:00:00.000", {{13, "100"}}));
  const auto p = Feed(m, Msg(3, "BBBBBB", "13:00:01.000", {{15, "1"}, {16, "2"}}));
  EXPECT_EQ(p->track_id, "bbbbbb");
  EXPECT_TRUE(p->callsign.empty());
  EXPECT_FALSE(p->ground_speed_kt);
  EXPECT_EQ(m.aircraft(), 2u);
}

TEST(SbsMerger, PositionMessagesWithoutLatLonAreCountedNotEmitted) {
  SbsMerger m;
  EXPECT_FALSE(Feed(m, Msg(3, "abc123", "13:00:00.000", {{12, "9000"}})));
  EXPECT_EQ(m.skipped(), 1u);
  const auto p = Feed(m, Msg(3, "abc123", "13:00:01.000", {{15, "1"}, {16, "2"}}));
  EXPECT_EQ(p->alt_ft, 9000);
}

TEST(SbsMerger, OtherMessageTypesAndBlankLinesYieldNothing) {
  SbsMerger m;
  for (const char* line : {"", "  ", "STA,,5,179,400AE7,10103,2008/11/28,14:58:51.153,2008/11/28,14:58:51.153,RM",
                           "SEL,,496,2286,4CA4E5,27215,2010/02/19,18:06:07.710,2010/02/19,18:06:07.710,RYR1427",
                           "ID,,496,7162,405637,27928,2010/02/19,18:06:07.115,2010/02/19,18:06:07.115,EZY691A",
                           "AIR,,496,5906,400F01,27931,2010/02/19,18:06:07.128,2010/02/19,18:06:07.128", "CLK,,,,,,,"}) {
    EXPECT_FALSE(Feed(m, line)) << line;
  }
  EXPECT_EQ(m.aircraft(), 0u);
}

TEST(SbsMerger, TimesAreUtcWithFractionsAndTheLoggedTimeStandsInForAMissingOne) {
  SbsMerger m;
  auto p = Feed(m, "MSG,3,1,1,ABC123,1,2020/02/29,23:59:59.5,2020/03/01,00:00:00.1,,,,,1,2,,,,,,");
  EXPECT_DOUBLE_EQ(p->time_s, 1583020799.5);
  p = Feed(m, "MSG,3,1,1,ABC123,1,,,2020/03/01,00:00:01,,,,,1,2,,,,,,");
  EXPECT_DOUBLE_EQ(p->time_s, 1583020801.0);
  p = Feed(m, "MSG,3,1,1,ABC123,1,2020/03/01,00:00:02.125,,,,,,,1,2,,,,,,");
  EXPECT_EQ(p->time_s, 1583020802.125);
}

TEST(SbsMerger, TakesLinesAsAFeedSendsThem) {
  SbsMerger m;
  const auto p = Feed(m, Msg(3, "abc123", "13:00:00.000", {{15, "1"}, {16, "2"}, {22, "-1"}}) + "\r\n");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->on_ground, true);
}

TEST(SbsMerger, MalformedLinesAreErrorsThatChangeNothing) {
  SbsMerger m;
  Feed(m, Msg(1, "abc123", "13:00:00.000", {{11, "GOOD"}}));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"MSG,3,1,1,ABC123", "5 fields, an SBS MSG line has 22"},
      {"XYZ,3", "message type 'XYZ' is not MSG, SEL, ID, AIR, STA or CLK"},
      {Msg(9, "abc123", "13:00:01.000", {{11, "BAD"}}), "transmission type (field 2) '9' is not 1 to 8"},
      {Msg(1, "", "13:00:01.000", {{11, "BAD"}}), "hex ident (field 5) is empty"},
      {Msg(1, "abc123", "25:00:01.000", {{11, "BAD"}}),
       "date and time '2017/12/01 25:00:01.000' (fields 7, 8) are not YYYY/MM/DD HH:MM:SS.sss"},
      {"MSG,1,1,1,ABC123,1,2017/02/29,13:00:00,,,BAD,,,,,,,,,,,",
       "date and time '2017/02/29 13:00:00' (fields 7, 8) are not YYYY/MM/DD HH:MM:SS.sss"},
      {Msg(3, "abc123", "13:00:01.000", {{11, "BAD"}, {12, "FL300"}, {15, "1"}, {16, "2"}}),
       "altitude (field 12) 'FL300' is not a number"},
      {Msg(3, "abc123", "13:00:01.000", {{11, "BAD"}, {15, "1"}}),
       "latitude and longitude (fields 15, 16) must both be given or both be empty"},
      {Msg(3, "abc123", "13:00:01.000", {{11, "BAD"}, {15, "1"}, {16, "2"}, {22, "yes"}}),
       "on-ground flag (field 22) 'yes' is not -1, 0 or empty"},
      {Msg(1, "abc123", "13:00:01.000", {{11, std::string(600, 'X')}}), "line is longer than 512 bytes"},
  };
  for (const auto& [line, message] : cases) {
    std::optional<Position> out;
    const Status st = m.Feed(line, out);
    EXPECT_EQ(st.message(), message) << line;
    EXPECT_EQ(st.reason(), "format");
    EXPECT_FALSE(out);
  }
  const auto p = Feed(m, Msg(3, "abc123", "13:00:02.000", {{15, "1"}, {16, "2"}}));
  EXPECT_EQ(p->callsign, "GOOD");
  EXPECT_EQ(m.aircraft(), 1u);
}

// Found by fuzzing (tests/fuzz/sbs_merger_fuzz.cc): the transmission type was read into an int
// digit by digit without a bound, so a long one overflowed (undefined behaviour) and, wrapping
// around, 4294967299 read as 3 and gave a position.
TEST(SbsMerger, TransmissionTypesTooLongForAnIntAreMalformed) {
  SbsMerger m;
  for (const std::string type : {"4294967299", "22222222222223", "0000000003"}) {
    std::string line = Msg(3, "abc123", "13:00:01.000", {{15, "1"}, {16, "2"}});
    line.replace(4, 1, type);
    std::optional<Position> out;
    const Status st = m.Feed(line, out);
    EXPECT_EQ(st.message(), "transmission type (field 2) '" + type + "' is not 1 to 8") << line;
    EXPECT_FALSE(out);
  }
  EXPECT_EQ(m.aircraft(), 0u);
}

// Found by fuzzing (tests/fuzz/sbs_merger_fuzz.cc): number fields took "nan", "inf" and
// "Infinity" (std::from_chars reads them), and the merger kept them: one MSG,5 with altitude "nan"
// gave every position of the next 10 s a NaN altitude, and the core refused those positions whole.
TEST(SbsMerger, NonFiniteNumbersAreMalformedAndKeptStateStaysGood) {
  SbsMerger m;
  Feed(m, Msg(5, "abc123", "13:00:00.000", {{12, "30000"}}));
  Feed(m, Msg(4, "abc123", "13:00:00.000", {{13, "250"}, {14, "90"}, {17, "0"}}));
  for (const auto& [field, text, name] :
       {std::tuple{12, "nan", "altitude (field 12)"}, {12, "inf", "altitude (field 12)"},
        {13, "Infinity", "ground speed (field 13)"}, {17, "-inf", "vertical rate (field 17)"},
        {15, "NaN", "latitude (field 15)"}}) {
    const int type = field == 12 ? 5 : field == 15 ? 3 : 4;
    std::map<int, std::string> fields = {{field, text}};
    if (field == 15) fields[16] = "2";
    std::optional<Position> out;
    const Status st = m.Feed(Msg(type, "abc123", "13:00:01.000", fields), out);
    EXPECT_EQ(st.message(), std::string(name) + " '" + text + "' is not a number");
    EXPECT_FALSE(out);
  }
  const auto p = Feed(m, Msg(3, "abc123", "13:00:02.000", {{15, "1"}, {16, "2"}}));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->alt_ft, 30000);
  EXPECT_EQ(p->ground_speed_kt, 250);
  EXPECT_EQ(p->vertical_rate_fpm, 0);
}

TEST(SbsMerger, EvictsTheAircraftHeardFromLongestAgo) {
  SbsMerger m(SbsMergerOptions{.max_aircraft = 2});
  Feed(m, Msg(1, "AAAAAA", "13:00:00.000", {{11, "A"}}));
  Feed(m, Msg(1, "BBBBBB", "13:00:01.000", {{11, "B"}}));
  Feed(m, Msg(4, "AAAAAA", "13:00:02.000", {{13, "100"}}));  // A heard again: B is now the stalest
  Feed(m, Msg(1, "CCCCCC", "13:00:03.000", {{11, "C"}}));
  EXPECT_EQ(m.aircraft(), 2u);
  EXPECT_EQ(m.evicted(), 1u);
  EXPECT_EQ(Feed(m, Msg(3, "AAAAAA", "13:00:04.000", {{15, "1"}, {16, "2"}}))->callsign, "A");
  EXPECT_EQ(Feed(m, Msg(3, "CCCCCC", "13:00:04.000", {{15, "1"}, {16, "2"}}))->callsign, "C");
  EXPECT_EQ(Feed(m, Msg(3, "BBBBBB", "13:00:04.000", {{15, "1"}, {16, "2"}}))->callsign, "");
  EXPECT_EQ(m.evicted(), 2u);
}

}  // namespace
}  // namespace airprox
