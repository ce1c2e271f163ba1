// SbsMerger fed the input one line at a time, as a live feed feeds it. Besides crashes: every
// position it emits holds CheckRecord, at most max_aircraft aircraft are kept, an error never comes
// with a position, and a malformed line changes no state: a second merger fed only the lines the
// first accepted must emit exactly the same positions.
#include <bit>
#include <cstdint>
#include <optional>
#include <vector>

#include "server/formats/sbs_merger.h"
#include "tests/fuzz/fuzz_support.h"

namespace airprox::fuzz {
namespace {

bool Same(const std::optional<double>& a, const std::optional<double>& b) {
  return a.has_value() == b.has_value() &&
         (!a || std::bit_cast<std::uint64_t>(*a) == std::bit_cast<std::uint64_t>(*b));
}

bool Same(const Position& a, const Position& b) {
  return a.track_id == b.track_id && a.callsign == b.callsign && a.category == b.category &&
         Same(a.time_s, b.time_s) && Same(a.lat_deg, b.lat_deg) && Same(a.lon_deg, b.lon_deg) &&
         Same(a.alt_ft, b.alt_ft) && Same(a.ground_speed_kt, b.ground_speed_kt) &&
         Same(a.track_deg, b.track_deg) && Same(a.vertical_rate_fpm, b.vertical_rate_fpm) &&
         a.on_ground == b.on_ground;
}

}  // namespace
}  // namespace airprox::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace airprox;
  using namespace airprox::fuzz;
  // Few aircraft, so that eviction happens within small inputs.
  const SbsMergerOptions options{.max_state_age_s = 10.0, .max_aircraft = 3};
  SbsMerger all(options), good_only(options);
  std::optional<Position> out, again;
  for (std::string_view line : Lines(data, size)) {
    const Status st = all.Feed(line, out);
    if (all.aircraft() > options.max_aircraft) Fail("more aircraft kept than max_aircraft");
    if (!st.ok()) {
      if (out) Fail("an error with a position");
      if (st.message().empty()) Fail("an error without a message");
      continue;
    }
    if (out) CheckRecord(*out, "SbsMerger");
    if (!good_only.Feed(line, again).ok()) Fail("a line accepted once is refused the second time");
    if (out.has_value() != again.has_value() || (out && !Same(*out, *again))) {
      Fail("a refused line changed the merger's state");
    }
  }
  return 0;
}
