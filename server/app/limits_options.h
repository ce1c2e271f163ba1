// The `limits:` config section: bounds on everything a client or feed sends, so that no client,
// however broken or hostile, can exhaust the server's memory or starve the others. Each is
// enforced where its input arrives; AirproxServer hands them out at Start:
//   max_message_bytes       the gRPC services (MessageSizeLimit, RESOURCE_EXHAUSTED), gRPC itself
//                           past twice the limit
//   max_batch_positions     IngestService (INVALID_ARGUMENT, the stream ends)
//   streams                 StreamLimiter: Ingest and Subscribe streams (RESOURCE_EXHAUSTED)
//   filter                  ValidateFilter in Subscribe (INVALID_ARGUMENT)
//   sbs_max_line_bytes      every SBS feed (the line is dropped, counted as malformed)
//   max_tracks              the core's track table (a new track's report is refused,
//                           reason too_many_tracks; existing tracks keep updating)
//   handshake_timeout_s     gRPC connection setup and HTTP requests (the connection is closed)
// configs/airprox.yaml documents each key with its unit and default.
#pragma once

#include <cstddef>

#include "server/core/encounter_filter.h"
#include "server/core/track_table.h"
#include "server/feeds/feed_options.h"
#include "server/service/ingest_service.h"
#include "server/service/stream_limiter.h"

namespace airprox {

struct LimitsOptions {
  // Largest gRPC message a client may send. Bytes.
  std::size_t max_message_bytes = 4 * 1024 * 1024;
  std::size_t max_batch_positions = IngestServiceOptions{}.max_batch_positions;
  StreamLimits streams;
  FilterLimits filter;
  std::size_t sbs_max_line_bytes = FeedOptions{}.max_line_bytes;
  std::size_t max_tracks = TrackTableOptions{}.max_tracks;
  // A gRPC connection must complete its HTTP/2 setup, and an HTTP connection send its whole
  // request, within this long of connecting; otherwise it is closed. Seconds, > 0.
  double handshake_timeout_s = 10.0;
};

}  // namespace airprox
