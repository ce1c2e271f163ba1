// How the CLI prints encounter events and tracks for people.
#pragma once

#include <string>

#include "airprox/v1/airprox.pb.h"

namespace airprox::cli {

std::string FormatTime(const google::protobuf::Timestamp& ts);
// One line: time, kind, rule, severity, the pair, separations, predicted closest approach.
std::string FormatEvent(const v1::EncounterEvent& e);
// One protobuf-canonical JSON object on one line.
std::string EventJson(const v1::EncounterEvent& e);
std::string FormatTrack(const v1::Position& p);

}  // namespace airprox::cli
