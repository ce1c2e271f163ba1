// Two-aircraft scenarios. Each places both aircraft at the moment of their closest approach (tc)
// and flies them out from there along geodesics, so the closest approach is exact by construction:
// two aircraft abeam each other (server/scenario/flight.h, Abeam) flying parallel or opposite
// courses are at their closest when abeam, on the ellipsoid as on a plane.
//
// With the default rules (conflict ADVISORY 5 NM / 1000 ft within 120 s; loss-of-separation
// WARNING 5 NM / 1000 ft now; nmac ALERT 500 ft / 100 ft now) each produces one encounter; it
// starts as ADVISORY when the loss is predicted (about 2 minutes ahead) and ends, "separated", once
// the rule it holds has been clear (by 10%) for 60 s and no other is held, well before the
// scenario's end. Times below are seconds from the scenario's start, to within a report period.
#include <cmath>

#include "server/core/units.h"
#include "server/scenario/scenarios.h"

namespace airprox::scenario {
namespace {

using units::ft_to_m;
using units::kt_to_mps;
using units::m_to_nm;
using units::nm_to_m;

// A scenario of two aircraft reporting from its start to its end, and their one encounter.
Scenario Pair(double duration_s, std::uint32_t seed, Flight a, Flight b,
              ExpectedEncounter encounter) {
  Scenario s;
  s.duration_s = duration_s;
  s.seed = seed;
  a.last_report_s = b.last_report_s = duration_s;
  s.flights = {std::move(a), std::move(b)};
  s.expected = {std::move(encounter)};
  return s;
}

// An airliner on the geodesic through `at` in at's direction at a constant ground speed, there at
// `at_s`.
Flight Airliner(std::string id, std::string callsign, const PathPoint& at, double at_s,
                double speed_kt, AltitudeProfile altitude) {
  return StraightFlight(std::move(id), std::move(callsign), "A3", at, at_s, speed_kt,
                        std::move(altitude), 0, 0);
}

}  // namespace

// head-on: HDON1 eastbound and HDON2 westbound at FL350, 450 kt each (900 kt closing), on parallel
// geodesics 300 ft apart, abeam at tc = 300 s over the Massif Central.
// Expected: one encounter, ALERT (nmac: 300 ft < 500 ft at 0 ft vertical, for a quarter of a second
// either side of tc: found between fixes), closest 300 ft = 0.049 NM at 300 s. ADVISORY from about
// 161 s (35 NM apart), WARNING within 5 NM (280 to 320 s), ALERT at the pass, ENDED about 361 s
// (60 s after the nmac cylinder, when nothing else is held: by then 15 NM apart).
Scenario HeadOn() {
  constexpr double kTc = 300, kOffsetFt = 300;
  const PathPoint east{45.0, 3.0, 90.0};
  return Pair(
      600, 1, Airliner("400a01", "HDON1", east, kTc, 450, AltitudeProfile(35000)),
      Airliner("400a02", "HDON2", Reversed(Abeam(east, -ft_to_m(kOffsetFt))), kTc, 450,
               AltitudeProfile(35000)),
      {"400a01", "400a02", Severity::kAlert, m_to_nm(ft_to_m(kOffsetFt)), 0, kTc, 2, {kTc}});
}

// crossing: XING1 northbound at 420 kt and XING2 eastbound at 480 kt at FL330 over northern
// Switzerland, on tracks 90 degrees apart; XING2 crosses ahead of XING1, and at tc = 300 s they are
// 1 NM apart, XING2 at a bearing perpendicular to their relative velocity (41.2 degrees from
// XING1).
// Expected: one encounter, WARNING, closest 1.0 NM at 300 s (0 ft). ADVISORY from about 153 s,
// WARNING within 5 NM from 272 to 328 s (638 kt closing), ENDED about 391 s.
Scenario Crossing() {
  constexpr double kTc = 300, kMissNm = 1.0, kNorthKt = 420, kEastKt = 480;
  const PathPoint north{47.5, 8.5, 0.0};
  // The relative velocity (east - north) is (480 E, -420 N); the miss is perpendicular to it.
  const double bearing = units::rad_to_deg(std::atan2(kNorthKt, kEastKt));
  PathPoint east = Advance({north.lat_deg, north.lon_deg, bearing}, nm_to_m(kMissNm));
  east.azimuth_deg = 90.0;
  return Pair(600, 2, Airliner("400b01", "XING1", north, kTc, kNorthKt, AltitudeProfile(33000)),
              Airliner("400b02", "XING2", east, kTc, kEastKt, AltitudeProfile(33000)),
              {"400b01", "400b02", Severity::kWarning, kMissNm, 0, kTc, 2, {}});
}

// climb-through: CLMB1 eastbound at 420 kt climbs from FL280 to FL320 at 2000 fpm (240 to 360 s),
// through the level of LEVL1, westbound at FL300 and 440 kt on a parallel geodesic 2 NM to the
// north, exactly when they are abeam (tc = 300 s) over the Strait of Dover.
// Expected: one encounter, WARNING (within 5 NM and 1000 ft from about 281 to 319 s), closest
// 2.0 NM at 300 s with 0 ft vertical. ADVISORY from about 241 s, when the climb begins and the
// straight-line prediction crosses the level inside 5 NM; before it, 2000 ft apart and level,
// nothing. ENDED about 382 s.
Scenario ClimbThrough() {
  constexpr double kTc = 300, kAbeamNm = 2.0;
  const PathPoint east{51.0, 1.4, 90.0};
  return Pair(600, 3,
              Airliner("400c01", "CLMB1", east, kTc, 420,
                       AltitudeProfile(28000).Change(kTc - 60, 32000, 2000)),
              Airliner("400c02", "LEVL1", Reversed(Abeam(east, -nm_to_m(kAbeamNm))), kTc, 440,
                       AltitudeProfile(30000)),
              {"400c01", "400c02", Severity::kWarning, kAbeamNm, 0, kTc, 2, {}});
}

// formation: LEAD1 and WING1 at FL140 and 250 kt over southern France, WING1 0.2 NM abeam LEAD1's
// right on a parallel geodesic from the start; at 600 s WING1 breaks right 30 degrees (3 deg/s) and
// the two part at 129 kt.
// Expected: one encounter for the whole formation, WARNING (0.2 NM = 1215 ft is outside nmac's
// 500 ft), from the second report to about 813 s (clear of 5.5 NM at about 753 s, plus 60 s);
// closest 0.2 NM, held all through 0 to 600 s (the geodesics converge by 3 cm in that time).
Scenario Formation() {
  constexpr double kBreakS = 600, kAbeamNm = 0.2, kSpeedKt = 250;
  const PathPoint lead{43.8, 3.0, 35.0};
  const double turn_radius_m = kt_to_mps(kSpeedKt) / units::deg_to_rad(3.0);
  Flight wing = Airliner("400d02", "WING1", Abeam(lead, nm_to_m(kAbeamNm)), 0, kSpeedKt,
                         AltitudeProfile(14000));
  wing.path.Straight(kt_to_mps(kSpeedKt) * kBreakS).Turn(30, turn_radius_m);
  return Pair(900, 4, Airliner("400d01", "LEAD1", lead, 0, kSpeedKt, AltitudeProfile(14000)),
              std::move(wing),
              {"400d01", "400d02", Severity::kWarning, kAbeamNm, 0, kBreakS / 2, kBreakS / 2, {}});
}

// overtaking: FAST1 at 480 kt overtakes SLOW1 at 400 kt on a parallel geodesic 1 NM to SLOW1's
// right, both at FL360 on track 300 over Bavaria; FAST1 starts 8 NM behind and is abeam at
// tc = 360 s.
// Expected: one encounter, WARNING (within 5 NM from about 140 to 580 s), closest 1.0 NM at 360 s.
// ADVISORY from about 20 s (the loss predicted within 120 s), ENDED about 663 s (60 s after
// 5.5 NM).
Scenario Overtaking() {
  constexpr double kTc = 360, kAbeamNm = 1.0;
  const PathPoint slow{48.5, 11.5, 300.0};
  return Pair(
      800, 5, Airliner("400e01", "SLOW1", slow, kTc, 400, AltitudeProfile(36000)),
      Airliner("400e02", "FAST1", Abeam(slow, nm_to_m(kAbeamNm)), kTc, 480, AltitudeProfile(36000)),
      {"400e01", "400e02", Severity::kWarning, kAbeamNm, 0, kTc, 2, {}});
}

}  // namespace airprox::scenario
