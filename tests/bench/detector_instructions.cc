// Deterministic cost of a detector update: fills a detector with N tracks of the benchmark's
// synthetic traffic, generates the next U reports, then ingests them between callgrind's start and
// stop of instrumentation, so that callgrind counts the detector's own instructions and nothing
// else (the fill and the report generation run uninstrumented). Instructions per update are then
// comparable from change to change on a busy machine, where wall-clock figures are not.
//   valgrind --tool=callgrind --instr-atstart=no ./build/tests/detector_instructions 10000 200000
// Optional, for tuning: the neighbour lists' margin in metres (negative: lists off; 0: default),
// then the index's cell edge in metres (0: default). Also prints the heap (mallinfo2) and resident
// memory the filled detector holds per track.
// callgrind prints "Collected : I"; I / U is the cost of one update. Without valgrind the program
// just runs (the client requests do nothing) and prints the detector's counters.
#include <valgrind/callgrind.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "server/core/detector.h"
#include "tests/bench/synthetic_traffic.h"

namespace airprox::bench {
namespace {

// A digest of everything an event says about the encounter (FNV-1a over its fields' bytes), so
// that a change meant to keep behaviour can be checked to give the very same events.
struct EventDigest {
  std::uint64_t h = 0xcbf29ce484222325ull;
  void Bytes(const void* p, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) h = (h ^ static_cast<const unsigned char*>(p)[i]) * 0x100000001b3ull;
  }
  void Number(double x) { Bytes(&x, sizeof x); }
  void Text(const std::string& s) { Bytes(s.data(), s.size() + 1); }
  void Add(const EncounterEvent& e) {
    Text(e.encounter_id);
    Text(e.rule);
    Text(e.end_reason);
    Text(e.a.track_id);
    Text(e.b.track_id);
    const int kind = static_cast<int>(e.kind), severity = static_cast<int>(e.severity);
    Bytes(&kind, sizeof kind);
    Bytes(&severity, sizeof severity);
    for (double x : {e.time_s, e.a.time_s, e.b.time_s, e.horizontal_nm, e.vertical_ft, e.time_to_cpa_s,
                     e.cpa_horizontal_nm, e.cpa_vertical_ft, e.closest.horizontal_nm,
                     e.closest.vertical_ft, e.closest.time_s, e.closest.a_lat_deg, e.closest.a_lon_deg,
                     e.closest.b_lat_deg, e.closest.b_lon_deg, e.start_time_s}) {
      Number(x);
    }
  }
};

[[gnu::noinline]] std::size_t IngestAll(Detector& d, const std::vector<Position>& reports,
                                        std::vector<EncounterEvent>& events) {
  for (const Position& p : reports) (void)d.Ingest(p, events);
  return events.size();
}

int Run(std::size_t n, std::size_t updates, double epoch_s, double budget_m, double cell_m) {
  const Traffic traffic(n);
  std::vector<EncounterEvent> events;
  events.reserve(64);
  const std::size_t heap_before = HeapInUseBytes(), resident_before = ResidentBytes();
  DetectorOptions o;
  o.rules = Rules();
  o.tracks.max_tracks = n;  // the default limit (500k) would refuse half of the 1M case
  if (epoch_s > 0) o.certificate.epoch_s = epoch_s;
  if (epoch_s < 0) o.certificates = false;  // neighbour lists instead
  if (budget_m > 0) o.certificate.budget_m = budget_m;
  if (cell_m > 0) o.index_cell_m = cell_m;
  Detector d(o);
  for (std::size_t i = 0; i < n; ++i) {
    (void)d.Ingest(traffic.Report(i, kT0 + kReportPeriodS * static_cast<double>(i) / n), events);
  }
  const std::size_t heap_filled = HeapInUseBytes(), resident_filled = ResidentBytes();
  std::vector<Position> reports;
  reports.reserve(updates);
  const double dt = kReportPeriodS / static_cast<double>(n);
  double t = kT0 + kReportPeriodS;
  for (std::size_t k = 0, i = 0; k < updates; ++k, t += dt) {
    reports.push_back(traffic.Report(i, t));
    if (++i == n) i = 0;
  }
  const DetectorCounters before = d.counters();
  CALLGRIND_START_INSTRUMENTATION;
  CALLGRIND_ZERO_STATS;
  events.clear();
  events.reserve(updates / 10);
  const std::size_t n_events = IngestAll(d, reports, events);
  CALLGRIND_STOP_INSTRUMENTATION;
  EventDigest digest;
  for (const EncounterEvent& e : events) digest.Add(e);
  const DetectorCounters& c = d.counters();
  std::printf("tracks %zu updates %zu accepted %llu events %zu candidates/update %.3f "
              "pair_checks/update %.3f anchorings/update %.3f certified/update %.3f bytes/track %.0f (resident %.0f) events_digest %016llx\n",
              d.tracks().size(), updates,
              static_cast<unsigned long long>(c.accepted - before.accepted), n_events,
              static_cast<double>(c.candidates - before.candidates) / updates,
              static_cast<double>(c.pair_checks - before.pair_checks) / updates,
              static_cast<double>(c.anchorings - before.anchorings) / updates,
              static_cast<double>(c.pairs_certified - before.pairs_certified) / updates,
              static_cast<double>(heap_filled - heap_before) / static_cast<double>(d.tracks().size()),
              static_cast<double>(resident_filled - resident_before) /
                  static_cast<double>(d.tracks().size()),
              static_cast<unsigned long long>(digest.h));
  return 0;
}

}  // namespace
}  // namespace airprox::bench

int main(int argc, char** argv) {
  if (argc < 3 || argc > 6) {
    std::fprintf(stderr,
                 "usage: detector_instructions TRACKS UPDATES [EPOCH_S [BUDGET_M [CELL_M]]]\n"
                 "  EPOCH_S, BUDGET_M: pair certificates' (0: the defaults; EPOCH_S < 0: no\n"
                 "  certificates, neighbour lists instead)\n");
    return 2;
  }
  return airprox::bench::Run(std::strtoull(argv[1], nullptr, 10), std::strtoull(argv[2], nullptr, 10),
                             argc >= 4 ? std::strtod(argv[3], nullptr) : 0.0,
                             argc >= 5 ? std::strtod(argv[4], nullptr) : 0.0,
                             argc >= 6 ? std::strtod(argv[5], nullptr) : 0.0);
}
