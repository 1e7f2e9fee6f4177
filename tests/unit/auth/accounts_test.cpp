// Accounts on both databases: sign-in, sessions, devices, API tokens, password changes, and the
// audit entry every change leaves.
#include <gtest/gtest.h>

#include <algorithm>

#include "audit/audit.hpp"
#include "auth/accounts.hpp"
#include "auth/secrets.hpp"
#include "testing/test_db.hpp"

namespace vikno::auth {
namespace {

using storage::Connection;

constexpr Millis kT0 = 1'760'000'000'000;
constexpr Millis kHour = 3600 * 1000;
constexpr const char* kPassword = "correct horse battery";

class AccountsTest : public storage::testing::DbTest {
protected:
  static void SetUpTestSuite() { init_crypto(); }

  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped()) {
      return;
    }
    accounts_ = std::make_unique<Accounts>(
        db(), [this] { return now_; }, board_, AccountsOptions{.session_lifetime_ms = kHour});
    auto center = accounts_->create_center(system_actor(), "ЦНАП Бучі", "Bucha ASC");
    ASSERT_TRUE(center) << center.error().message;
    center_ = center->id;
    auto other = accounts_->create_center(system_actor(), "ЦНАП Ірпеня", "Irpin ASC");
    ASSERT_TRUE(other);
    other_center_ = other->id;
  }

  Actor system_actor() { return Actor{system_, "cli"}; }

  User make_user(const std::string& login, Role role = Role::administrator) {
    auto created = accounts_->create_user(system_actor(), NewUser{login, "Олена Коваль", role, {center_}, kPassword});
    EXPECT_TRUE(created) << created.error().message;
    return created->user;
  }

  Principal session_principal(const SignIn& s) {
    auto p = accounts_->authenticate(s.session_token, std::nullopt);
    EXPECT_TRUE(p) << p.error().message;
    return *p;
  }

  std::int64_t count(const std::string& table) {
    return db().read([&](Connection& c) { return c.query_one("SELECT COUNT(*) FROM " + table)->int64(0); });
  }

  std::vector<std::string> audit_actions() {
    std::vector<std::string> out;
    for (const auto& r : audit::page(db(), 0, 1000)) {
      out.push_back(r.entry.action);
    }
    return out;
  }

  Millis now_ = kT0;
  alerts::Board board_;
  Principal system_ = Principal::system();
  std::unique_ptr<Accounts> accounts_;
  std::int64_t center_ = 0;
  std::int64_t other_center_ = 0;
};

TEST_P(AccountsTest, CreatedUserSignsIn) {
  User u = make_user("olena");
  EXPECT_EQ(u.login, "olena");
  EXPECT_EQ(u.role, Role::administrator);
  EXPECT_EQ(u.centers, std::vector<std::int64_t>{center_});
  EXPECT_FALSE(u.must_change_password); // the password was chosen, not generated

  auto s = accounts_->sign_in("olena", kPassword, "192.0.2.1");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->user.id, u.id);
  EXPECT_EQ(s->expires_at, kT0 + kHour);
  EXPECT_GE(s->session_token.size(), 52U);
  EXPECT_FALSE(s->csrf_token.empty());

  Principal p = session_principal(*s);
  EXPECT_EQ(p.kind, PrincipalKind::user);
  EXPECT_EQ(p.id, u.id);
  EXPECT_EQ(p.login, "olena");
  EXPECT_EQ(p.role, Role::administrator);
  EXPECT_EQ(p.centers, std::vector<std::int64_t>{center_});
  EXPECT_EQ(p.csrf_token, s->csrf_token);
  // The database keeps only the hash of the session token.
  EXPECT_EQ(p.session_id, token_hash(s->session_token));
  EXPECT_EQ(count("sessions"), 1);
  EXPECT_FALSE(db().read([&](Connection& c) {
    return c.query_one("SELECT 1 FROM sessions WHERE id_hash = ?", {s->session_token}).has_value();
  }));
}

TEST_P(AccountsTest, GeneratedPasswordMustBeChanged) {
  auto created = accounts_->create_user(system_actor(), NewUser{"petro", "Петро", Role::center_head, {center_}, {}});
  ASSERT_TRUE(created);
  EXPECT_TRUE(created->user.must_change_password);
  EXPECT_EQ(created->password.size(), 16U);
  EXPECT_TRUE(accounts_->sign_in("petro", created->password, "192.0.2.1"));
}

TEST_P(AccountsTest, WrongPasswordAndUnknownLoginLookTheSame) {
  make_user("olena");
  auto wrong = accounts_->sign_in("olena", "wrong password!", "192.0.2.1");
  auto unknown = accounts_->sign_in("nobody", kPassword, "192.0.2.1");
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().kind, ErrorKind::unauthenticated);
  EXPECT_EQ(wrong.error().code, "invalid_credentials");
  EXPECT_EQ(unknown.error().code, wrong.error().code);
  EXPECT_EQ(unknown.error().message, wrong.error().message);
  EXPECT_EQ(count("sessions"), 0);
}

TEST_P(AccountsTest, RepeatedFailuresFromOneAddressAreThrottledThereEvenWithTheRightPassword) {
  make_user("olena");
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(accounts_->sign_in("olena", "guess " + std::to_string(i), "192.0.2.66").error().code,
              "invalid_credentials");
  }
  Millis retry = 0;
  auto throttled = accounts_->sign_in("olena", kPassword, "192.0.2.66", &retry);
  ASSERT_FALSE(throttled);
  EXPECT_EQ(throttled.error().kind, ErrorKind::too_many_requests);
  EXPECT_EQ(throttled.error().code, "too_many_attempts");
  EXPECT_EQ(retry, 1000);
  now_ += retry;
  EXPECT_TRUE(accounts_->sign_in("olena", kPassword, "192.0.2.66"));
}

TEST_P(AccountsTest, GuessesElsewhereDoNotLockThePersonOutButRaiseOneAlertForHerHeadAndTheAdmin) {
  User olena = make_user("olena");
  for (int i = 0; i < 12; ++i) {
    // From many addresses, as a distributed guess would come: none of them is throttled yet.
    auto r = accounts_->sign_in("olena", "guess " + std::to_string(i), "198.51.100." + std::to_string(i % 3));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "invalid_credentials") << i;
    EXPECT_EQ(board_.open(std::nullopt, now_).size(), i + 1 >= 10 ? 1U : 0U) << i;
  }
  EXPECT_TRUE(accounts_->sign_in("olena", kPassword, "192.0.2.1")); // her own window

  auto all = board_.open(std::nullopt, now_);
  ASSERT_EQ(all.size(), 1U);
  EXPECT_EQ(all[0].code, "login_failures");
  EXPECT_EQ(all[0].subject, "user:" + std::to_string(olena.id));
  EXPECT_EQ(all[0].count, 3); // raised at the 10th, 11th and 12th failure: one alert, counted
  EXPECT_EQ(all[0].centers, std::vector<std::int64_t>{center_});
  EXPECT_NE(all[0].message_uk.find("12"), std::string::npos);
  EXPECT_EQ(all[0].message_uk.find("olena"), std::string::npos);
  EXPECT_EQ(board_.open(center_, now_).size(), 1U);      // her center's head sees it
  EXPECT_TRUE(board_.open(other_center_, now_).empty()); // another center's does not
}

TEST_P(AccountsTest, GuessesOfAnUnknownLoginRaiseAnAlertThatDoesNotRepeatTheLogin) {
  for (int i = 0; i < 10; ++i) {
    ASSERT_FALSE(accounts_->sign_in("typed-secret-123", "x", "198.51.100." + std::to_string(i)));
  }
  auto all = board_.open(std::nullopt, now_);
  ASSERT_EQ(all.size(), 1U);
  EXPECT_EQ(all[0].subject, "login");
  EXPECT_TRUE(all[0].centers.empty()); // the system administrator's only
  EXPECT_EQ(all[0].message_uk.find("typed-secret"), std::string::npos);
  EXPECT_EQ(all[0].message_en.find("typed-secret"), std::string::npos);
}

TEST_P(AccountsTest, WrongCurrentPasswordsAreThrottledPerUser) {
  make_user("olena");
  auto s = accounts_->sign_in("olena", kPassword, "192.0.2.1");
  ASSERT_TRUE(s);
  Principal p = session_principal(*s);
  for (int i = 0; i < 5; ++i) {
    // From changing addresses: the user id is counted across them.
    auto wrong =
        accounts_->change_password(Actor{p, "198.51.100." + std::to_string(i)}, "guess", "a brand new password");
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, "wrong_password") << i;
  }
  Millis retry = 0;
  auto throttled = accounts_->change_password(Actor{p, "192.0.2.1"}, kPassword, "a brand new password", &retry);
  ASSERT_FALSE(throttled);
  EXPECT_EQ(throttled.error().kind, ErrorKind::too_many_requests);
  EXPECT_EQ(throttled.error().code, "too_many_attempts");
  EXPECT_EQ(retry, 1000);
  now_ += retry;
  EXPECT_TRUE(accounts_->change_password(Actor{p, "192.0.2.1"}, kPassword, "a brand new password"));
}

TEST_P(AccountsTest, SessionEndsAtItsLifetime) {
  make_user("olena");
  auto s = accounts_->sign_in("olena", kPassword, "192.0.2.1");
  ASSERT_TRUE(s);
  now_ = kT0 + kHour - 1;
  EXPECT_TRUE(accounts_->authenticate(s->session_token, std::nullopt));
  now_ = kT0 + kHour;
  auto expired = accounts_->authenticate(s->session_token, std::nullopt);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().kind, ErrorKind::unauthenticated);
}

TEST_P(AccountsTest, UnknownTokensAre401NoTokenIsAnonymous) {
  auto none = accounts_->authenticate(std::nullopt, std::nullopt);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->kind, PrincipalKind::anonymous);
  EXPECT_FALSE(accounts_->authenticate("made-up-session", std::nullopt));
  EXPECT_FALSE(accounts_->authenticate(std::nullopt, "made-up-bearer"));
  EXPECT_FALSE(accounts_->authenticate(std::nullopt, ""));
}

TEST_P(AccountsTest, SignOutEndsTheSession) {
  make_user("olena");
  auto s = accounts_->sign_in("olena", kPassword, "192.0.2.1");
  ASSERT_TRUE(s);
  Principal p = session_principal(*s);
  accounts_->sign_out(Actor{p, "192.0.2.1"});
  EXPECT_FALSE(accounts_->authenticate(s->session_token, std::nullopt));
  EXPECT_EQ(count("sessions"), 0);
}

TEST_P(AccountsTest, SystemAdminSessionCoversEveryCenter) {
  auto created =
      accounts_->create_user(system_actor(), NewUser{"root-admin", "Адмін", Role::system_admin, {}, kPassword});
  ASSERT_TRUE(created) << created.error().message;
  auto s = accounts_->sign_in("root-admin", kPassword, "192.0.2.1");
  ASSERT_TRUE(s);
  Principal p = session_principal(*s);
  EXPECT_EQ(p.centers, (std::vector<std::int64_t>{center_, other_center_}));
  EXPECT_EQ(accounts_->list_centers(p).size(), 2U);
}

TEST_P(AccountsTest, DeviceTokenActsForItsCenterUntilRevoked) {
  auto kiosk = accounts_->create_device(system_actor(), center_, DevicePurpose::kiosk, "Кіоск біля входу");
  ASSERT_TRUE(kiosk) << kiosk.error().message;
  EXPECT_EQ(kiosk->token.size(), 26U);
  auto p = accounts_->authenticate(std::nullopt, kiosk->token);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->kind, PrincipalKind::device);
  EXPECT_EQ(p->id, kiosk->device.id);
  EXPECT_EQ(p->centers, std::vector<std::int64_t>{center_});
  EXPECT_EQ(p->device_purpose, DevicePurpose::kiosk);
  EXPECT_EQ(p->login, "Кіоск біля входу");
  EXPECT_FALSE(p->role.has_value());

  // Revoking needs the right center: a head of another center cannot revoke it by id.
  auto wrong_center = accounts_->revoke_device(system_actor(), other_center_, kiosk->device.id);
  ASSERT_FALSE(wrong_center);
  EXPECT_EQ(wrong_center.error().kind, ErrorKind::not_found);
  EXPECT_TRUE(accounts_->authenticate(std::nullopt, kiosk->token));

  ASSERT_TRUE(accounts_->revoke_device(system_actor(), center_, kiosk->device.id));
  auto revoked = accounts_->authenticate(std::nullopt, kiosk->token);
  ASSERT_FALSE(revoked);
  EXPECT_EQ(revoked.error().kind, ErrorKind::unauthenticated);
  EXPECT_EQ(accounts_->revoke_device(system_actor(), center_, kiosk->device.id).error().code, "device_not_found");
  auto listed = accounts_->list_devices(center_);
  ASSERT_EQ(listed.size(), 1U);
  EXPECT_TRUE(listed[0].revoked);

  EXPECT_EQ(accounts_->create_device(system_actor(), 999999, DevicePurpose::display, "x").error().code,
            "center_not_found");
}

TEST_P(AccountsTest, ApiTokenCarriesItsRoleAndCenters) {
  auto token = accounts_->create_api_token(system_actor(), "Обласна аналітика", Role::regional_analyst,
                                           {center_, other_center_});
  ASSERT_TRUE(token) << token.error().message;
  auto p = accounts_->authenticate(std::nullopt, token->token);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->kind, PrincipalKind::api_token);
  EXPECT_EQ(p->role, Role::regional_analyst);
  EXPECT_EQ(p->centers, (std::vector<std::int64_t>{center_, other_center_}));
  EXPECT_EQ(p->actor(), "token:" + std::to_string(token->api_token.id));

  const std::int64_t before = count("api_tokens");
  auto unknown = accounts_->create_api_token(system_actor(), "bad", Role::regional_analyst, {center_, 424242});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, "invalid_field");
  EXPECT_EQ(unknown.error().problems.at(0).field, "centers[1]");
  EXPECT_EQ(count("api_tokens"), before);
}

TEST_P(AccountsTest, ChangingThePasswordEndsOtherSessions) {
  make_user("olena");
  auto here = accounts_->sign_in("olena", kPassword, "192.0.2.1");
  auto elsewhere = accounts_->sign_in("olena", kPassword, "198.51.100.9");
  ASSERT_TRUE(here);
  ASSERT_TRUE(elsewhere);
  Principal p = session_principal(*here);

  auto wrong = accounts_->change_password(Actor{p, "192.0.2.1"}, "not the password", "a brand new password");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, "wrong_password");
  auto weak = accounts_->change_password(Actor{p, "192.0.2.1"}, kPassword, "short");
  ASSERT_FALSE(weak);
  EXPECT_EQ(weak.error().problems.at(0).field, "new_password");

  ASSERT_TRUE(accounts_->change_password(Actor{p, "192.0.2.1"}, kPassword, "a brand new password"));
  EXPECT_TRUE(accounts_->authenticate(here->session_token, std::nullopt)); // this one stays
  EXPECT_FALSE(accounts_->authenticate(elsewhere->session_token, std::nullopt));
  EXPECT_FALSE(accounts_->sign_in("olena", kPassword, "192.0.2.1"));
  EXPECT_TRUE(accounts_->sign_in("olena", "a brand new password", "192.0.2.1"));
}

TEST_P(AccountsTest, CreateUserWithUnknownCenterWritesNothing) {
  const std::int64_t users = count("users");
  const std::int64_t links = count("user_centers");
  const auto audit_before = audit::verify(db()).entries;
  auto created =
      accounts_->create_user(system_actor(), NewUser{"olena", "Олена", Role::administrator, {center_, 777}, kPassword});
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, "invalid_field");
  EXPECT_EQ(created.error().problems.at(0).field, "centers[1]");
  EXPECT_EQ(count("users"), users);
  EXPECT_EQ(count("user_centers"), links);
  EXPECT_EQ(audit::verify(db()).entries, audit_before);
  // The login is still free.
  EXPECT_TRUE(
      accounts_->create_user(system_actor(), NewUser{"olena", "Олена", Role::administrator, {center_}, kPassword}));
}

TEST_P(AccountsTest, CreateUserChecksItsFields) {
  auto expect_field = [&](NewUser u, const std::string& field) {
    auto r = accounts_->create_user(system_actor(), u);
    ASSERT_FALSE(r) << field;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_input) << field;
    EXPECT_EQ(r.error().problems.at(0).field, field);
  };
  expect_field({"Olena", "O", Role::administrator, {center_}, kPassword}, "login"); // upper case
  expect_field({"o", "O", Role::administrator, {center_}, kPassword}, "login");
  expect_field({"olena", "", Role::administrator, {center_}, kPassword}, "name");
  expect_field({"olena", "O", Role::administrator, {center_}, "short"}, "password");
  expect_field({"olena", "O", Role::administrator, {}, kPassword}, "centers");
  EXPECT_EQ(count("users"), 0);

  make_user("olena");
  auto taken = accounts_->create_user(system_actor(), NewUser{"olena", "Інша", Role::administrator, {center_}, {}});
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().kind, ErrorKind::conflict);
  EXPECT_EQ(taken.error().code, "login_taken");
}

TEST_P(AccountsTest, FirstAdminIsCreatedOnce) {
  auto first = accounts_->ensure_first_admin(std::nullopt);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->user.login, "admin");
  EXPECT_EQ(first->user.role, Role::system_admin);
  EXPECT_TRUE(first->user.must_change_password);
  EXPECT_FALSE(accounts_->ensure_first_admin("another password").has_value());
  EXPECT_TRUE(accounts_->sign_in("admin", first->password, "127.0.0.1"));
}

TEST_P(AccountsTest, EveryChangeIsAuditedAndTheChainVerifies) {
  User u = make_user("olena", Role::center_head);
  auto s = accounts_->sign_in("olena", kPassword, "192.0.2.1");
  ASSERT_TRUE(s);
  Principal head = session_principal(*s);
  Actor actor{head, "192.0.2.1"};
  auto device = accounts_->create_device(actor, center_, DevicePurpose::display, "Табло");
  ASSERT_TRUE(device);
  ASSERT_TRUE(accounts_->revoke_device(actor, center_, device->device.id));
  ASSERT_TRUE(accounts_->create_api_token(system_actor(), "BI", Role::regional_analyst, {center_}));
  ASSERT_TRUE(accounts_->change_password(actor, kPassword, "a brand new password"));
  accounts_->sign_out(actor);
  // Refusals change nothing and leave nothing.
  (void)accounts_->sign_in("olena", "wrong password", "192.0.2.1");
  (void)accounts_->revoke_device(actor, center_, device->device.id);

  EXPECT_EQ(audit_actions(), (std::vector<std::string>{"center.create", "center.create", "user.create",
                                                       "session.create", "device.create", "device.revoke",
                                                       "api_token.create", "user.password", "session.delete"}));
  auto records = audit::page(db(), 0, 1000);
  const std::string head_actor = "user:" + std::to_string(u.id);
  EXPECT_EQ(records[2].entry.actor, "system");
  EXPECT_EQ(records[3].entry.actor, head_actor);
  EXPECT_EQ(records[3].entry.source, "192.0.2.1");
  EXPECT_EQ(records[4].entry.actor, head_actor);
  EXPECT_EQ(records[4].entry.object_id, std::to_string(device->device.id));
  EXPECT_EQ(records[8].entry.actor, head_actor);
  for (const auto& r : records) {
    EXPECT_EQ(r.entry.at, kT0) << r.entry.action; // the injected clock, not the wall clock
  }
  auto report = audit::verify(db());
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.entries, 9);
}

TEST_P(AccountsTest, CenterStaffListsOnlyThatCenter) {
  make_user("olena");
  ASSERT_TRUE(
      accounts_->create_user(system_actor(), NewUser{"ivan", "Іван", Role::administrator, {other_center_}, kPassword}));
  auto staff = accounts_->center_staff(center_);
  ASSERT_EQ(staff.size(), 1U);
  EXPECT_EQ(staff[0].login, "olena");
  EXPECT_EQ(accounts_->list_users().size(), 2U);
  EXPECT_EQ(accounts_->get_user(999999).error().kind, ErrorKind::not_found);
}

VIKNO_INSTANTIATE_DB_TEST(AccountsTest);

} // namespace
} // namespace vikno::auth
