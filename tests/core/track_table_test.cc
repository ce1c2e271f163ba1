#include "server/core/track_table.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

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

TEST(TrackTable, UpsertReportsCreationAndKeepsThePreviousFix) {
  TrackTable table;
  TrackUpdate u;
  ASSERT_TRUE(table.Upsert(At("abc123", 100), u).ok());
  EXPECT_TRUE(u.created);
  const TrackHandle h = u.handle;
  EXPECT_FALSE(table.At(h).previous);
  Position next = At("abc123", 101);
  next.lat_deg = 47.001;
  ASSERT_TRUE(table.Upsert(next, u).ok());
  EXPECT_EQ(u.handle, h);
  EXPECT_FALSE(u.created);
  ASSERT_TRUE(table.At(h).previous.has_value());
  EXPECT_EQ(table.At(h).previous->time_s, 100);
  const geo::Vec3 before = geo::ToSurfacePoint(47.0, 8.0).ecef_m;
  EXPECT_EQ(table.At(h).previous->ecef_m.x, before.x);
  EXPECT_EQ(table.At(h).previous->ecef_m.y, before.y);
  EXPECT_EQ(table.At(h).previous->ecef_m.z, before.z);
  EXPECT_EQ(table.At(h).previous->alt_ft, 35000);
  EXPECT_EQ(table.At(h).last.lat_deg, 47.001);
  EXPECT_EQ(table.size(), 1u);
}

TEST(TrackTable, PastMaxTracksNewTracksAreRefusedAndExistingOnesKeepUpdating) {
  TrackTableOptions options;
  options.max_tracks = 2;
  TrackTable table(options);
  TrackUpdate u;
  ASSERT_TRUE(table.Upsert(At("a00001", 100), u).ok());
  ASSERT_TRUE(table.Upsert(At("a00002", 100), u).ok());
  const Status st = table.Upsert(At("a00003", 100), u);
  EXPECT_EQ(st.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(st.reason(), "too_many_tracks");
  EXPECT_NE(st.message().find("limits.max_tracks = 2"), std::string::npos) << st.message();
  EXPECT_EQ(table.size(), 2u);
  EXPECT_EQ(table.Find("a00003"), nullptr);
  ASSERT_TRUE(table.Upsert(At("a00001", 101), u).ok());  // an existing track goes on
  EXPECT_EQ(table.Find("a00001")->last.time_s, 101);
  table.Erase(*table.HandleOf("a00002"));  // room again
  EXPECT_TRUE(table.Upsert(At("a00003", 102), u).ok());
}

TEST(TrackTable, RefusesOutOfOrderAndKeepsState) {
  TrackTable table;
  TrackUpdate u;
  ASSERT_TRUE(table.Upsert(At("a", 100), u).ok());
  const Status st = table.Upsert(At("a", 99.5), u);
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(st.reason(), "out_of_order");
  EXPECT_EQ(table.Find("a")->last.time_s, 100);
  const Status dup = table.Upsert(At("a", 100), u);
  EXPECT_EQ(dup.reason(), "duplicate");
  EXPECT_TRUE(table.Upsert(At("a", 100.5), u).ok());
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

TEST(TrackTable, AReportWithoutAltitudeKeepsTheTrackChecked) {
  TrackTable table;
  TrackUpdate u;
  Position p = At("a", 100);
  p.vertical_rate_fpm = 600;  // climbing at 10 ft/s
  ASSERT_TRUE(table.Upsert(p, u).ok());
  p.time_s = 105;
  p.alt_ft.reset();
  p.vertical_rate_fpm.reset();
  ASSERT_TRUE(table.Upsert(p, u).ok());
  const Track& t = table.At(u.handle);
  EXPECT_TRUE(t.Checkable());
  EXPECT_TRUE(t.altitude_carried);
  EXPECT_EQ(t.last.alt_ft, 35050);
  p.time_s = 200;  // too long after: not carried
  ASSERT_TRUE(table.Upsert(p, u).ok());
  EXPECT_FALSE(table.At(u.handle).Checkable());
}

TEST(TrackTable, TeleportsAreRefusedUntilTheNewPositionPersists) {
  TrackTableOptions o;
  o.max_speed_kt = 1000;
  o.teleports_before_reset = 3;
  TrackTable table(o);
  TrackUpdate u;
  Position p = At("a", 100);
  ASSERT_TRUE(table.Upsert(p, u).ok());
  p.time_s = 110;
  p.lat_deg += 0.04;  // 4.4 km in 10 s: under 1000 kt (5.1 km) plus slack
  ASSERT_TRUE(table.Upsert(p, u).ok());
  p.time_s = 111;
  p.lat_deg += 1.0;  // 111 km in 1 s
  Status st = table.Upsert(p, u);
  EXPECT_EQ(st.reason(), "teleport");
  EXPECT_NE(st.message().find("max_speed_kt = 1000"), std::string::npos) << st.message();
  p.time_s = 112;
  EXPECT_EQ(table.Upsert(p, u).reason(), "teleport");
  EXPECT_EQ(table.Find("a")->last.time_s, 110);
  p.time_s = 113;  // third time in a row at the new place: the old fix was the bad one
  ASSERT_TRUE(table.Upsert(p, u).ok());
  EXPECT_EQ(table.Find("a")->last.lat_deg, p.lat_deg);
  EXPECT_FALSE(table.Find("a")->previous) << "no motion is derived across a re-anchor";
}

TEST(TrackTable, VelocityIsDerivedFromThePreviousFixWhenMissing) {
  TrackTable table;
  TrackUpdate u;
  Position p = At("a", 100);
  ASSERT_TRUE(table.Upsert(p, u).ok());
  EXPECT_EQ(geo::Norm(table.At(u.handle).velocity_mps), 0.0);
  p.time_s = 110;
  p.lat_deg += 0.01;  // about 1112 m north in 10 s
  p.alt_ft = 35500;   // +500 ft in 10 s
  ASSERT_TRUE(table.Upsert(p, u).ok());
  const Track& t = table.At(u.handle);
  EXPECT_TRUE(t.velocity_derived);
  EXPECT_NEAR(t.ground_speed_mps, 111.2, 0.5);
  EXPECT_NEAR(geo::Dot(t.velocity_mps, t.surface.north), t.ground_speed_mps, 1e-6);
  EXPECT_NEAR(t.vertical_fps, 50, 1e-9);
  // Reported velocity wins.
  p.time_s = 111;
  p.ground_speed_kt = 100;
  p.track_deg = 90;
  p.vertical_rate_fpm = 0;
  ASSERT_TRUE(table.Upsert(p, u).ok());
  EXPECT_FALSE(table.At(u.handle).velocity_derived);
  EXPECT_NEAR(geo::Dot(table.At(u.handle).velocity_mps, table.At(u.handle).surface.east), 51.44, 0.01);
}

TEST(TrackTable, FixesAFractionOfASecondApartGiveNoVelocity) {
  // Found by the detector fuzzer: 50 m of position noise 0.1 ms apart read as 500 km/s, and an
  // unbounded speed made the candidate radius, and one report's detection, unbounded.
  TrackTable table;
  TrackUpdate u;
  Position p = At("a", 100);
  ASSERT_TRUE(table.Upsert(p, u).ok());
  p.time_s = 100.0001;
  p.lat_deg += 0.00045;  // 50 m
  p.alt_ft = 35900;      // +900 ft in 0.1 ms
  ASSERT_TRUE(table.Upsert(p, u).ok());
  const Track& t = table.At(u.handle);
  EXPECT_FALSE(t.velocity_derived);
  EXPECT_EQ(t.ground_speed_mps, 0.0);
  EXPECT_EQ(t.vertical_fps, 0.0);
  // A second later, the same jump is a plausible 50 m/s; a 90,000 ft/min climb is a glitch.
  Position q = p;
  q.time_s = p.time_s + 1;
  q.lat_deg += 0.00045;
  q.alt_ft = *p.alt_ft + 1500;
  ASSERT_TRUE(table.Upsert(q, u).ok());
  EXPECT_TRUE(table.At(u.handle).velocity_derived);
  EXPECT_NEAR(table.At(u.handle).ground_speed_mps, 50, 1);
  EXPECT_EQ(table.At(u.handle).vertical_fps, 0.0);
}

TEST(TrackTable, ManyIdsComeAndGo) {
  // Thousands of ids created, updated and erased in a random order (the id table grows and shifts
  // runs back on erase): every live id must map to its own track, every erased one to nothing.
  TrackTable table;
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> pick(0, 4999);
  std::map<std::string, TrackHandle> live;
  std::map<std::string, double> last_time;
  double t = 1;
  for (int step = 0; step < 40000; ++step) {
    const std::string id = fmt::format("{:06x}", pick(rng) * 7919);
    t += 0.01;
    if (step % 3 == 2) {
      if (auto h = table.HandleOf(id)) {
        table.Erase(*h);
        live.erase(id);
      }
      continue;
    }
    TrackUpdate u;
    ASSERT_TRUE(table.Upsert(At(id, t), u).ok());
    EXPECT_EQ(u.created, !live.count(id));
    if (!u.created) {
      EXPECT_EQ(u.handle, live[id]);
    }
    live[id] = u.handle;
  }
  EXPECT_EQ(table.size(), live.size());
  for (int i = 0; i < 5000; ++i) {
    const std::string id = fmt::format("{:06x}", i * 7919);
    const auto h = table.HandleOf(id);
    ASSERT_EQ(h.has_value(), live.count(id) == 1) << id;
    if (h) {
      EXPECT_EQ(*h, live[id]);
      EXPECT_EQ(table.At(*h).last.track_id, id);
      EXPECT_EQ(table.Find(id), &table.At(*h));
    } else {
      EXPECT_EQ(table.Find(id), nullptr);
    }
  }
}

}  // namespace
}  // namespace airprox
