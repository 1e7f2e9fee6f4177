// Accounts: staff users, their sessions, device tokens and API tokens, and the minimal center
// record they refer to (the registry extends centers). Every change is one transaction that also
// appends to the audit log. Password checks are throttled per (login, address) and per address
// (LoginThrottle); a login under a flood of wrong passwords raises an alert for the heads of its
// centers and the system administrator instead of refusing the right password. At most
// `max_concurrent_hashes` password hashes run at once (HashSlots); a few more wait a moment, the rest
// are refused with 503 busy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alerts/alerts.hpp"
#include "auth/login_throttle.hpp"
#include "auth/principal.hpp"
#include "auth/secrets.hpp"
#include "common/error.hpp"
#include "common/time.hpp"
#include "storage/db.hpp"

namespace vikno::auth {

struct User {
  std::int64_t id = 0;
  std::string login;
  std::string name;
  Role role = Role::administrator;
  std::vector<std::int64_t> centers;
  bool must_change_password = false;
  bool active = true;
  Millis created_at = 0;
  std::optional<std::int64_t> provider_id; // a provider employee's provider (суб'єкт надання)
};

struct NewUser {
  std::string login;
  std::string name;
  Role role = Role::administrator;
  std::vector<std::int64_t> centers;
  std::optional<std::string> password;     // generated when absent
  std::optional<std::int64_t> provider_id; // provider employees only
};

struct CreatedUser {
  User user;
  std::string password; // the password to hand over once (as given, or generated)
};

struct Device {
  std::int64_t id = 0;
  std::int64_t center_id = 0;
  DevicePurpose purpose = DevicePurpose::kiosk;
  std::string label;
  Millis created_at = 0;
  bool revoked = false;
};

struct CreatedDevice {
  Device device;
  std::string token; // shown once; the database keeps its hash
};

struct ApiToken {
  std::int64_t id = 0;
  std::string label;
  Role role = Role::regional_analyst;
  std::vector<std::int64_t> centers;
  Millis created_at = 0;
};

struct CreatedApiToken {
  ApiToken api_token;
  std::string token;
};

struct Center {
  std::int64_t id = 0;
  std::string name_uk;
  std::string name_en;
};

struct SignIn {
  User user;
  std::string session_token; // goes into the HttpOnly cookie
  std::string csrf_token;    // the front end sends it back in X-CSRF-Token
  Millis expires_at = 0;
};

struct AccountsOptions {
  Millis session_lifetime_ms = 12LL * 3600 * 1000;
  int max_concurrent_hashes = 0; // password hashes at once; 0: half the cores, at least one
  int login_alert_failures = 10; // failures of one login (any addresses, no 15-minute pause) that raise an alert
};

class Accounts {
public:
  // `alerts` outlives the Accounts (the App owns both).
  Accounts(storage::Db& db, Clock clock, alerts::Board& alerts, AccountsOptions options = {});

  // Sign-in. Unknown login and wrong password give the same 401; too many failures from this
  // address (for this login, or for any) 429 too_many_attempts; every hash slot taken 503 busy.
  // On 429 and 503 `retry_after_ms` says when to try again.
  Result<SignIn> sign_in(std::string_view login, std::string_view password, const std::string& address,
                         Millis* retry_after_ms = nullptr);
  void sign_out(const Actor& actor);
  // Establishes the principal from a session token (cookie) or a bearer token (device or API).
  // Neither: anonymous. An unknown or expired token: 401.
  Result<Principal> authenticate(std::optional<std::string_view> session_token,
                                 std::optional<std::string_view> bearer_token) const;
  // A wrong current password 403 wrong_password; repeated ones (per user, per address) 429
  // too_many_attempts; every hash slot taken 503 busy (then `retry_after_ms` is set).
  Result<void> change_password(const Actor& actor, std::string_view current, std::string_view next,
                               Millis* retry_after_ms = nullptr);

  Result<CreatedUser> create_user(const Actor& actor, const NewUser& user);
  [[nodiscard]] std::vector<User> list_users() const;
  [[nodiscard]] Result<User> get_user(std::int64_t id) const;
  [[nodiscard]] std::vector<User> center_staff(std::int64_t center_id) const;
  [[nodiscard]] bool has_users() const;

  Result<Center> create_center(const Actor& actor, std::string name_uk, std::string name_en);
  [[nodiscard]] std::vector<Center> list_centers(const Principal& principal) const;

  Result<CreatedDevice> create_device(const Actor& actor, std::int64_t center_id, DevicePurpose purpose,
                                      std::string label);
  [[nodiscard]] std::vector<Device> list_devices(std::int64_t center_id) const;
  Result<void> revoke_device(const Actor& actor, std::int64_t center_id, std::int64_t device_id);

  Result<CreatedApiToken> create_api_token(const Actor& actor, std::string label, Role role,
                                           std::vector<std::int64_t> centers);

  // At first start: when there are no users, creates "admin" (system admin) with the given
  // password or a generated one, which is returned so it can be printed once.
  std::optional<CreatedUser> ensure_first_admin(std::optional<std::string> password);

private:
  void alert_login_failures(std::optional<std::int64_t> user_id, int failures, Millis now);

  storage::Db& db_;
  Clock clock_;
  alerts::Board& alerts_;
  AccountsOptions options_;
  LoginThrottle throttle_;          // sign-in: keyed by the typed login
  LoginThrottle password_throttle_; // the current password of a session: keyed by user id
  HashSlots hash_slots_;
};

// Appends the audit entry of a change `actor` made, inside the caller's transaction (every service
// that changes state calls it as part of the same db.transact).
void record_change(storage::Connection& c, const Actor& actor, Millis now, std::string action, std::string object_type,
                   std::int64_t object_id, std::string before = {}, std::string after = {},
                   std::string details_json = {});

// Field checks shared by the API and the CLI.
Result<void> validate_login(std::string_view login);
Result<void> validate_password(std::string_view password);

} // namespace vikno::auth
