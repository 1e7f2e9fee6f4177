#include "auth/routes.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

#include "common/json.hpp"

namespace vikno::auth {

namespace bj = boost::json;
using http::Request;
using http::Response;
using http::RouteOptions;

namespace {

constexpr std::string_view kSessionCookie = "vikno_session";

bj::array to_json(const std::vector<std::int64_t>& ids) {
  bj::array out;
  for (auto id : ids) {
    out.push_back(id);
  }
  return out;
}

bj::object to_json(const User& u) {
  return {{"id", u.id},
          {"login", u.login},
          {"name", u.name},
          {"role", to_string(u.role)},
          {"centers", to_json(u.centers)},
          {"provider_id", u.provider_id ? bj::value(*u.provider_id) : bj::value(nullptr)},
          {"must_change_password", u.must_change_password},
          {"active", u.active}};
}

bj::object to_json(const Device& d) {
  return {{"id", d.id},
          {"center_id", d.center_id},
          {"purpose", to_string(d.purpose)},
          {"label", d.label},
          {"revoked", d.revoked}};
}

bj::object to_json(const Center& c) { return {{"id", c.id}, {"name_uk", c.name_uk}, {"name_en", c.name_en}}; }

Result<std::vector<std::int64_t>> read_ids(const bj::object& body, std::string_view field) {
  auto array = json::optional_array(body, field);
  if (!array) {
    return fail(array.error());
  }
  std::vector<std::int64_t> out;
  if (*array == nullptr) {
    return out;
  }
  for (std::size_t i = 0; i < (*array)->size(); ++i) {
    const auto& v = (**array)[i];
    if (!v.is_int64() || v.as_int64() <= 0) {
      return fail(Error::field(std::string(field) + "[" + std::to_string(i) + "]", "must be a center id"));
    }
    out.push_back(v.as_int64());
  }
  return out;
}

Result<Role> read_role(const bj::object& body) {
  auto text = json::required_string(body, "role");
  if (!text) {
    return fail(text.error());
  }
  auto role = role_from_string(*text);
  if (!role) {
    return fail(Error::field("role", "must be one of system_admin, regional_analyst, center_head, administrator, "
                                     "provider_employee"));
  }
  return *role;
}

std::string session_cookie(const std::string& value, Millis max_age_ms, bool secure) {
  std::string cookie = std::string(kSessionCookie) + "=" + value +
                       "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_ms / 1000);
  if (secure) {
    cookie += "; Secure";
  }
  return cookie;
}

// The sign-in and password routes read only a JSON body sent as application/json. A form on
// another site can post text/plain (or a urlencoded form) without a preflight; the login route
// takes no CSRF token, so without this a page elsewhere could sign a browser in to an account of
// its choosing. (Every other state-changing route needs the X-CSRF-Token header, which such a
// form cannot send.)
Result<bj::object> json_request_body(const Request& req) {
  std::string_view type = req.header("content-type").value_or("");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) {
    type.remove_suffix(1);
  }
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) {
    type.remove_prefix(1);
  }
  constexpr std::string_view kJson = "application/json";
  bool is_json = type.size() == kJson.size() && std::equal(type.begin(), type.end(), kJson.begin(), [](char a, char b) {
                   return std::tolower(static_cast<unsigned char>(a)) == b;
                 });
  if (!is_json) {
    return fail({ErrorKind::unsupported_media_type,
                 "unsupported_media_type",
                 "send the body as JSON with Content-Type: application/json",
                 {}});
  }
  return req.json_body();
}

// A refused password check (429 too many attempts, 503 busy) tells when to try again.
Response with_retry_after(const Error& error, Millis retry_after_ms) {
  Response r = http::error_response(error);
  r.headers.emplace_back("Retry-After", std::to_string(std::max<Millis>(1, (retry_after_ms + 999) / 1000)));
  return r;
}

bool says_when_to_retry(const Error& error) {
  return error.kind == ErrorKind::too_many_requests || error.kind == ErrorKind::unavailable;
}

} // namespace

Result<Principal> authenticate_request(const Accounts& accounts, const Request& request) {
  std::optional<std::string_view> bearer;
  if (auto header = request.header("authorization"); header && header->starts_with("Bearer ")) {
    bearer = header->substr(7);
  } else if (request.method == "GET" || request.method == "HEAD") {
    // A display's EventSource, WebSocket and <audio> cannot send headers: on reads only, the device
    // token may come as ?access_token= (the access log never prints the query).
    bearer = request.query_text("access_token");
  }
  return accounts.authenticate(request.cookie(kSessionCookie), bearer);
}

void add_account_routes(http::Router& router, Accounts& accounts, SessionCookieOptions cookie) {
  using auth::Permission;

  router.add(
      "POST", "/api/v1/auth/login",
      [&accounts, cookie](Request& req) -> Result<Response> {
        VIKNO_TRY(body, json_request_body(req));
        VIKNO_TRY(login, json::required_string(body, "login"));
        VIKNO_TRY(password, json::required_string(body, "password"));
        Millis retry_after = 0;
        auto signed_in = accounts.sign_in(login, password, req.remote_ip, &retry_after);
        if (!signed_in) {
          if (says_when_to_retry(signed_in.error())) {
            return with_retry_after(signed_in.error(), retry_after);
          }
          return fail(signed_in.error());
        }
        Response r = Response::json(bj::object{{"user", to_json(signed_in->user)},
                                               {"csrf_token", signed_in->csrf_token},
                                               {"expires_at", format_iso8601(signed_in->expires_at)}});
        r.headers.emplace_back("Set-Cookie",
                               session_cookie(signed_in->session_token, 12LL * 3600 * 1000, cookie.secure));
        return r;
      },
      RouteOptions{.permission = Permission::public_read, .body_limit = 4096, .state_changing_without_csrf = true});

  router.add(
      "POST", "/api/v1/auth/logout",
      [&accounts, cookie](Request& req) -> Result<Response> {
        accounts.sign_out(req.actor());
        Response r = Response::no_content();
        r.headers.emplace_back("Set-Cookie", session_cookie("", 0, cookie.secure));
        return r;
      },
      RouteOptions{.permission = Permission::signed_in});

  router.add(
      "GET", "/api/v1/auth/me",
      [&accounts](Request& req) -> Result<Response> {
        const Principal& p = req.principal;
        bj::object out{{"kind", p.kind == PrincipalKind::user        ? "user"
                                : p.kind == PrincipalKind::api_token ? "api_token"
                                                                     : "device"},
                       {"id", p.id},
                       {"login", p.login},
                       {"centers", to_json(p.centers)}};
        if (p.role) {
          out["role"] = to_string(*p.role);
        }
        if (p.provider) {
          out["provider_id"] = *p.provider;
        }
        if (p.kind == PrincipalKind::user) {
          VIKNO_TRY(user, accounts.get_user(p.id));
          out["name"] = user.name;
          out["must_change_password"] = user.must_change_password;
          out["csrf_token"] = p.csrf_token;
        }
        return Response::json(out);
      },
      RouteOptions{.permission = Permission::signed_in});

  router.add(
      "POST", "/api/v1/auth/password",
      [&accounts](Request& req) -> Result<Response> {
        if (req.principal.kind != PrincipalKind::user) {
          return fail(Error::forbidden("only staff users have passwords"));
        }
        VIKNO_TRY(body, json_request_body(req));
        VIKNO_TRY(current, json::required_string(body, "current_password"));
        VIKNO_TRY(next, json::required_string(body, "new_password"));
        Millis retry_after = 0;
        auto changed = accounts.change_password(req.actor(), current, next, &retry_after);
        if (!changed) {
          if (says_when_to_retry(changed.error())) {
            return with_retry_after(changed.error(), retry_after);
          }
          return fail(changed.error());
        }
        return Response::no_content();
      },
      RouteOptions{.permission = Permission::signed_in, .body_limit = 4096});

  router.add(
      "GET", "/api/v1/users",
      [&accounts](Request&) -> Result<Response> {
        bj::array out;
        for (const auto& u : accounts.list_users()) {
          out.push_back(to_json(u));
        }
        return Response::json(bj::object{{"users", std::move(out)}});
      },
      RouteOptions{.permission = Permission::users_manage});

  router.add(
      "POST", "/api/v1/users",
      [&accounts](Request& req) -> Result<Response> {
        VIKNO_TRY(body, req.json_body());
        NewUser user;
        VIKNO_TRY(login, json::required_string(body, "login"));
        VIKNO_TRY(name, json::required_string(body, "name"));
        VIKNO_TRY(role, read_role(body));
        VIKNO_TRY(centers, read_ids(body, "centers"));
        VIKNO_TRY(password, json::optional_string(body, "password"));
        VIKNO_TRY(provider, json::optional_int(body, "provider_id"));
        user.provider_id = provider;
        user.login = std::move(login);
        user.name = std::move(name);
        user.role = role;
        user.centers = std::move(centers);
        user.password = std::move(password);
        VIKNO_TRY(created, accounts.create_user(req.actor(), user));
        bj::object out{{"user", to_json(created.user)}};
        if (!user.password) {
          out["password"] = created.password; // generated: shown this once
        }
        return Response::json(out, 201);
      },
      RouteOptions{.permission = Permission::users_manage});

  router.add(
      "GET", "/api/v1/users/{user_id}",
      [&accounts](Request& req) -> Result<Response> {
        VIKNO_TRY(id, req.id_param("user_id"));
        VIKNO_TRY(user, accounts.get_user(id));
        return Response::json(to_json(user));
      },
      RouteOptions{.permission = Permission::users_manage});

  router.add(
      "GET", "/api/v1/centers",
      [&accounts](Request& req) -> Result<Response> {
        bj::array out;
        for (const auto& c : accounts.list_centers(req.principal)) {
          out.push_back(to_json(c));
        }
        return Response::json(bj::object{{"centers", std::move(out)}});
      },
      RouteOptions{.permission = Permission::signed_in});

  router.add(
      "POST", "/api/v1/centers",
      [&accounts](Request& req) -> Result<Response> {
        VIKNO_TRY(body, req.json_body());
        VIKNO_TRY(name_uk, json::required_string(body, "name_uk"));
        VIKNO_TRY(name_en, json::optional_string(body, "name_en"));
        VIKNO_TRY(center, accounts.create_center(req.actor(), name_uk, name_en.value_or("")));
        return Response::json(to_json(center), 201);
      },
      RouteOptions{.permission = Permission::users_manage});

  router.add(
      "GET", "/api/v1/centers/{center_id}/staff",
      [&accounts](Request& req) -> Result<Response> {
        VIKNO_TRY(center, req.id_param("center_id"));
        bj::array out;
        for (const auto& u : accounts.center_staff(center)) {
          out.push_back(to_json(u));
        }
        return Response::json(bj::object{{"staff", std::move(out)}});
      },
      RouteOptions{.permission = Permission::center_read, .center_param = "center_id"});

  router.add(
      "GET", "/api/v1/centers/{center_id}/devices",
      [&accounts](Request& req) -> Result<Response> {
        VIKNO_TRY(center, req.id_param("center_id"));
        bj::array out;
        for (const auto& d : accounts.list_devices(center)) {
          out.push_back(to_json(d));
        }
        return Response::json(bj::object{{"devices", std::move(out)}});
      },
      RouteOptions{.permission = Permission::center_manage, .center_param = "center_id"});

  router.add(
      "POST", "/api/v1/centers/{center_id}/devices",
      [&accounts](Request& req) -> Result<Response> {
        VIKNO_TRY(center, req.id_param("center_id"));
        VIKNO_TRY(body, req.json_body());
        VIKNO_TRY(purpose_text, json::required_string(body, "purpose"));
        VIKNO_TRY(label, json::required_string(body, "label"));
        auto purpose = device_purpose_from_string(purpose_text);
        if (!purpose) {
          return fail(Error::field("purpose", "must be kiosk or display"));
        }
        VIKNO_TRY(created, accounts.create_device(req.actor(), center, *purpose, label));
        return Response::json(bj::object{{"device", to_json(created.device)}, {"token", created.token}}, 201);
      },
      RouteOptions{.permission = Permission::center_manage, .center_param = "center_id"});

  router.add(
      "DELETE", "/api/v1/centers/{center_id}/devices/{device_id}",
      [&accounts](Request& req) -> Result<Response> {
        VIKNO_TRY(center, req.id_param("center_id"));
        VIKNO_TRY(device, req.id_param("device_id"));
        VIKNO_CHECK(accounts.revoke_device(req.actor(), center, device));
        return Response::no_content();
      },
      RouteOptions{.permission = Permission::center_manage, .center_param = "center_id"});

  router.add(
      "GET", "/api/v1/device",
      [](Request& req) -> Result<Response> {
        const Principal& p = req.principal;
        return Response::json(bj::object{{"id", p.id},
                                         {"label", p.login},
                                         {"center_id", p.centers.empty() ? 0 : p.centers.front()},
                                         {"purpose", to_string(p.device_purpose.value_or(DevicePurpose::kiosk))}});
      },
      RouteOptions{.permission = Permission::device});

  router.add(
      "POST", "/api/v1/api-tokens",
      [&accounts](Request& req) -> Result<Response> {
        VIKNO_TRY(body, req.json_body());
        VIKNO_TRY(label, json::required_string(body, "label"));
        VIKNO_TRY(role, read_role(body));
        VIKNO_TRY(centers, read_ids(body, "centers"));
        VIKNO_TRY(created, accounts.create_api_token(req.actor(), label, role, centers));
        return Response::json(bj::object{{"id", created.api_token.id},
                                         {"label", created.api_token.label},
                                         {"role", to_string(created.api_token.role)},
                                         {"centers", to_json(created.api_token.centers)},
                                         {"token", created.token}},
                              201);
      },
      RouteOptions{.permission = Permission::users_manage});
}

} // namespace vikno::auth
