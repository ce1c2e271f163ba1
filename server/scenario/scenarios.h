// The scenarios of the catalog (server/scenario/scenario.h), one builder each. Each builder's
// comment documents the geometry and the encounters it must produce; Scenario::expected says the
// same in numbers, and tests/scenario/scenario_test.cc holds the detector to it.
#pragma once

#include "server/scenario/scenario.h"

namespace airprox::scenario {

// Two-aircraft encounters (server/scenario/pair_scenarios.cc).
Scenario HeadOn();
Scenario Crossing();
Scenario ClimbThrough();
Scenario Formation();
Scenario Overtaking();

// server/scenario/mediterranean.cc
Scenario MediterraneanIntercept();

}  // namespace airprox::scenario
