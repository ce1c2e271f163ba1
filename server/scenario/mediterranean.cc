// mediterranean-intercept: after the intercepts of February 2022, when fighters made "unsafe and
// unprofessional" close passes at a US Navy P-8A over the eastern Mediterranean. Everything here is
// invented: callsigns, addresses, times, distances.
//
// NAVY671 (ae681b), a P-8 at FL250 and 320 kt, flies a right-hand racetrack in international
// airspace south of Crete: 60 NM legs east along about 34.0N from 24.4E, then west 3.4 NM further
// south, joined by 180-degree rate-one turns (3 deg/s, 60 s). East legs 0-675 s and 1470-2145 s,
// west leg 735-1410 s.
//
// Two fighters (FLANKR1 155c01, FLANKR2 155c02, category A6) intercept it three times, one at a
// time, each with its transponder on only for its intercept. Each appears 7 NM behind the P-8 on
// its left (outside the racetrack), on a geodesic that converges on the P-8's leg by a fraction of
// a degree so that every pass is closer than the last, and closes at +160 kt. It slows to +80 kt,
// passes, slows to -80 kt 0.75 NM ahead and drifts back past the P-8, and so on: a close pass every
// 147.5 s, each at 80 kt relative, nmac-close (within 500 ft and 100 ft) for a few seconds, and far
// enough apart for the ALERT to drop back to WARNING in between. Then it leaves: ahead at 560 kt,
// or, after an even number of passes, breaking left 90 degrees and accelerating to 480 kt.
//
//   FLANKR1, east leg 1: appears at 60 s at FL250, passes 450, 350, 250 ft abeam at 242.5, 390,
//                        537.5 s, leaves ahead (off at 780 s)
//   FLANKR2, west leg:   appears at 800 s at 25,075 ft (75 ft above), passes 400, 300 ft abeam at
//                        982.5, 1130 s, breaks away south (off at 1450 s)
//   FLANKR1, east leg 2: appears at 1530 s at 24,950 ft (50 ft below), passes 350, 250,
//                        150 ft abeam at 1712.5, 1860, 2007.5 s, leaves ahead (off at 2250 s)
//
// Four airliners pass safely, never within 5 NM and 1000 ft of anyone, and no loss is ever
// predicted:
//   AEE9CR (46a8c3) FL270 on 140, over the P-8 at 400 s (2000 ft above it and the first intercept)
//   MSR8TQ (0101f7) FL250 westbound, 9 NM north of the first east leg, abeam the P-8 at 400 s
//   THY3KM (4bb1c6) FL250 eastbound, 8 NM south of the west leg, abeam the P-8 at 900 s
//   ELY57X (738a2c) FL230 on 295, under the P-8 at 1200 s (2000 ft below)
// Everyone flies level, so the airliners 2000 ft away never close the vertical gap; those at FL250
// fly parallel to the racetrack legs, the fighters' runs included.
//
// Expected encounters (default rules): one per intercept, each ADVISORY on the fighter's second
// report (closing from 7 NM: 61, 802, 1531 s), WARNING within 5 NM, ALERT at each pass, back to
// WARNING 60 s after each pass, ENDED a minute after the fighter is 5.5 NM away (729, 1272,
// 2200 s). The fighters never meet, and no airliner is in any encounter.
//   155c01-ae681b: 2 encounters, ALERT each: closest 250 ft (0.041 NM), 0 ft at 537.5 s; then
//                  150 ft (0.025 NM), 50 ft at 2007.5 s
//   155c02-ae681b: 1 encounter, ALERT: closest 300 ft (0.049 NM), 75 ft at 1130 s
#include <cmath>
#include <numbers>

#include "server/core/units.h"
#include "server/scenario/scenarios.h"

namespace airprox::scenario {
namespace {

using units::ft_to_m;
using units::kt_to_mps;
using units::nm_to_m;

constexpr double kP8Kt = 320, kP8AltFt = 25000;
constexpr double kFighterAccelKtPerS = 2;  // speedbrakes and afterburner, gently
constexpr double kLegNm = 60;

// One intercept of the P-8 by one fighter while the P-8 flies a straight leg. Along-leg positions
// are metres from the leg's start; x is the fighter's along-leg position minus the P-8's.
struct Intercept {
  std::string track_id, callsign;
  double leg_start_s = 0;  // the P-8 begins the leg at this time ...
  double leg_start_m = 0;  // ... this far along its path
  double appear_s = 0;     // the fighter's first report
  double behind_nm = 7;
  int passes = 1;
  double first_offset_ft = 0,
         last_offset_ft = 0;  // abeam the P-8's left at the first and last pass
  double alt_ft = kP8AltFt;
  double last_report_s = 0;
};

Flight Fly(const Path& p8, const Intercept& plan) {
  const double vp = kt_to_mps(kP8Kt);
  SpeedProfile speed(plan.appear_s, kP8Kt + 160);
  // The schedule, in relative terms: relative speed r (m/s) and separation x (m) at time t.
  double t = plan.appear_s, x = -nm_to_m(plan.behind_nm), r = kt_to_mps(160);
  std::vector<double> passes;
  auto cruise_to = [&](double x_to) {
    if ((x < 0) != (x_to < 0)) passes.push_back(t - x / r);
    t += (x_to - x) / r;
    x = x_to;
  };
  auto change_to = [&](double relative_kt) {
    const double r_to = kt_to_mps(relative_kt);
    speed.Change(t, kP8Kt + relative_kt, kFighterAccelKtPerS);
    const double duration = std::abs(r_to - r) / kt_to_mps(kFighterAccelKtPerS);
    x += (r + r_to) / 2 * duration;
    t += duration;
    r = r_to;
  };
  cruise_to(-nm_to_m(2));
  change_to(80);
  for (int k = 0; k < plan.passes; ++k) {
    const double dir = k % 2 == 0 ? 1.0 : -1.0;
    cruise_to(dir * nm_to_m(0.75));
    if (k + 1 < plan.passes) change_to(-dir * 80);
  }
  const bool ahead = plan.passes % 2 == 1;
  const double leave_s = t;
  if (ahead) {
    change_to(240);
  } else {
    speed.Change(leave_s, 480, 3 * kFighterAccelKtPerS);
  }

  // The fighter's geodesic: through the points abeam the P-8 at the first and last pass.
  auto abeam_at = [&](double pass_s, double offset_ft) {
    return Abeam(p8.At(plan.leg_start_m + vp * (pass_s - plan.leg_start_s)), -ft_to_m(offset_ft));
  };
  PathPoint first = abeam_at(passes.front(), plan.first_offset_ft);
  if (passes.size() > 1) {
    const PathPoint last = abeam_at(passes.back(), plan.last_offset_ft);
    first.azimuth_deg = AzimuthDeg(first.lat_deg, first.lon_deg, last.lat_deg, last.lon_deg);
  }
  Path path(Advance(first, -speed.DistanceM(passes.front())));
  if (!ahead) path.Straight(speed.DistanceM(leave_s)).Turn(-90, nm_to_m(1.5));
  return Flight{.track_id = plan.track_id,
                .callsign = plan.callsign,
                .category = "A6",
                .path = path,
                .speed = speed,
                .altitude = AltitudeProfile(plan.alt_ft),
                .first_report_s = plan.appear_s,
                .last_report_s = plan.last_report_s};
}

// An airliner at `alt_ft` on a geodesic through `at` (in at's direction), there at `at_s`.
Flight Airliner(std::string id, std::string callsign, const PathPoint& at, double at_s,
                double speed_kt, double alt_ft, double first_s, double last_s) {
  return StraightFlight(std::move(id), std::move(callsign), "A3", at, at_s, speed_kt,
                        AltitudeProfile(alt_ft), first_s, last_s);
}

}  // namespace

Scenario MediterraneanIntercept() {
  const double vp = kt_to_mps(kP8Kt);
  const double turn_radius_m = vp / units::deg_to_rad(3.0);  // rate one: 180 degrees in 60 s
  const double leg_m = nm_to_m(kLegNm);
  const double turn_m = std::numbers::pi * turn_radius_m;
  Path racetrack(PathPoint{34.0, 24.4, 90.0});
  for (int lap = 0; lap < 2; ++lap) {
    racetrack.Straight(leg_m).Turn(180, turn_radius_m).Straight(leg_m).Turn(180, turn_radius_m);
  }
  Scenario s;
  s.duration_s = 2400;
  s.seed = 2022;
  const Flight p8{.track_id = "ae681b",
                  .callsign = "NAVY671",
                  .category = "A3",
                  .path = racetrack,
                  .speed = SpeedProfile(0, kP8Kt),
                  .altitude = AltitudeProfile(kP8AltFt),
                  .first_report_s = 0,
                  .last_report_s = s.duration_s};
  s.flights.push_back(p8);

  const double east1_m = 0, west_m = leg_m + turn_m, east2_m = 2 * (leg_m + turn_m);
  s.flights.push_back(Fly(
      racetrack, {"155c01", "FLANKR1", east1_m / vp, east1_m, 60, 7, 3, 450, 250, kP8AltFt, 780}));
  s.flights.push_back(Fly(racetrack, {"155c02", "FLANKR2", west_m / vp, west_m, 800, 7, 2, 400, 300,
                                      kP8AltFt + 75, 1450}));
  s.flights.push_back(Fly(racetrack, {"155c01", "FLANKR1", east2_m / vp, east2_m, 1530, 7, 3, 350,
                                      150, kP8AltFt - 50, 2250}));

  auto p8_at = [&](double t_s, double azimuth_deg) {
    const FlightState st = p8.At(t_s);
    return PathPoint{st.lat_deg, st.lon_deg, azimuth_deg};
  };
  auto p8_abeam = [&](double t_s, double offset_nm) {
    const FlightState st = p8.At(t_s);
    return Abeam({st.lat_deg, st.lon_deg, st.track_deg}, nm_to_m(offset_nm));
  };
  s.flights.push_back(Airliner("46a8c3", "AEE9CR", p8_at(400, 140), 400, 460, 27000, 100, 800));
  s.flights.push_back(
      Airliner("0101f7", "MSR8TQ", Reversed(p8_abeam(400, -9)), 400, 460, 25000, 100, 900));
  s.flights.push_back(
      Airliner("4bb1c6", "THY3KM", Reversed(p8_abeam(900, -8)), 900, 440, 25000, 600, 1300));
  s.flights.push_back(Airliner("738a2c", "ELY57X", p8_at(1200, 295), 1200, 450, 23000, 950, 1500));

  // The pass times are those of the schedule above, written out as documented.
  auto expect = [](const std::string& fighter, double offset_ft, double vertical_ft,
                   std::vector<double> passes) {
    const double closest_s = passes.back();
    return ExpectedEncounter{.a = fighter,
                             .b = "ae681b",
                             .max_severity = Severity::kAlert,
                             .closest_nm = units::m_to_nm(ft_to_m(offset_ft)),
                             .closest_ft = vertical_ft,
                             .closest_time_s = closest_s,
                             .nmac_passes_s = std::move(passes)};
  };
  s.expected = {expect("155c01", 250, 0, {242.5, 390, 537.5}),
                expect("155c02", 300, 75, {982.5, 1130}),
                expect("155c01", 150, 50, {1712.5, 1860, 2007.5})};
  return s;
}

}  // namespace airprox::scenario
