#include "server/app/server.h"

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>

namespace airprox {
namespace {

std::shared_ptr<spdlog::logger> EncounterLogger() {
  if (auto l = spdlog::get("encounter")) return l;
  auto l = spdlog::default_logger()->clone("encounter");
  spdlog::register_logger(l);
  return l;
}

}  // namespace

AirproxServer::AirproxServer(Config config)
    : config_(std::move(config)),
      loop_(config_.detector, config_.detection_loop),
      hub_(config_.subscribers),
      log_(EncounterLogger()),
      ingest_(loop_),
      encounters_(loop_, hub_),
      tracks_(loop_) {
  loop_.AddSink(&log_);
  loop_.AddSink(&hub_);
}

AirproxServer::~AirproxServer() { Stop(); }

Status AirproxServer::Start() {
  if (Status st = ValidateConfig(config_); !st.ok()) return st;
  loop_.Start();
  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default: a second airproxd on the same port would silently share the
  // traffic. Refuse instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(config_.listen, grpc::InsecureServerCredentials(), &port_);
  builder.RegisterService(&ingest_);
  builder.RegisterService(&encounters_);
  builder.RegisterService(&tracks_);
  server_ = builder.BuildAndStart();
  if (!server_ || port_ == 0) {
    server_.reset();
    loop_.Stop();
    stopped_ = true;
    return {StatusCode::kUnavailable, "bind",
            "cannot listen on " + config_.listen + " (address in use, or not a local address?)"};
  }
  hub_.Start();
  spdlog::info("airproxd listening on {} (gRPC), {} rules, stale_after_s={}", address(),
               config_.detector.rules.size(), config_.detector.stale_after_s);
  return Status::Ok();
}

void AirproxServer::Stop(double grace_s) {
  if (stopped_) return;
  stopped_ = true;
  if (server_) loop_.Drain("shutdown");  // ENDED events reach subscribers before their streams end
  hub_.Stop();
  hub_.Close();
  if (server_) {
    server_->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::milliseconds(static_cast<long>(grace_s * 1000)));
    server_->Wait();
  }
  loop_.Stop();
  if (server_) spdlog::info("airproxd stopped");
}

std::string AirproxServer::address() const {
  const auto colon = config_.listen.rfind(':');
  return config_.listen.substr(0, colon) + ":" + std::to_string(port_);
}

}  // namespace airprox
