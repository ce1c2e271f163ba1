// Conversions between the wire types (airprox.v1) and the domain types of the core.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include "airprox/v1/airprox.pb.h"
#include "server/core/encounter_event.h"
#include "server/core/encounter_filter.h"
#include "server/core/position.h"

namespace airprox {

// Seconds since the epoch <-> Timestamp, rounded to the microsecond. An unset Timestamp is 0 s,
// which the core rejects as "missing_time".
double FromTimestamp(const google::protobuf::Timestamp& ts);
void ToTimestamp(double time_s, google::protobuf::Timestamp* ts);

Position FromProto(const v1::Position& p);
void ToProto(const Position& p, v1::Position* out);
void ToProto(const EncounterEvent& e, v1::EncounterEvent* out);
// The inverse, for events read back from the journal.
EncounterEvent FromProto(const v1::EncounterEvent& e);
v1::Severity ToProto(Severity s);
// The filter of a SubscribeRequest (not yet validated).
EncounterFilter FilterFromProto(const v1::SubscribeRequest& r);

}  // namespace airprox
