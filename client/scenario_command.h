// airprox scenario: writes a named synthetic encounter scenario (server/scenario) as canonical CSV.
#pragma once

#include <string>

#include "server/scenario/scenario.h"

namespace airprox::cli {

struct ScenarioOptions {
  std::string name;
  std::string output = "-";  // a file (gzip when it ends in .gz), or "-" for standard output
  bool list = false;         // list the scenarios and what each must produce instead
  double start_time_s = scenario::kDefaultStartTimeS;
  double period_s = 1.0;
};

// Returns the process exit code; errors go to stderr as one line.
int RunScenario(const ScenarioOptions& options);

}  // namespace airprox::cli
