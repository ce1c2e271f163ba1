// The live map's feed in a real airproxd (in-process, port 0), through raw WebSocket clients: a
// client that never reads costs the server a bounded buffer while updates flow, and one that reads
// gets the newest state.
#include "server/map/live_map.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "tests/app/server_test_support.h"
#include "tests/http/websocket_test_client.h"

namespace airprox {
namespace {

using testing::WebSocketTestClient;

constexpr int kTracks = 1500;
constexpr double kT0 = 1700000000;

// One report of every track at data time t: a grid 0.2 degrees apart (no encounters).
std::vector<Position> Round(double t) {
  std::vector<Position> batch;
  for (int i = 0; i < kTracks; ++i) {
    Position p;
    p.time_s = t;
    p.track_id = fmt::format("{:06x}", 0x100000 + i);
    p.callsign = fmt::format("TST{}", i);
    p.lat_deg = 40 + (i / 50) * 0.2;
    p.lon_deg = (i % 50) * 0.2;
    p.alt_ft = 30000;
    batch.push_back(std::move(p));
  }
  return batch;
}

void Apply(AirproxServer& server, std::vector<Position> batch) {
  std::promise<void> done;
  ASSERT_TRUE(server.detection().SubmitBatch(std::move(batch), [&](std::vector<Status>) { done.set_value(); }).ok());
  done.get_future().wait();
}

TEST(LiveMap, AStalledClientCostsABoundedBufferWhileAReadingClientGetsTheNewestState) {
  Config config = testing::TestConfig();
  config.map.max_updates_per_s = 20;
  config.map.max_buffered_bytes = 64 * 1024;
  auto server = testing::StartServer(config);
  ASSERT_NE(server->live_map(), nullptr);
  const LiveMap& map = *server->live_map();

  WebSocketTestClient stalled, reader;
  ASSERT_EQ(stalled.Connect(server->http_port(), "/ws", {"airprox-map.v1"}, /*receive_buffer_bytes=*/4096), 101);
  ASSERT_EQ(reader.Connect(server->http_port(), "/ws", {"airprox-map.v1"}), 101);
  const auto hello = reader.Read(std::chrono::seconds(10));
  ASSERT_TRUE(hello.has_value());
  EXPECT_EQ(nlohmann::json::parse(*hello)["type"], "hello");

  // Updates flow until the stalled client's buffer has been found full a few times (or 30 s).
  // The newest snapshot read so far is kept from here on: on a loaded machine the last round's
  // snapshot can arrive before the loop below ends.
  std::size_t largest_message = 0;
  double newest_seen = 0;
  nlohmann::json newest;
  const auto take = [&](const std::string& m) {
    largest_message = std::max(largest_message, m.size());
    const auto j = nlohmann::json::parse(m);
    if (j["type"] == "tracks") {
      newest_seen = j["time_s"];
      newest = j;
    }
  };
  const auto read_all = [&] {
    while (auto m = reader.Read(std::chrono::milliseconds(0))) take(*m);
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  double t = kT0;
  while (map.stats().snapshots_skipped < 5 && std::chrono::steady_clock::now() < deadline) {
    Apply(*server, Round(t));
    t += 1;
    read_all();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const LiveMap::Stats s = map.stats();
  EXPECT_EQ(s.clients, 2u);
  ASSERT_GE(s.snapshots_skipped, 5u) << "the stalled client never filled its buffer";
  EXPECT_NE(server->MetricsText().find("airprox_map_messages_dropped_total{kind=\"tracks\"} "),
            std::string::npos);

  // The reading client gets the newest state: the last round's data time, every track.
  const double last = t - 1;
  const auto read_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (newest_seen < last && std::chrono::steady_clock::now() < read_deadline) {
    if (auto m = reader.Read(std::chrono::milliseconds(200))) take(*m);
  }
  ASSERT_EQ(newest_seen, last);
  // (A snapshot's size is known once the reader has one: on a loaded machine the loop above can
  // end before the test thread has read a whole one.)
  ASSERT_GT(largest_message, 100000u);  // kTracks tracks per snapshot
  // The bound: what was unsent before the last send, at most max_buffered_bytes, plus that message.
  EXPECT_LE(s.max_buffered_bytes_seen, config.map.max_buffered_bytes + largest_message);
  EXPECT_EQ(newest["tracks"].size(), static_cast<std::size_t>(kTracks));
  EXPECT_EQ(newest["counts"]["map_clients"], 2);
  server->Stop();
}

TEST(LiveMap, SendsEncounterEventsAsTheyHappenAndKeepsEndedOnesForNewClients) {
  auto server = testing::StartServer();
  WebSocketTestClient client;
  ASSERT_EQ(client.Connect(server->http_port(), "/ws", {"airprox-map.v1"}), 101);
  ASSERT_TRUE(client.Read(std::chrono::seconds(10)).has_value());  // hello

  // Two aircraft converging head-on at the same level, 1 s apart, until they have passed.
  for (int s = 0; s <= 120; ++s) {
    std::vector<Position> batch(2);
    for (int k = 0; k < 2; ++k) {
      Position& p = batch[k];
      p.time_s = kT0 + s;
      p.track_id = k == 0 ? "400a01" : "400a02";
      p.callsign = k == 0 ? "EAST1" : "WEST2";
      p.lat_deg = 45;
      p.lon_deg = k == 0 ? -0.5 + s * (1.0 / 120) : 0.5 - s * (1.0 / 120);
      p.alt_ft = 35000;
      p.track_deg = k == 0 ? 90 : 270;
      p.ground_speed_kt = 500;
    }
    Apply(*server, std::move(batch));
  }
  // Then one report far away, 200 s later: the pair goes stale and its encounter ends.
  Position late;
  late.time_s = kT0 + 320;
  late.track_id = "4ca123";
  late.lat_deg = 50;
  late.lon_deg = 10;
  late.alt_ft = 20000;
  Apply(*server, {late});

  std::vector<std::string> kinds;
  std::string id;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((kinds.empty() || kinds.back() != "ENDED") && std::chrono::steady_clock::now() < deadline) {
    if (auto m = client.Read(std::chrono::milliseconds(200))) {
      const auto j = nlohmann::json::parse(*m);
      if (j["type"] == "event") {
        kinds.push_back(j["event"]["kind"]);
        id = j["event"]["id"];
      }
    }
  }
  ASSERT_FALSE(kinds.empty());
  EXPECT_EQ(kinds.front(), "STARTED");
  EXPECT_EQ(kinds.back(), "ENDED");

  // A browser that connects later is handed the ended encounter in its hello.
  WebSocketTestClient later;
  ASSERT_EQ(later.Connect(server->http_port(), "/ws", {"airprox-map.v1"}), 101);
  const auto hello = later.Read(std::chrono::seconds(10));
  ASSERT_TRUE(hello.has_value());
  const auto j = nlohmann::json::parse(*hello);
  ASSERT_EQ(j["history"].size(), 1u);
  EXPECT_EQ(j["history"][0]["id"], id);
  EXPECT_EQ(j["history"][0]["kind"], "ENDED");
  server->Stop();
}

}  // namespace
}  // namespace airprox
