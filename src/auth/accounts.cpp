#include "auth/accounts.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "audit/audit.hpp"
#include "auth/secrets.hpp"
#include "common/log.hpp"
#include "common/text.hpp"

namespace vikno::auth {

using storage::Connection;
using storage::Value;

namespace {

constexpr std::string_view kSelectUser =
    "SELECT id, login, name, role, must_change_password, active, created_at_ms, provider_id FROM users";
constexpr std::string_view kSelectUserCenters =
    "SELECT center_id FROM user_centers WHERE user_id = ? ORDER BY center_id";
constexpr std::string_view kInsertUser =
    "INSERT INTO users (login, name, role, password_hash, must_change_password, created_at_ms, provider_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view kInsertUserCenter = "INSERT INTO user_centers (user_id, center_id) VALUES (?, ?)";
constexpr std::string_view kSelectLogin = "SELECT id, password_hash, active FROM users WHERE login = ?";
constexpr std::string_view kInsertSession =
    "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at_ms, expires_at_ms, address) "
    "VALUES (?, ?, ?, ?, ?, ?)";
constexpr std::string_view kSelectSession =
    "SELECT s.user_id, s.csrf_token, s.expires_at_ms, u.login, u.role, u.active, u.provider_id FROM sessions s "
    "JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?";
constexpr std::string_view kSelectDeviceByToken =
    "SELECT id, center_id, purpose, label FROM devices WHERE token_hash = ? AND revoked_at_ms IS NULL";
constexpr std::string_view kSelectApiTokenByToken =
    "SELECT id, label, role FROM api_tokens WHERE token_hash = ? AND revoked_at_ms IS NULL";
constexpr std::string_view kSelectApiTokenCenters =
    "SELECT center_id FROM api_token_centers WHERE token_id = ? ORDER BY center_id";
constexpr std::string_view kSelectCenterIds = "SELECT id FROM centers ORDER BY id";

// The hash compared against when a login does not exist, so that an unknown login takes as long
// to refuse as a wrong password (no guessing which logins exist from timing).
const std::string& dummy_hash() {
  static const std::string hash = hash_password("not a real password");
  return hash;
}

std::vector<std::int64_t> ids(Connection& c, std::string_view sql, std::int64_t key) {
  std::vector<std::int64_t> out;
  for (const auto& row : c.query(sql, {key})) {
    out.push_back(row.int64(0));
  }
  return out;
}

User user_fields(const storage::Row& row) {
  User u;
  u.id = row.int64(0);
  u.login = row.text(1);
  u.name = row.text(2);
  u.role = role_from_string(row.text(3)).value_or(Role::provider_employee);
  u.must_change_password = row.int64(4) != 0;
  u.active = row.int64(5) != 0;
  u.created_at = row.int64(6);
  u.provider_id = row.opt_int64(7);
  return u;
}

User user_from_row(Connection& c, const storage::Row& row) {
  User u = user_fields(row);
  u.centers = ids(c, kSelectUserCenters, u.id);
  return u;
}

// Users from `users_sql` with their centers from `centers_sql` (rows of user_id, center_id, taking
// the same parameters): two queries for a whole list, not one more per user.
std::vector<User> users_with_centers(Connection& c, std::string_view users_sql, std::string_view centers_sql,
                                     std::initializer_list<Value> params) {
  std::vector<User> out;
  std::map<std::int64_t, std::size_t> index;
  for (const auto& row : c.query(users_sql, params)) {
    index.emplace(row.int64(0), out.size());
    out.push_back(user_fields(row));
  }
  if (out.empty()) {
    return out;
  }
  for (const auto& row : c.query(centers_sql, params)) {
    if (auto it = index.find(row.int64(0)); it != index.end()) {
      out[it->second].centers.push_back(row.int64(1));
    }
  }
  return out;
}

Result<void> check_centers_exist(Connection& c, const std::vector<std::int64_t>& centers, std::string_view field) {
  for (std::size_t i = 0; i < centers.size(); ++i) {
    if (!c.query_one("SELECT 1 FROM centers WHERE id = ?", {centers[i]})) {
      return fail(Error::field(std::string(field) + "[" + std::to_string(i) + "]",
                               "no center with id " + std::to_string(centers[i])));
    }
  }
  return {};
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"' || ch == '\\') {
      out += '\\';
    }
    if (static_cast<unsigned char>(ch) >= 0x20) {
      out += ch;
    }
  }
  return out + "\"";
}

// What a refused check answers, with when to try again.
Failure too_many_attempts(Millis wait, Millis* retry_after_ms) {
  if (retry_after_ms != nullptr) {
    *retry_after_ms = wait;
  }
  return fail({ErrorKind::too_many_requests,
               "too_many_attempts",
               "too many failed password checks from here; try again in " + std::to_string((wait + 999) / 1000) + " s",
               {}});
}

Failure busy(Millis* retry_after_ms) {
  if (retry_after_ms != nullptr) {
    *retry_after_ms = 1000;
  }
  return fail({ErrorKind::unavailable, "busy", "the server is checking many passwords now; try again in a moment", {}});
}

// The current-password check of a session: the session is already the person's, so her user id is
// throttled over every address too.
ThrottlePolicy password_policy() {
  ThrottlePolicy p;
  p.per_name = {5, Millis{15} * 60 * 1000};
  return p;
}

} // namespace

void record_change(Connection& c, const Actor& actor, Millis now, std::string action, std::string object_type,
                   std::int64_t object_id, std::string before, std::string after, std::string details_json) {
  audit::Entry entry;
  entry.at = now;
  entry.actor = actor.principal.actor();
  entry.source = actor.address;
  entry.action = std::move(action);
  entry.object_type = std::move(object_type);
  entry.object_id = std::to_string(object_id);
  entry.before = std::move(before);
  entry.after = std::move(after);
  entry.details_json = std::move(details_json);
  audit::append(c, entry);
}

Result<void> validate_login(std::string_view login) {
  if (login.size() < 2 || login.size() > 64) {
    return fail(Error::field("login", "must be 2 to 64 characters"));
  }
  for (char ch : login) {
    auto u = static_cast<unsigned char>(ch);
    if (!(std::islower(u) || std::isdigit(u) || ch == '.' || ch == '_' || ch == '-')) {
      return fail(Error::field("login", "may hold only a-z, 0-9, '.', '_' and '-'"));
    }
  }
  return {};
}

Result<void> validate_password(std::string_view password) {
  if (password.size() < 10) {
    return fail(Error::field("password", "must be at least 10 characters"));
  }
  if (password.size() > 256) {
    return fail(Error::field("password", "must be at most 256 characters"));
  }
  return {};
}

Accounts::Accounts(storage::Db& db, Clock clock, alerts::Board& alerts, AccountsOptions options)
    : db_(db), clock_(std::move(clock)), alerts_(alerts), options_(options), password_throttle_(password_policy()),
      hash_slots_(options.max_concurrent_hashes) {}

void Accounts::alert_login_failures(std::optional<std::int64_t> user_id, int failures, Millis now) {
  // The typed login never goes into the alert or the log: it may be somebody's password typed in
  // the wrong box. A real user is named by id; unknown logins are one subject together.
  alerts::Raise alert;
  alert.code = "login_failures";
  const std::string count = std::to_string(failures);
  if (user_id) {
    alert.centers = db_.read([&](Connection& c) { return ids(c, kSelectUserCenters, *user_id); });
    alert.subject = "user:" + std::to_string(*user_id);
    alert.message_uk = "Багато невдалих спроб увійти в обліковий запис працівника №" + std::to_string(*user_id) + ": " +
                       count +
                       " без перерви на 15 хвилин, з будь-яких адрес. Правильний пароль і далі впускає; якщо це "
                       "не сам працівник, змініть пароль і перевірте, звідки спроби.";
    alert.message_en = "Many failed sign-ins to staff account #" + std::to_string(*user_id) + ": " + count +
                       " without a 15-minute pause, from any addresses. The right password still signs in; if it "
                       "is not the person, change the password and check where the attempts come from.";
  } else {
    alert.subject = "login";
    alert.message_uk = "Багато невдалих спроб увійти з логіном, якого немає: " + count +
                       " для одного логіна без перерви на 15 хвилин. Хтось підбирає логіни.";
    alert.message_en = "Many failed sign-ins with a login that does not exist: " + count +
                       " for one login without a 15-minute pause. Someone is guessing logins.";
  }
  if (alerts_.raise(alert, now)) {
    log::warn("many failed sign-ins for one login", {{"subject", alert.subject}, {"failures", failures}});
  }
}

Result<SignIn> Accounts::sign_in(std::string_view login, std::string_view password, const std::string& address,
                                 Millis* retry_after_ms) {
  const std::string key(login);
  Millis now = clock_();
  if (Millis wait = throttle_.wait_ms(key, address, now); wait > 0) {
    return too_many_attempts(wait, retry_after_ms);
  }
  std::optional<storage::Row> row;
  bool ok = false;
  {
    // The dummy hash of an unknown login counts too: it costs as much as a real one.
    auto slot = hash_slots_.take();
    if (!slot) {
      return busy(retry_after_ms);
    }
    row = db_.read([&](Connection& c) { return c.query_one(kSelectLogin, {key}); });
    if (row) {
      ok = verify_password(password, row->text(1)) && row->int64(2) != 0;
    } else {
      (void)verify_password(password, dummy_hash());
    }
  }
  if (!ok) {
    int failures = throttle_.record_failure(key, address, now);
    if (failures >= options_.login_alert_failures) {
      alert_login_failures(row ? std::optional(row->int64(0)) : std::nullopt, failures, now);
    }
    return fail({ErrorKind::unauthenticated, "invalid_credentials", "wrong login or password", {}});
  }
  throttle_.record_success(key, address);
  std::int64_t user_id = row->int64(0);
  SignIn out;
  out.session_token = random_token(32);
  out.csrf_token = random_token(16);
  out.expires_at = now + options_.session_lifetime_ms;
  out.user = db_.transact([&](Connection& c) {
    c.execute(kInsertSession, {token_hash(out.session_token), user_id, out.csrf_token, now, out.expires_at, address});
    Principal who;
    who.kind = PrincipalKind::user;
    who.id = user_id;
    record_change(c, Actor{who, address}, now, "session.create", "user", user_id);
    auto user_row = c.query_one(std::string(kSelectUser) + " WHERE id = ?", {user_id});
    return user_from_row(c, *user_row);
  });
  return out;
}

void Accounts::sign_out(const Actor& actor) {
  if (actor.principal.session_id.empty()) {
    return;
  }
  db_.transact([&](Connection& c) {
    c.execute("DELETE FROM sessions WHERE id_hash = ?", {actor.principal.session_id});
    record_change(c, actor, clock_(), "session.delete", "user", actor.principal.id);
  });
}

Result<Principal> Accounts::authenticate(std::optional<std::string_view> session_token,
                                         std::optional<std::string_view> bearer_token) const {
  Principal p;
  if (bearer_token) {
    const std::string hash = token_hash(*bearer_token);
    return db_.read([&](Connection& c) -> Result<Principal> {
      if (auto device = c.query_one(kSelectDeviceByToken, {hash})) {
        p.kind = PrincipalKind::device;
        p.id = device->int64(0);
        p.centers = {device->int64(1)};
        p.device_purpose = device_purpose_from_string(device->text(2));
        p.login = device->text(3);
        return p;
      }
      if (auto token = c.query_one(kSelectApiTokenByToken, {hash})) {
        p.kind = PrincipalKind::api_token;
        p.id = token->int64(0);
        p.login = token->text(1);
        p.role = role_from_string(token->text(2));
        p.centers = ids(c, kSelectApiTokenCenters, p.id);
        return p;
      }
      return fail(Error::unauthenticated("unknown or revoked token"));
    });
  }
  if (!session_token) {
    return p;
  }
  const std::string hash = token_hash(*session_token);
  return db_.read([&](Connection& c) -> Result<Principal> {
    auto row = c.query_one(kSelectSession, {hash});
    if (!row || row->int64(2) <= clock_() || row->int64(5) == 0) {
      return fail(Error::unauthenticated("the session has ended; sign in again"));
    }
    p.kind = PrincipalKind::user;
    p.id = row->int64(0);
    p.csrf_token = row->text(1);
    p.login = row->text(3);
    p.role = role_from_string(row->text(4));
    p.provider = row->opt_int64(6);
    p.session_id = hash;
    p.centers = p.role == Role::system_admin ? std::vector<std::int64_t>{} : ids(c, kSelectUserCenters, p.id);
    if (p.role == Role::system_admin) {
      for (const auto& r : c.query(kSelectCenterIds)) {
        p.centers.push_back(r.int64(0));
      }
    }
    return p;
  });
}

Result<void> Accounts::change_password(const Actor& actor, std::string_view current, std::string_view next,
                                       Millis* retry_after_ms) {
  if (auto valid = validate_password(next); !valid) {
    return fail(Error::field("new_password", valid.error().problems.front().problem));
  }
  const std::string key = "user:" + std::to_string(actor.principal.id);
  Millis now = clock_();
  if (Millis wait = password_throttle_.wait_ms(key, actor.address, now); wait > 0) {
    return too_many_attempts(wait, retry_after_ms);
  }
  std::string hash;
  {
    auto slot = hash_slots_.take();
    if (!slot) {
      return busy(retry_after_ms);
    }
    auto row = db_.read([&](Connection& c) {
      return c.query_one("SELECT password_hash FROM users WHERE id = ?", {actor.principal.id});
    });
    if (!row || !verify_password(current, row->text(0))) {
      password_throttle_.record_failure(key, actor.address, now);
      return fail({ErrorKind::forbidden, "wrong_password", "the current password is wrong", {}});
    }
    password_throttle_.record_success(key, actor.address);
    hash = hash_password(next);
  }
  db_.transact([&](Connection& c) {
    c.execute("UPDATE users SET password_hash = ?, must_change_password = 0, version = version + 1 WHERE id = ?",
              {hash, actor.principal.id});
    // Other sessions of this user end: a changed password should lock out whoever knew the old one.
    c.execute("DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?",
              {actor.principal.id, actor.principal.session_id});
    record_change(c, actor, now, "user.password", "user", actor.principal.id);
  });
  return {};
}

Result<CreatedUser> Accounts::create_user(const Actor& actor, const NewUser& user) {
  if (auto ok = validate_login(user.login); !ok) {
    return fail(ok.error());
  }
  if (user.name.empty() || user.name.size() > 200) {
    return fail(Error::field("name", "must be 1 to 200 characters"));
  }
  if (auto bad = text::problem(user.name)) {
    return fail(Error::field("name", *bad));
  }
  if (user.password) {
    if (auto ok = validate_password(*user.password); !ok) {
      return fail(ok.error());
    }
  }
  if (user.role != Role::system_admin && user.centers.empty()) {
    return fail(Error::field("centers", "must name at least one center for this role"));
  }
  CreatedUser out;
  out.password = user.password.value_or(random_password());
  std::string hash = hash_password(out.password);
  Millis now = clock_();
  try {
    return db_.transact([&](Connection& c) -> Result<CreatedUser> {
      if (auto ok = check_centers_exist(c, user.centers, "centers"); !ok) {
        return fail(ok.error());
      }
      if (user.provider_id) {
        if (user.role != Role::provider_employee) {
          return fail(Error::field("provider_id", "only a provider employee works for a provider"));
        }
        if (!c.query_one("SELECT id FROM providers WHERE id = ?", {*user.provider_id})) {
          return fail(Error::invalid("unknown_provider", "no provider has this id", {{"provider_id", "unknown", 0}}));
        }
      }
      auto row =
          c.query_one(kInsertUser, {user.login, user.name, std::string(to_string(user.role)), hash,
                                    std::int64_t{user.password ? 0 : 1}, now,
                                    user.provider_id ? storage::Value{*user.provider_id} : storage::Value{nullptr}});
      std::int64_t id = row->int64(0);
      for (std::int64_t center : user.centers) {
        c.execute(kInsertUserCenter, {id, center});
      }
      record_change(c, actor, now, "user.create", "user", id, {}, {},
                    "{\"login\":" + json_string(user.login) + ",\"role\":\"" + std::string(to_string(user.role)) +
                        "\"}");
      out.user = user_from_row(c, *c.query_one(std::string(kSelectUser) + " WHERE id = ?", {id}));
      return out;
    });
  } catch (const storage::UniqueViolation&) {
    return fail(Error::conflict("login_taken", "a user with this login exists"));
  }
}

std::vector<User> Accounts::list_users() const {
  return db_.read([&](Connection& c) {
    return users_with_centers(c, std::string(kSelectUser) + " ORDER BY id",
                              "SELECT user_id, center_id FROM user_centers ORDER BY user_id, center_id", {});
  });
}

Result<User> Accounts::get_user(std::int64_t id) const {
  return db_.read([&](Connection& c) -> Result<User> {
    auto row = c.query_one(std::string(kSelectUser) + " WHERE id = ?", {id});
    if (!row) {
      return fail(Error::not_found("user_not_found", "no user with this id"));
    }
    return user_from_row(c, *row);
  });
}

std::vector<User> Accounts::center_staff(std::int64_t center_id) const {
  return db_.read([&](Connection& c) {
    return users_with_centers(
        c,
        "SELECT u.id, u.login, u.name, u.role, u.must_change_password, u.active, u.created_at_ms, u.provider_id "
        "FROM users u "
        "JOIN user_centers uc ON uc.user_id = u.id WHERE uc.center_id = ? ORDER BY u.id",
        "SELECT uc.user_id, uc.center_id FROM user_centers uc JOIN user_centers here ON here.user_id = uc.user_id "
        "WHERE here.center_id = ? ORDER BY uc.user_id, uc.center_id",
        {center_id});
  });
}

bool Accounts::has_users() const {
  return db_.read([](Connection& c) { return c.query_one("SELECT 1 FROM users LIMIT 1").has_value(); });
}

Result<Center> Accounts::create_center(const Actor& actor, std::string name_uk, std::string name_en) {
  if (name_uk.empty() || name_uk.size() > 300) {
    return fail(Error::field("name_uk", "must be 1 to 300 characters"));
  }
  Millis now = clock_();
  return db_.transact([&](Connection& c) -> Result<Center> {
    auto row = c.query_one("INSERT INTO centers (name_uk, name_en, created_at_ms) VALUES (?, ?, ?) RETURNING id",
                           {name_uk, name_en, now});
    Center center{row->int64(0), name_uk, name_en};
    record_change(c, actor, now, "center.create", "center", center.id);
    return center;
  });
}

std::vector<Center> Accounts::list_centers(const Principal& principal) const {
  return db_.read([&](Connection& c) {
    std::vector<Center> out;
    for (const auto& row : c.query("SELECT id, name_uk, name_en FROM centers ORDER BY id")) {
      std::int64_t id = row.int64(0);
      bool visible = principal.role == Role::system_admin ||
                     std::find(principal.centers.begin(), principal.centers.end(), id) != principal.centers.end();
      if (visible) {
        out.push_back({id, row.text(1), row.text(2)});
      }
    }
    return out;
  });
}

Result<CreatedDevice> Accounts::create_device(const Actor& actor, std::int64_t center_id, DevicePurpose purpose,
                                              std::string label) {
  if (label.empty() || label.size() > 100) {
    return fail(Error::field("label", "must be 1 to 100 characters"));
  }
  if (auto bad = text::problem(label)) {
    return fail(Error::field("label", *bad));
  }
  CreatedDevice out;
  out.token = random_token(16);
  Millis now = clock_();
  return db_.transact([&](Connection& c) -> Result<CreatedDevice> {
    if (!c.query_one("SELECT 1 FROM centers WHERE id = ?", {center_id})) {
      return fail(Error::not_found("center_not_found", "no center with this id"));
    }
    auto row = c.query_one("INSERT INTO devices (center_id, purpose, label, token_hash, created_at_ms) VALUES (?, ?, "
                           "?, ?, ?) RETURNING id",
                           {center_id, std::string(to_string(purpose)), label, token_hash(out.token), now});
    out.device = {row->int64(0), center_id, purpose, label, now, false};
    record_change(c, actor, now, "device.create", "device", out.device.id);
    return out;
  });
}

std::vector<Device> Accounts::list_devices(std::int64_t center_id) const {
  return db_.read([&](Connection& c) {
    std::vector<Device> out;
    for (const auto& row : c.query("SELECT id, purpose, label, created_at_ms, revoked_at_ms FROM devices "
                                   "WHERE center_id = ? ORDER BY id",
                                   {center_id})) {
      out.push_back({row.int64(0), center_id, device_purpose_from_string(row.text(1)).value_or(DevicePurpose::kiosk),
                     row.text(2), row.int64(3), !row.is_null(4)});
    }
    return out;
  });
}

Result<void> Accounts::revoke_device(const Actor& actor, std::int64_t center_id, std::int64_t device_id) {
  Millis now = clock_();
  return db_.transact([&](Connection& c) -> Result<void> {
    auto changed = c.execute("UPDATE devices SET revoked_at_ms = ? WHERE id = ? AND center_id = ? AND "
                             "revoked_at_ms IS NULL",
                             {now, device_id, center_id});
    if (changed == 0) {
      return fail(Error::not_found("device_not_found", "no active device with this id in this center"));
    }
    record_change(c, actor, now, "device.revoke", "device", device_id);
    return {};
  });
}

Result<CreatedApiToken> Accounts::create_api_token(const Actor& actor, std::string label, Role role,
                                                   std::vector<std::int64_t> centers) {
  if (label.empty() || label.size() > 100) {
    return fail(Error::field("label", "must be 1 to 100 characters"));
  }
  CreatedApiToken out;
  out.token = random_token(32);
  Millis now = clock_();
  return db_.transact([&](Connection& c) -> Result<CreatedApiToken> {
    if (auto ok = check_centers_exist(c, centers, "centers"); !ok) {
      return fail(ok.error());
    }
    auto row =
        c.query_one("INSERT INTO api_tokens (label, role, token_hash, created_at_ms) VALUES (?, ?, ?, ?) RETURNING id",
                    {label, std::string(to_string(role)), token_hash(out.token), now});
    out.api_token = {row->int64(0), label, role, centers, now};
    for (std::int64_t center : centers) {
      c.execute("INSERT INTO api_token_centers (token_id, center_id) VALUES (?, ?)", {out.api_token.id, center});
    }
    record_change(c, actor, now, "api_token.create", "api_token", out.api_token.id);
    return out;
  });
}

std::optional<CreatedUser> Accounts::ensure_first_admin(std::optional<std::string> password) {
  if (has_users()) {
    return std::nullopt;
  }
  Principal system = Principal::system();
  NewUser admin{"admin", "Системний адміністратор", Role::system_admin, {}, std::move(password)};
  auto created = create_user(Actor{system, "local"}, admin);
  if (!created) {
    throw std::runtime_error("cannot create the first admin: " + created.error().message);
  }
  return std::move(*created);
}

} // namespace vikno::auth
