#include "server/auth/role.h"

#include <gtest/gtest.h>

namespace airprox {
namespace {

TEST(Role, NamesRoundTripAndNothingElseParses) {
  for (Role r : kAllRoles) EXPECT_EQ(ParseRole(RoleName(r)), r);
  for (const char* bad : {"", "Ingest", "read", "admin ", "all"}) EXPECT_FALSE(ParseRole(bad)) << bad;
}

TEST(Roles, HoldsEachRoleIndependently) {
  Roles r{Role::kSubscribe};
  EXPECT_TRUE(r.Has(Role::kSubscribe));
  EXPECT_FALSE(r.Has(Role::kIngest));
  EXPECT_FALSE(r.Has(Role::kAdmin));
  r.Add(Role::kAdmin);
  EXPECT_EQ(r.ToString(), "subscribe,admin");
  EXPECT_TRUE(Roles{}.empty());
}

}  // namespace
}  // namespace airprox
