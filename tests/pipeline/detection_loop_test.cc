#include "server/pipeline/detection_loop.h"

#include <gtest/gtest.h>

#include <future>
#include <mutex>

#include "tests/pipeline/busy_detection.h"

namespace airprox {
namespace {

class Collect : public EventSink {
 public:
  void OnEvents(const std::vector<EncounterEvent>& events) override {
    std::lock_guard lock(mu);
    all.insert(all.end(), events.begin(), events.end());
  }
  std::mutex mu;
  std::vector<EncounterEvent> all;
};

Position At(const std::string& id, double t, double lat) {
  Position p;
  p.track_id = id;
  p.time_s = t;
  p.lat_deg = lat;
  p.lon_deg = 8;
  p.alt_ft = 20000;
  return p;
}

DetectorOptions Options() {
  DetectorOptions o;
  o.rules = {{"los", Severity::kWarning, 5, 1000, 0}};
  o.alerting.confirm_hits = o.alerting.confirm_window = 1;
  o.alerting.end_hold_s = 0;
  return o;
}

TEST(DetectionLoop, TrySubmitBatchHandsTheBatchBackWhenTheQueueIsFull) {
  DetectionLoop loop(Options(), {.queue_capacity = 1});
  loop.Start();
  testing::BusyDetection busy(loop);  // the queue holds what is submitted
  std::vector<Position> first = {At("aaaaaa", 100, 47)}, second = {At("bbbbbb", 100, 47.01)};
  std::promise<std::vector<Status>> first_done, second_done;
  ASSERT_TRUE(loop.TrySubmitBatch(first, [&](std::vector<Status> r) { first_done.set_value(r); }).ok());
  EXPECT_TRUE(first.empty());
  const Status full = loop.TrySubmitBatch(second, [](std::vector<Status>) { FAIL() << "refused"; });
  EXPECT_EQ(full.code(), StatusCode::kResourceExhausted);
  ASSERT_EQ(second.size(), 1u) << "handed back untouched";
  EXPECT_EQ(second[0].track_id, "bbbbbb");
  busy.Release();
  EXPECT_TRUE(first_done.get_future().get().at(0).ok());
  ASSERT_TRUE(loop.TrySubmitBatch(second, [&](std::vector<Status> r) { second_done.set_value(r); }).ok());
  EXPECT_TRUE(second_done.get_future().get().at(0).ok());
  loop.Stop();
}

TEST(DetectionLoop, AppliesBatchesInOrderAndReportsPerRecord) {
  DetectionLoop loop(Options(), {});
  Collect sink;
  loop.AddSink(&sink);
  loop.Start();
  std::promise<std::vector<Status>> first, second;
  ASSERT_TRUE(loop.SubmitBatch({At("a", 1, 47.0), At("b", 1, 47.01), At("", 1, 47)},
                               [&](std::vector<Status> r) { first.set_value(std::move(r)); })
                  .ok());
  ASSERT_TRUE(loop.SubmitBatch({At("b", 30, 47.2)},
                               [&](std::vector<Status> r) { second.set_value(std::move(r)); })
                  .ok());
  const auto r1 = first.get_future().get();
  ASSERT_EQ(r1.size(), 3u);
  EXPECT_TRUE(r1[0].ok());
  EXPECT_TRUE(r1[1].ok());
  EXPECT_EQ(r1[2].reason(), "missing_track_id");
  const auto r2 = second.get_future().get();
  ASSERT_EQ(r2.size(), 1u);
  EXPECT_TRUE(r2[0].ok());

  std::promise<std::size_t> tracks;
  ASSERT_TRUE(loop.SubmitQuery([&](const Detector& d) { tracks.set_value(d.tracks().size()); }).ok());
  EXPECT_EQ(tracks.get_future().get(), 2u);
  loop.Stop();
  ASSERT_EQ(sink.all.size(), 2u);
  EXPECT_EQ(sink.all[0].kind, EncounterKind::kStarted);
  EXPECT_EQ(sink.all[1].kind, EncounterKind::kEnded);
  EXPECT_EQ(loop.last_sequence(), 2u);
}

TEST(DetectionLoop, DrainEndsActiveEncountersAndRefusesBatches) {
  DetectionLoop loop(Options(), {});
  Collect sink;
  loop.AddSink(&sink);
  loop.Start();
  ASSERT_TRUE(loop.SubmitBatch({At("a", 1, 47.0), At("b", 1, 47.01)}, [](auto) {}).ok());
  loop.Drain("shutdown");
  ASSERT_EQ(sink.all.size(), 2u);
  EXPECT_EQ(sink.all[1].kind, EncounterKind::kEnded);
  EXPECT_EQ(sink.all[1].end_reason, "shutdown");
  EXPECT_EQ(loop.SubmitBatch({At("a", 2, 47.0)}, [](auto) {}).code(), StatusCode::kUnavailable);
  std::promise<std::size_t> tracks;
  ASSERT_TRUE(loop.SubmitQuery([&](const Detector& d) { tracks.set_value(d.tracks().size()); }).ok());
  EXPECT_EQ(tracks.get_future().get(), 2u) << "queries still work while draining";
  loop.Stop();
}

TEST(DetectionLoop, SubmitAfterStopIsUnavailable) {
  DetectionLoop loop(Options(), {});
  loop.Start();
  loop.Stop();
  const Status st = loop.SubmitQuery([](const Detector&) {});
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace airprox
