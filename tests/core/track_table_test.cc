#include "server/core/track_table.h"

#include <gtest/gtest.h>

namespace airprox {
namespace {

Position At(std::string id, double t, std::string callsign = "") {
  Position p;
  p.track_id = std::move(id);
  p.callsign = std::move(callsign);
  p.time_s = t;
  p.lat_deg = 47.0;
  p.lon_deg = 8.0;
  p.alt_ft = 35000;
  return p;
}

TEST(TrackTable, UpsertReturnsPrevious) {
  TrackTable table;
  TrackUpdate u;
  ASSERT_TRUE(table.Upsert(At("abc123", 100), u).ok());
  EXPECT_FALSE(u.previous.has_value());
  const TrackHandle h = u.handle;
  Position next = At("abc123", 101);
  next.lat_deg = 47.1;
  ASSERT_TRUE(table.Upsert(next, u).ok());
  EXPECT_EQ(u.handle, h);
  ASSERT_TRUE(u.previous.has_value());
  EXPECT_EQ(u.previous->last.time_s, 100);
  EXPECT_EQ(u.previous->last.lat_deg, 47.0);
  EXPECT_EQ(table.At(h).last.lat_deg, 47.1);
  EXPECT_EQ(table.size(), 1u);
}

TEST(TrackTable, RefusesOutOfOrderAndKeepsState) {
  TrackTable table;
  TrackUpdate u;
  ASSERT_TRUE(table.Upsert(At("a", 100), u).ok());
  const Status st = table.Upsert(At("a", 99.5), u);
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(st.reason(), "out_of_order");
  EXPECT_EQ(table.Find("a")->last.time_s, 100);
  EXPECT_TRUE(table.Upsert(At("a", 100), u).ok()) << "the same time is not out of order";
}

TEST(TrackTable, EmptyCallsignKeepsPrevious) {
  TrackTable table;
  TrackUpdate u;
  ASSERT_TRUE(table.Upsert(At("a", 1, "SWR123"), u).ok());
  ASSERT_TRUE(table.Upsert(At("a", 2), u).ok());
  EXPECT_EQ(table.Find("a")->last.callsign, "SWR123");
  ASSERT_TRUE(table.Upsert(At("a", 3, "SWR9"), u).ok());
  EXPECT_EQ(table.Find("a")->last.callsign, "SWR9");
}

TEST(TrackTable, EraseFreesTheIdAndReusesTheSlot) {
  TrackTable table;
  TrackUpdate u;
  ASSERT_TRUE(table.Upsert(At("a", 1), u).ok());
  const TrackHandle h = u.handle;
  ASSERT_TRUE(table.Upsert(At("b", 1), u).ok());
  table.Erase(h);
  EXPECT_EQ(table.Find("a"), nullptr);
  EXPECT_FALSE(table.Live(h));
  EXPECT_EQ(table.size(), 1u);
  ASSERT_TRUE(table.Upsert(At("c", 1), u).ok());
  EXPECT_EQ(u.handle, h);
  EXPECT_EQ(table.Find("c")->last.track_id, "c");
  int live = 0;
  table.ForEach([&](TrackHandle, const Track&) { ++live; });
  EXPECT_EQ(live, 2);
}

TEST(TrackTable, DerivesVelocityOnlyWhenSpeedAndTrackAreKnown) {
  TrackTable table;
  TrackUpdate u;
  Position p = At("a", 1);
  p.ground_speed_kt = 400;
  ASSERT_TRUE(table.Upsert(p, u).ok());
  EXPECT_EQ(geo::Norm(table.At(u.handle).velocity_mps), 0.0);
  p.time_s = 2;
  p.track_deg = 45;
  ASSERT_TRUE(table.Upsert(p, u).ok());
  EXPECT_NEAR(geo::Norm(table.At(u.handle).velocity_mps), 400 * 1852.0 / 3600, 1e-9);
}

}  // namespace
}  // namespace airprox
