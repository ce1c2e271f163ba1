// Shared by the SBS feed tests: the formation flight's SBS excerpt as lines, an event collector,
// and waiting for a condition.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/formats/line_reader.h"
#include "server/pipeline/detection_loop.h"
#include "server/pipeline/event_sink.h"
#include "tests/core/detector_fixture.h"

namespace airprox::testing {

inline std::vector<std::string> FormationSbsLines() {
  std::unique_ptr<LineReader> r;
  EXPECT_TRUE(LineReader::Open(AIRPROX_TEST_DATA_DIR "/formation_afr787v_tbm900_excerpt.sbs.gz", r).ok());
  std::vector<std::string> lines;
  std::string line;
  while (r && r->Next(line)) lines.push_back(line + "\r\n");  // as dump1090 sends them
  return lines;
}

class CollectEvents : public EventSink {
 public:
  void OnEvents(const std::vector<EncounterEvent>& events) override {
    std::lock_guard lock(mu_);
    events_.insert(events_.end(), events.begin(), events.end());
  }
  std::vector<EncounterEvent> events() const {
    std::lock_guard lock(mu_);
    return events_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<EncounterEvent> events_;
};

// A running detection loop with the default rules and every event it emits.
struct LoopWithEvents {
  explicit LoopWithEvents(DetectorOptions options = DefaultOptions()) : loop(std::move(options), {}) {
    loop.AddSink(&events);
    loop.Start();
  }
  static DetectorOptions DefaultOptions() {
    DetectorOptions o;
    o.rules = DefaultRules();
    return o;
  }
  CollectEvents events;
  DetectionLoop loop;
};

inline bool Eventually(const std::function<bool()>& condition, double seconds = 20) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace airprox::testing
