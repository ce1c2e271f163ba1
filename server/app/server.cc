#include "server/app/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <thread>

#include "server/app/listen_policy.h"
#include "server/app/log_setup.h"

namespace airprox {

AirproxServer::AirproxServer(Config config)
    : config_(std::move(config)), hub_(config_.subscribers), log_(ComponentLogger("encounter")) {}

AirproxServer::~AirproxServer() { Stop(); }

Status AirproxServer::Start() {
  if (Status st = ValidateConfig(config_); !st.ok()) return st;
  if (!config_.auth.token_file.empty()) {
    if (Status st = access_.Load(config_.auth.token_file); !st.ok()) return st;
  }
  if (config_.tls.enabled()) {
    if (Status st = ServerCertificates::Open(config_.tls, certificates_); !st.ok()) return st;
  }
  // The journal first: the sequence continues where the last run stopped.
  DetectorOptions detector = config_.detector;
  const LimitsOptions& limits = config_.limits;
  detector.tracks.max_tracks = limits.max_tracks;
  if (!config_.storage.dir.empty()) {
    std::vector<v1::EncounterEvent> recovered;
    std::uint64_t last_sequence = 0;
    if (Status st = EventJournal::Open(config_.storage, config_.subscribers.history_events, journal_,
                                       recovered, last_sequence);
        !st.ok()) {
      return st;
    }
    hub_.Preload(recovered);
    detector.first_sequence = last_sequence + 1;
  }
  loop_ = std::make_unique<DetectionLoop>(detector, config_.detection_loop);
  loop_->AddSink(&log_);
  loop_->AddSink(&event_metrics_);
  if (journal_) loop_->AddSink(journal_.get());  // written before it is delivered
  loop_->AddSink(&hub_);
  if (!config_.http_listen.empty()) {
    map_ = std::make_unique<LiveMap>(config_.map, *loop_, [this] { return hub_.subscribers(); });
    loop_->AddSink(map_.get());
  }
  streams_ = std::make_unique<StreamLimiter>(limits.streams, limit_counters_);
  IngestServiceOptions ingest = config_.ingest;
  ingest.max_batch_positions = limits.max_batch_positions;
  ingest.max_message_bytes = limits.max_message_bytes;
  const MessageSizeLimit message_size(limits.max_message_bytes, limit_counters_);
  ingest_ = std::make_unique<IngestService>(*loop_, access_, grants_, ingest, *streams_, limit_counters_);
  encounters_ = std::make_unique<EncounterService>(*loop_, hub_, access_, grants_, *streams_, limits.filter,
                                                   message_size, limit_counters_);
  tracks_ = std::make_unique<TrackService>(*loop_, access_, message_size);
  loop_->Start();
  // The standard health service (grpc.health.v1.Health: SERVING while running, NOT_SERVING
  // while stopping) and server reflection, so that generic tools (grpcurl, Postman, grpc-js
  // reflection clients) can list and call every service.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default: a second airproxd on the same port would silently share the
  // traffic. Refuse instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // Keepalive: ping idle connections every 30 s and drop a peer that does not answer within 10 s,
  // so that streams to dead peers (a subscriber whose machine vanished) end. Clients may ping every
  // 10 s at most, also without active calls.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  // limits: the services refuse and count messages past limits.max_message_bytes; gRPC refuses
  // those past twice that itself, uncounted (MessageSizeLimit). gRPC closes a connection that has
  // not finished its HTTP/2 setup (client preface and SETTINGS) in time.
  builder.SetMaxReceiveMessageSize(GrpcReceiveCap(limits.max_message_bytes));
  builder.AddChannelArgument(GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS,
                             static_cast<int>(limits.handshake_timeout_s * 1000));
  builder.AddListeningPort(config_.listen,
                           certificates_ ? certificates_->Credentials() : grpc::InsecureServerCredentials(),
                           &port_);
  builder.RegisterService(ingest_.get());
  builder.RegisterService(encounters_.get());
  builder.RegisterService(tracks_.get());
  server_ = builder.BuildAndStart();
  if (!server_ || port_ == 0) {
    server_.reset();
    loop_->Stop();
    stopped_ = true;
    return {StatusCode::kUnavailable, "bind",
            "cannot listen on " + config_.listen + " (address in use, or not a local address?)"};
  }
  std::vector<FeedOptions> feeds = config_.feeds;
  for (FeedOptions& f : feeds) f.max_line_bytes = limits.sbs_max_line_bytes;
  feeds_ = std::make_unique<FeedRunner>(std::move(feeds), *loop_);
  if (Status st = feeds_->Start(); !st.ok()) return AbortStart(st);
  if (!config_.http_listen.empty()) {
    http_ = std::make_unique<HttpServer>(
        config_.http_listen,
        [this](const std::string& method, const std::string& path, const std::string& authorization) {
          return ServeHttp(method, path, authorization);
        },
        map_->Endpoint([this](const std::string& token) { return AuthorizeMapViewer(token); }),
        // With tls.cert, HTTP is HTTPS with the same certificate (and client CA), the one in force.
        certificates_ ? HttpTlsSource([this] {
          const ServerCertificates::Pem pem = certificates_->Current();
          return HttpTlsIdentity{pem.identity, pem.client_ca};
        })
                      : HttpTlsSource());
    http_->set_request_timeout_s(limits.handshake_timeout_s);
    if (Status st = http_->Start(); !st.ok()) {
      http_.reset();
      return AbortStart(st);
    }
    map_->Start(*http_);
  }
  hub_.Start();
  stats_ = std::make_unique<StatsReporter>(config_.log.stats_interval_s, *loop_, hub_, feeds_.get(),
                                           ComponentLogger("stats"));
  stats_->Start();
  ready_ = true;
  spdlog::info("airproxd listening on {} (gRPC), {} rules, stale_after_s={}", address(),
               config_.detector.rules.size(), config_.detector.stale_after_s);
  if (http_) {
    const auto colon = config_.http_listen.rfind(':');
    spdlog::info("airproxd HTTP on {}:{} ({}live map at /, /metrics, /healthz, /readyz)",
                 config_.http_listen.substr(0, colon), http_->port(), certificates_ ? "HTTPS: " : "");
  }
  if (certificates_) {
    spdlog::info("gRPC{} TLS: {}{}", http_ ? " and HTTP" : "", certificates_->Describe(),
                 config_.tls.client_ca.empty() ? ""
                                               : "; client certificates required, signed by " + config_.tls.client_ca);
  }
  if (access_.enabled()) {
    spdlog::info("bearer tokens: {} from {}", access_.tokens(), config_.auth.token_file);
  }
  for (const std::string& l : InsecureListeners(config_)) {
    spdlog::warn("plaintext {} on a non-loopback address (--allow-insecure)", l);
  }
  for (const FeedRunner::Feed& f : feeds_->feeds()) {
    spdlog::info("feed {}: {} {}{}", f.options.name, FeedTypeName(f.options.type), f.options.address,
                 f.port != 0 ? fmt::format(" (port {})", f.port) : "");
  }
  return Status::Ok();
}

Status AirproxServer::Reload() {
  Status result;
  if (access_.enabled()) {
    if (Status st = access_.Reload(); st.ok()) {
      spdlog::info("reloaded the bearer tokens: {} from {}", access_.tokens(), config_.auth.token_file);
      if (const std::size_t revoked = grants_.Revoke(); revoked > 0) {
        spdlog::warn("ended {} open stream(s) whose token the reloaded file no longer admits", revoked);
      }
    } else {
      spdlog::error("cannot reload the bearer tokens, the previous ones stay in force: {}", st.message());
      result = st;
    }
  }
  if (certificates_) {
    if (Status st = certificates_->Reload(); st.ok()) {
      spdlog::info("reloaded the TLS certificate: {}", certificates_->Describe());
    } else {
      spdlog::error("cannot reload the TLS files, the previous certificate stays in force: {}", st.message());
      if (result.ok()) result = st;
    }
  }
  return result;
}

Status AirproxServer::AbortStart(Status why) {
  if (feeds_) feeds_->Stop();
  hub_.Close();  // a subscriber that came in meanwhile ends at once
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  server_->Wait();
  server_.reset();
  loop_->Stop();
  stopped_ = true;
  return why;
}

void AirproxServer::Stop(double grace_s) {
  if (stopped_) return;
  stopped_ = true;
  ready_ = false;  // /readyz: 503 from now on
  if (stats_) stats_->Stop();
  if (server_) server_->GetHealthCheckService()->Shutdown();  // NOT_SERVING from now on
  if (feeds_) feeds_->Stop();  // what the feeds hold goes in before the drain
  if (server_) loop_->Drain("shutdown");  // ENDED events reach subscribers before their streams end
  hub_.Stop();
  hub_.Close();
  if (server_) {
    // Let the subscriber streams flush and end before the transport goes: a connection closed
    // while a client still reads can reach it as a reset instead of its final OK.
    const auto flush_deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<long>(grace_s * 1000));
    while (hub_.subscribers() > 0 && std::chrono::steady_clock::now() < flush_deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    server_->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::milliseconds(static_cast<long>(grace_s * 1000)));
    server_->Wait();
  }
  if (loop_) loop_->Stop();
  if (map_) map_->Stop();
  if (http_) http_->Stop();  // last: /healthz answers while the rest stops
  if (server_) spdlog::info("airproxd stopped");
}

std::string AirproxServer::address() const {
  const auto colon = config_.listen.rfind(':');
  return config_.listen.substr(0, colon) + ":" + std::to_string(port_);
}

}  // namespace airprox
