#include "server/service/call_authorization.h"

#include <gtest/gtest.h>

#include <set>

#include "airprox/v1/airprox.grpc.pb.h"

namespace airprox {
namespace {

TEST(CallAuthorization, EveryMethodOfTheApiHasARole) {
  const google::protobuf::FileDescriptor* file = v1::PositionBatch::descriptor()->file();
  std::set<std::string> methods;
  for (int s = 0; s < file->service_count(); ++s) {
    const google::protobuf::ServiceDescriptor* service = file->service(s);
    for (int m = 0; m < service->method_count(); ++m) {
      const std::string full = "/" + service->full_name() + "/" + service->method(m)->name();
      methods.insert(full);
      EXPECT_TRUE(MethodRoleOf(full).has_value()) << full << " has no role in kMethodRoles";
    }
  }
  EXPECT_EQ(methods.size(), std::size(kMethodRoles)) << "kMethodRoles names a method the API does not have";
  EXPECT_EQ(MethodRoleOf("/airprox.v1.TrackIngest/Ingest"), Role::kIngest);
  EXPECT_EQ(MethodRoleOf("/airprox.v1.Tracks/GetTrack"), Role::kSubscribe);
  EXPECT_FALSE(MethodRoleOf("/grpc.health.v1.Health/Check").has_value());
}

TEST(CallAuthorization, WithoutATokenFileEveryCallGoesThrough) {
  AccessControl open;
  EXPECT_TRUE(AuthorizeCall(open, nullptr, "/airprox.v1.TrackIngest/Ingest").ok());
}

}  // namespace
}  // namespace airprox
