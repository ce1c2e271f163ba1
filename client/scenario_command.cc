#include "client/scenario_command.h"

#include <fmt/format.h>

#include <iostream>
#include <set>

#include "server/formats/canonical_csv_writer.h"

namespace airprox::cli {
namespace {

int Fail(const std::string& message) {
  std::cerr << "airprox scenario: " << message << "\n";
  return 1;
}

std::string Names() {
  std::string names;
  for (const auto& info : scenario::Catalog()) {
    names += (names.empty() ? "" : ", ") + std::string(info.name);
  }
  return names;
}

// Each scenario and the encounters it documents for the default rules.
void PrintList() {
  for (const auto& info : scenario::Catalog()) {
    const scenario::Scenario s = *scenario::MakeScenario(info.name);
    std::cout << fmt::format("{:<24} {}\n", info.name, info.summary);
    for (const auto& e : s.expected) {
      std::string when = fmt::format("+{:g} s", e.closest_time_s);
      if (e.closest_time_tolerance_s > 10) {  // a closest approach held for minutes
        when = fmt::format("+{:g}..{:g} s", e.closest_time_s - e.closest_time_tolerance_s,
                           e.closest_time_s + e.closest_time_tolerance_s);
      }
      const std::size_t n = e.nmac_passes_s.size();
      const std::string passes =
          n == 0 ? "" : fmt::format("; {} nmac pass{}", n, n == 1 ? "" : "es");
      std::cout << fmt::format("{:<24}   {} <> {}: {}, closest {:.3f} NM / {:.0f} ft at {}{}\n", "",
                               e.a, e.b, SeverityName(e.max_severity), e.closest_nm, e.closest_ft,
                               when, passes);
    }
  }
}

}  // namespace

int RunScenario(const ScenarioOptions& options) {
  if (options.list) {
    PrintList();
    return 0;
  }
  if (options.name.empty()) return Fail("name a scenario, one of: " + Names());
  const auto s = scenario::MakeScenario(options.name);
  if (!s) return Fail(fmt::format("unknown scenario '{}'; one of: {}", options.name, Names()));

  scenario::GenerateOptions generate;
  generate.start_time_s = options.start_time_s;
  generate.period_s = options.period_s;
  const auto reports = scenario::Generate(*s, generate);

  std::unique_ptr<CanonicalCsvWriter> writer;
  if (Status st = CanonicalCsvWriter::Open(options.output, true, writer); !st.ok()) {
    return Fail(st.message());
  }
  for (const Position& p : reports) {
    if (Status st = writer->Write(p); !st.ok()) return Fail(st.message());
  }
  if (Status st = writer->Close(); !st.ok()) return Fail(st.message());
  if (options.output != "-") {
    std::set<std::string> aircraft;
    for (const Position& p : reports) aircraft.insert(p.track_id);
    std::cout << fmt::format("{}: {} positions of {} aircraft over {:g} s written to {}\n", s->name,
                             reports.size(), aircraft.size(), s->duration_s, options.output);
  }
  return 0;
}

}  // namespace airprox::cli
