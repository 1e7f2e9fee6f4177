// The role x center matrix: every kind of caller x every Permission x {own center, another center,
// no center}, written out as a table. Any change to auth::authorize fails here until the table
// (and so the reviewer) agrees.
#include <gtest/gtest.h>

#include <array>
#include <string>

#include "auth/policy.hpp"

namespace vikno::auth {
namespace {

constexpr std::int64_t kOwn = 1;
constexpr std::int64_t kOther = 2;

constexpr std::array<Permission, 14> kPermissions{
    Permission::public_read,   Permission::signed_in,         Permission::users_manage,
    Permission::center_read,   Permission::center_manage,     Permission::queue_operate,
    Permission::kiosk,         Permission::display,           Permission::device,
    Permission::queue_watch,   Permission::case_front_office, Permission::case_read,
    Permission::case_provider, Permission::report_read,
};

// One cell per (permission, center): three characters for own center / other center / no center.
// 'Y' allowed, '1' 401 (sign in first), '3' 403 (signed in but not allowed).
struct Expected {
  std::string who;
  Principal principal;
  std::array<const char*, 14> cells; // in the order of kPermissions
};

Principal user(Role role) {
  Principal p;
  p.kind = PrincipalKind::user;
  p.id = 1;
  p.role = role;
  p.centers = {kOwn};
  return p;
}

Principal api_token(Role role) {
  Principal p = user(role);
  p.kind = PrincipalKind::api_token;
  return p;
}

Principal device(DevicePurpose purpose) {
  Principal p;
  p.kind = PrincipalKind::device;
  p.id = 1;
  p.centers = {kOwn};
  p.device_purpose = purpose;
  return p;
}

std::vector<Expected> matrix() {
  // clang-format off
  //                              public  signed  users   c_read  c_manage queue  kiosk   display device  watch   case_fo case_rd case_pr report
  const std::array<const char*, 14> system_admin     {"YYY", "YYY", "YYY", "YYY", "YYY", "YYY", "333", "333", "333", "YYY", "333", "333", "333", "YYY"};
  const std::array<const char*, 14> regional_analyst {"YYY", "Y3Y", "333", "Y3Y", "333", "333", "333", "333", "333", "Y3Y", "333", "333", "333", "Y3Y"};
  const std::array<const char*, 14> center_head      {"YYY", "Y3Y", "333", "Y3Y", "Y3Y", "Y3Y", "333", "333", "333", "Y3Y", "Y3Y", "Y3Y", "333", "Y3Y"};
  const std::array<const char*, 14> administrator    {"YYY", "Y3Y", "333", "Y3Y", "333", "Y3Y", "333", "333", "333", "Y3Y", "Y3Y", "Y3Y", "333", "333"};
  const std::array<const char*, 14> provider_employee{"YYY", "Y3Y", "333", "Y3Y", "333", "333", "333", "333", "333", "Y3Y", "333", "Y3Y", "Y3Y", "333"};
  const std::array<const char*, 14> kiosk            {"YYY", "333", "333", "333", "333", "333", "Y3Y", "333", "Y3Y", "Y3Y", "333", "333", "333", "333"};
  const std::array<const char*, 14> display          {"YYY", "333", "333", "333", "333", "333", "333", "Y3Y", "Y3Y", "Y3Y", "333", "333", "333", "333"};
  const std::array<const char*, 14> anonymous        {"YYY", "111", "111", "111", "111", "111", "111", "111", "111", "111", "111", "111", "111", "111"};
  const std::array<const char*, 14> system           {"YYY", "YYY", "YYY", "YYY", "YYY", "YYY", "YYY", "YYY", "YYY", "YYY", "YYY", "YYY", "YYY", "YYY"};
  const std::array<const char*, 14> no_role          {"YYY", "333", "333", "333", "333", "333", "333", "333", "333", "333", "333", "333", "333", "333"};
  // clang-format on
  Principal role_less = user(Role::administrator);
  role_less.role.reset(); // a token whose stored role no longer parses must not act
  return {
      {"user system_admin", user(Role::system_admin), system_admin},
      {"user regional_analyst", user(Role::regional_analyst), regional_analyst},
      {"user center_head", user(Role::center_head), center_head},
      {"user administrator", user(Role::administrator), administrator},
      {"user provider_employee", user(Role::provider_employee), provider_employee},
      // API tokens carry a role and act exactly as a user of that role.
      {"token system_admin", api_token(Role::system_admin), system_admin},
      {"token regional_analyst", api_token(Role::regional_analyst), regional_analyst},
      {"token center_head", api_token(Role::center_head), center_head},
      {"token administrator", api_token(Role::administrator), administrator},
      {"token provider_employee", api_token(Role::provider_employee), provider_employee},
      {"device kiosk", device(DevicePurpose::kiosk), kiosk},
      {"device display", device(DevicePurpose::display), display},
      {"anonymous", Principal{}, anonymous},
      {"system", Principal::system(), system},
      {"user without role", role_less, no_role},
  };
}

char outcome(const Principal& p, Permission permission, std::optional<std::int64_t> center) {
  auto result = authorize(p, permission, center);
  if (result) {
    return 'Y';
  }
  switch (result.error().kind) {
  case ErrorKind::unauthenticated:
    return '1';
  case ErrorKind::forbidden:
    return '3';
  default:
    return '?';
  }
}

TEST(PolicyMatrix, EveryCallerPermissionAndCenter) {
  int cells = 0;
  for (const auto& row : matrix()) {
    for (std::size_t i = 0; i < kPermissions.size(); ++i) {
      const std::string expected = row.cells[i];
      ASSERT_EQ(expected.size(), 3U);
      std::string actual;
      actual += outcome(row.principal, kPermissions[i], kOwn);
      actual += outcome(row.principal, kPermissions[i], kOther);
      actual += outcome(row.principal, kPermissions[i], std::nullopt);
      EXPECT_EQ(actual, expected) << row.who << " x " << to_string(kPermissions[i])
                                  << " (own center / other center / no center)";
      cells += 3;
    }
  }
  EXPECT_EQ(cells, 15 * 14 * 3);
}

TEST(PolicyMatrix, SeveralCentersEachCount) {
  // A regional analyst reads each center it was given, and only those.
  Principal analyst = user(Role::regional_analyst);
  analyst.centers = {3, 5, 8};
  for (std::int64_t c : {3, 5, 8}) {
    EXPECT_TRUE(authorize(analyst, Permission::center_read, c)) << c;
  }
  for (std::int64_t c : {1, 4, 9}) {
    EXPECT_FALSE(authorize(analyst, Permission::center_read, c)) << c;
  }
  // A user bound to no center at all reads none.
  Principal nowhere = user(Role::center_head);
  nowhere.centers.clear();
  EXPECT_FALSE(authorize(nowhere, Permission::center_read, kOwn));
}

TEST(PolicyMatrix, RefusalsSayWhy) {
  auto anonymous = authorize(Principal{}, Permission::center_read, kOwn);
  ASSERT_FALSE(anonymous);
  EXPECT_EQ(anonymous.error().code, "unauthenticated");
  auto role = authorize(user(Role::provider_employee), Permission::center_manage, kOwn);
  ASSERT_FALSE(role);
  EXPECT_EQ(role.error().code, "forbidden");
  auto center = authorize(user(Role::center_head), Permission::center_manage, kOther);
  ASSERT_FALSE(center);
  EXPECT_EQ(center.error().code, "forbidden");
}

TEST(PolicyNames, EveryPermissionHasAStableName) {
  const std::array<const char*, 14> names{
      "public_read", "signed_in", "users_manage", "center_read",       "center_manage", "queue_operate", "kiosk",
      "display",     "device",    "queue_watch",  "case_front_office", "case_read",     "case_provider", "report_read"};
  for (std::size_t i = 0; i < kPermissions.size(); ++i) {
    EXPECT_EQ(to_string(kPermissions[i]), names[i]);
  }
}

TEST(PrincipalNames, RolesAndPurposesRoundTrip) {
  for (Role r :
       {Role::system_admin, Role::regional_analyst, Role::center_head, Role::administrator, Role::provider_employee}) {
    EXPECT_EQ(role_from_string(to_string(r)), r);
  }
  EXPECT_FALSE(role_from_string("root").has_value());
  EXPECT_FALSE(role_from_string("System_Admin").has_value());
  EXPECT_EQ(device_purpose_from_string("kiosk"), DevicePurpose::kiosk);
  EXPECT_EQ(device_purpose_from_string("display"), DevicePurpose::display);
  EXPECT_FALSE(device_purpose_from_string("printer").has_value());
  EXPECT_EQ(user(Role::administrator).actor(), "user:1");
  EXPECT_EQ(device(DevicePurpose::kiosk).actor(), "device:1");
  EXPECT_EQ(api_token(Role::administrator).actor(), "token:1");
  EXPECT_EQ(Principal{}.actor(), "anonymous");
  EXPECT_EQ(Principal::system().actor(), "system");
}

} // namespace
} // namespace vikno::auth
