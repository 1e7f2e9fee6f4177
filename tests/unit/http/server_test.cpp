// Server::handle: what every request goes through after it is read (authentication, CSRF,
// authorization, the handler, error mapping), exercised without a socket.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <atomic>
#include <stdexcept>

#include "http/server.hpp"

namespace vikno::http {
namespace {

namespace bj = boost::json;
using auth::Permission;
using auth::Principal;
using auth::PrincipalKind;
using auth::Role;

std::string error_code(const Response& r) { return std::string(bj::parse(r.body).at("error").at("code").as_string()); }

std::string header_of(const Response& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) {
      return v;
    }
  }
  return "";
}

Principal staff(Role role, std::vector<std::int64_t> centers) {
  Principal p;
  p.kind = PrincipalKind::user;
  p.id = 9;
  p.role = role;
  p.centers = std::move(centers);
  p.csrf_token = "csrf-good";
  p.session_id = "s";
  return p;
}

class ServerHandleTest : public ::testing::Test {
protected:
  ServerHandleTest() {
    auto ok = [this](Request&) -> Result<Response> {
      ++handler_calls_;
      return Response::json(bj::object{{"ok", true}});
    };
    router_.add("GET", "/healthz", ok);
    router_.add("POST", "/api/v1/ratings", ok); // public and state-changing (citizens rate a visit)
    router_.add("POST", "/api/v1/auth/login", ok, RouteOptions{.state_changing_without_csrf = true});
    router_.add("GET", "/api/v1/things", ok, RouteOptions{.permission = Permission::signed_in});
    router_.add("POST", "/api/v1/things", ok, RouteOptions{.permission = Permission::signed_in});
    router_.add("GET", "/api/v1/centers/{center_id}/staff", ok,
                RouteOptions{.permission = Permission::center_read, .center_param = "center_id"});
    router_.add("POST", "/api/v1/centers/{center_id}/devices", ok,
                RouteOptions{.permission = Permission::center_manage, .center_param = "center_id"});
    router_.add(
        "GET", "/api/v1/boom", [](Request&) -> Result<Response> { throw std::runtime_error("secret detail"); },
        RouteOptions{.permission = Permission::signed_in});
    router_.add(
        "GET", "/api/v1/db-down", [](Request&) -> Result<Response> { throw Unavailable("connection refused"); },
        RouteOptions{.permission = Permission::signed_in});
    router_.add(
        "GET", "/api/v1/conflict",
        [](Request&) -> Result<Response> { return fail(Error::conflict("ticket_not_waiting", "not waiting")); },
        RouteOptions{.permission = Permission::signed_in});

    ServerOptions options;
    options.io_threads = 1;
    options.worker_threads = 1;
    options.access_log = false;
    server_ = std::make_unique<Server>(
        options, router_, metrics_,
        [this](const Request&) -> Result<Principal> {
          ++auth_calls_;
          if (auth_throws_) {
            throw Unavailable("database is down");
          }
          if (auth_error_) {
            return fail(*auth_error_);
          }
          return principal_;
        },
        [this](const Request& r) -> std::optional<Response> {
          ++fallback_calls_;
          if (r.path == "/kiosk") {
            return Response::text("<html>", "text/html; charset=utf-8");
          }
          return std::nullopt;
        });
  }

  Response call(std::string method, std::string path, std::map<std::string, std::string, std::less<>> headers = {},
                std::string* route = nullptr) {
    Request r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.headers = std::move(headers);
    r.body = "{}";
    return server_->handle(r, route);
  }

  Router router_;
  Metrics metrics_;
  std::unique_ptr<Server> server_;
  Principal principal_; // what the authenticator establishes; anonymous by default
  std::optional<Error> auth_error_;
  bool auth_throws_ = false;
  std::atomic<int> auth_calls_{0};
  std::atomic<int> handler_calls_{0};
  std::atomic<int> fallback_calls_{0};
};

TEST_F(ServerHandleTest, SessionWithoutCsrfTokenCannotChangeState) {
  principal_ = staff(Role::system_admin, {1});
  Response missing = call("POST", "/api/v1/things");
  EXPECT_EQ(missing.status, 403U);
  EXPECT_EQ(error_code(missing), "csrf_failed");
  Response wrong = call("POST", "/api/v1/things", {{"x-csrf-token", "csrf-bad"}});
  EXPECT_EQ(wrong.status, 403U);
  EXPECT_EQ(error_code(wrong), "csrf_failed");
  EXPECT_EQ(handler_calls_, 0);

  EXPECT_EQ(call("POST", "/api/v1/things", {{"x-csrf-token", "csrf-good"}}).status, 200U);
  EXPECT_EQ(call("GET", "/api/v1/things").status, 200U); // reading needs no token
  EXPECT_EQ(handler_calls_, 2);
}

TEST_F(ServerHandleTest, BearerTokensNeedNoCsrf) {
  // A browser never attaches an Authorization header by itself, so there is no cross-site forgery.
  principal_.kind = PrincipalKind::api_token;
  principal_.role = Role::system_admin;
  EXPECT_EQ(call("POST", "/api/v1/things").status, 200U);
}

TEST_F(ServerHandleTest, AnonymousOnAProtectedRouteIs401) {
  Response r = call("GET", "/api/v1/things");
  EXPECT_EQ(r.status, 401U);
  EXPECT_EQ(error_code(r), "unauthenticated");
  EXPECT_EQ(call("POST", "/api/v1/centers/1/devices").status, 401U);
  EXPECT_EQ(handler_calls_, 0);
}

TEST_F(ServerHandleTest, AuthenticatorErrorEndsTheRequest) {
  auth_error_ = Error::unauthenticated("the session has ended; sign in again");
  Response r = call("GET", "/api/v1/things");
  EXPECT_EQ(r.status, 401U);
  EXPECT_NE(r.body.find("the session has ended"), std::string::npos);
  EXPECT_EQ(handler_calls_, 0);
}

TEST_F(ServerHandleTest, PolicyRefusalIs403) {
  principal_ = staff(Role::provider_employee, {1});
  Response manage = call("POST", "/api/v1/centers/1/devices", {{"x-csrf-token", "csrf-good"}});
  EXPECT_EQ(manage.status, 403U);
  EXPECT_EQ(error_code(manage), "forbidden");
  Response other_center = call("GET", "/api/v1/centers/2/staff");
  EXPECT_EQ(other_center.status, 403U);
  EXPECT_EQ(handler_calls_, 0);
  EXPECT_EQ(call("GET", "/api/v1/centers/1/staff").status, 200U);
  EXPECT_EQ(handler_calls_, 1);
}

TEST_F(ServerHandleTest, CenterThatIsNotAnIdIs404) {
  principal_ = staff(Role::system_admin, {1});
  Response r = call("GET", "/api/v1/centers/abc/staff");
  EXPECT_EQ(r.status, 404U);
  EXPECT_EQ(handler_calls_, 0);
}

TEST_F(ServerHandleTest, HandlerExceptionIs500WithoutDetails) {
  principal_ = staff(Role::system_admin, {1});
  Response r = call("GET", "/api/v1/boom");
  EXPECT_EQ(r.status, 500U);
  EXPECT_EQ(error_code(r), "internal");
  EXPECT_EQ(r.body.find("secret detail"), std::string::npos); // internals stay in the server log
}

TEST_F(ServerHandleTest, LostDatabaseIs503) {
  principal_ = staff(Role::system_admin, {1});
  Response r = call("GET", "/api/v1/db-down");
  EXPECT_EQ(r.status, 503U);
  EXPECT_EQ(error_code(r), "database_unavailable");
  // The session lookup itself can hit the lost database.
  auth_throws_ = true;
  Response during_auth = call("GET", "/api/v1/things");
  EXPECT_EQ(during_auth.status, 503U);
  EXPECT_EQ(error_code(during_auth), "database_unavailable");
}

TEST_F(ServerHandleTest, HandlerErrorIsMapped) {
  principal_ = staff(Role::system_admin, {1});
  Response r = call("GET", "/api/v1/conflict");
  EXPECT_EQ(r.status, 409U);
  EXPECT_EQ(error_code(r), "ticket_not_waiting");
}

TEST_F(ServerHandleTest, PublicRoutesDoNotCallTheAuthenticator) {
  auth_throws_ = true; // /healthz must answer while the database is down
  std::string route;
  Response r = call("GET", "/healthz", {{"cookie", "vikno_session=whatever"}}, &route);
  EXPECT_EQ(r.status, 200U);
  EXPECT_EQ(route, "/healthz");
  EXPECT_EQ(call("POST", "/api/v1/ratings", {{"authorization", "Bearer x"}}).status, 200U);
  EXPECT_EQ(call("POST", "/api/v1/auth/login").status, 200U);
  EXPECT_EQ(auth_calls_, 0);
}

TEST_F(ServerHandleTest, WrongMethodIs405WithAllow) {
  std::string route;
  Response r = call("DELETE", "/api/v1/things", {}, &route);
  EXPECT_EQ(r.status, 405U);
  EXPECT_EQ(error_code(r), "method_not_allowed");
  EXPECT_EQ(header_of(r, "Allow"), "GET, POST");
  EXPECT_EQ(auth_calls_, 0);
  EXPECT_EQ(fallback_calls_, 0);
}

TEST_F(ServerHandleTest, UnmatchedGetTriesTheStaticFallbackOthersAre404) {
  std::string route;
  Response page = call("GET", "/kiosk", {}, &route);
  EXPECT_EQ(page.status, 200U);
  EXPECT_EQ(page.body, "<html>");
  EXPECT_EQ(route, "static");
  Response missing = call("GET", "/nothing");
  EXPECT_EQ(missing.status, 404U);
  EXPECT_EQ(error_code(missing), "not_found");
  int before = fallback_calls_;
  EXPECT_EQ(call("POST", "/kiosk").status, 404U);
  EXPECT_EQ(fallback_calls_, before); // the front end is only ever read
}

TEST_F(ServerHandleTest, PathParametersReachTheHandler) {
  principal_ = staff(Role::center_head, {5});
  std::string seen;
  Router router;
  router.add(
      "GET", "/api/v1/centers/{center_id}/staff",
      [&seen](Request& r) -> Result<Response> {
        seen = r.path_params.at("center_id") + "/" + r.principal.actor();
        return Response::no_content();
      },
      RouteOptions{.permission = Permission::center_read, .center_param = "center_id"});
  Server server({}, router, metrics_, [this](const Request&) -> Result<Principal> { return principal_; });
  Request r;
  r.method = "GET";
  r.path = "/api/v1/centers/5/staff";
  EXPECT_EQ(server.handle(r).status, 204U);
  EXPECT_EQ(seen, "5/user:9");
}

} // namespace
} // namespace vikno::http
