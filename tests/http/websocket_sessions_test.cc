// The HTTP server's WebSocket endpoint (WebSocketSessions behind HttpServer): the handshake's
// checks (path, credentials through the authorizer, client cap, subprotocol), and sends. Through
// HttpServer's interface: websocket_sessions.h itself includes websocketpp, which is C++17 only.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "server/http/http_server.h"
#include "tests/http/websocket_test_client.h"

namespace airprox {
namespace {

using testing::WebSocketTestClient;

HttpResponse NotFound(const std::string&, const std::string&, const std::string&) {
  return {404, "text/plain", "no\n"};
}

bool WaitFor(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

struct Endpoint {
  std::atomic<int> opened{0}, closed{0};
  std::atomic<WebSocketClientId> last{0};
  WebSocketEndpoint Make(std::size_t max_clients = 4) {
    WebSocketEndpoint ep;
    ep.path = "/ws";
    ep.max_clients = max_clients;
    ep.authorize = [](const std::string& token) {
      if (token == "secret") return WebSocketAccess::kAllowed;
      return token == "reader" ? WebSocketAccess::kForbidden : WebSocketAccess::kUnauthenticated;
    };
    ep.on_open = [this](WebSocketClientId id) {
      last = id;
      ++opened;
    };
    ep.on_close = [this](WebSocketClientId) { ++closed; };
    return ep;
  }
};

TEST(WebSocketSessions, OpensWithTheTokenTheAuthorizerAcceptsAndChoosesTheSubprotocol) {
  Endpoint e;
  HttpServer http("127.0.0.1:0", NotFound, e.Make());
  ASSERT_TRUE(http.Start().ok());
  WebSocketTestClient client;
  ASSERT_EQ(client.Connect(http.port(), "/ws", {"airprox-map.v1", "token.secret"}), 101);
  EXPECT_NE(client.response_headers().find("Sec-WebSocket-Protocol: airprox-map.v1"), std::string::npos)
      << client.response_headers();
  ASSERT_TRUE(WaitFor([&] { return e.opened == 1; }));

  // A message sent on the server's thread reaches the client.
  std::promise<WebSocketSend> sent;
  http.Post([&] { sent.set_value(http.Send(e.last, "hello", 1 << 20)); });
  EXPECT_EQ(sent.get_future().get(), WebSocketSend::kSent);
  EXPECT_EQ(client.Read(std::chrono::seconds(5)), "hello");
  http.Stop();
}

TEST(WebSocketSessions, RefusesAMissingOrWrongTokenWith401AndAForbiddenOneWith403) {
  Endpoint e;
  HttpServer http("127.0.0.1:0", NotFound, e.Make());
  ASSERT_TRUE(http.Start().ok());
  WebSocketTestClient none, wrong, forbidden;
  EXPECT_EQ(none.Connect(http.port(), "/ws", {"airprox-map.v1"}), 401);
  EXPECT_EQ(wrong.Connect(http.port(), "/ws", {"airprox-map.v1", "token.guess"}), 401);
  EXPECT_EQ(forbidden.Connect(http.port(), "/ws", {"airprox-map.v1", "token.reader"}), 403);
  EXPECT_EQ(e.opened, 0);
  http.Stop();
}

TEST(WebSocketSessions, RefusesOtherPathsWith404AndClientsBeyondTheCapWith503) {
  Endpoint e;
  HttpServer http("127.0.0.1:0", NotFound, e.Make(/*max_clients=*/1));
  ASSERT_TRUE(http.Start().ok());
  WebSocketTestClient elsewhere, first, second;
  EXPECT_EQ(elsewhere.Connect(http.port(), "/other", {"token.secret"}), 404);
  ASSERT_EQ(first.Connect(http.port(), "/ws", {"token.secret"}), 101);
  ASSERT_TRUE(WaitFor([&] { return e.opened == 1; }));
  EXPECT_EQ(second.Connect(http.port(), "/ws", {"token.secret"}), 503);
  http.Stop();
}

TEST(WebSocketSessions, SendsNothingToAClientWhoseUnsentBytesPassTheBound) {
  Endpoint e;
  HttpServer http("127.0.0.1:0", NotFound, e.Make());
  ASSERT_TRUE(http.Start().ok());
  WebSocketTestClient stalled;  // never reads
  ASSERT_EQ(stalled.Connect(http.port(), "/ws", {"token.secret"}, /*receive_buffer_bytes=*/4096), 101);
  ASSERT_TRUE(WaitFor([&] { return e.opened == 1; }));

  // Sends 64 KiB messages until one is refused: the socket's buffers fill, then websocketpp's queue
  // up to the bound, and no further.
  constexpr std::size_t kBound = 256 * 1024;
  const std::string message(64 * 1024, 'x');
  std::size_t sent = 0, refused = 0, max_buffered = 0;
  for (int round = 0; round < 2000 && refused == 0; ++round) {
    std::promise<void> done;
    http.Post([&] {
      for (int i = 0; i < 16; ++i) {
        const WebSocketSend r = http.Send(e.last, message, kBound);
        (r == WebSocketSend::kSent ? sent : refused) += 1;
        max_buffered = std::max(max_buffered, http.buffered_bytes(e.last));
      }
      done.set_value();
    });
    done.get_future().wait();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_GT(refused, 0u) << "sent " << sent;
  EXPECT_LE(max_buffered, kBound + message.size());
  http.Stop();
}

TEST(WebSocketSessions, WithoutAnEndpointUpgradesAreRefused) {
  HttpServer http("127.0.0.1:0", NotFound);
  ASSERT_TRUE(http.Start().ok());
  WebSocketTestClient client;
  EXPECT_EQ(client.Connect(http.port(), "/ws", {"airprox-map.v1"}), 400);
  std::promise<WebSocketSend> sent;
  http.Post([&] { sent.set_value(http.Send(1, "x", 1024)); });
  EXPECT_EQ(sent.get_future().get(), WebSocketSend::kClosed);
  http.Stop();
}

}  // namespace
}  // namespace airprox
