// Router: which route a method and path reach, and what a client gets when none does.
#include <gtest/gtest.h>

#include <stdexcept>

#include "http/router.hpp"

namespace vikno::http {
namespace {

Handler noop() {
  return [](Request&) -> Result<Response> { return Response::no_content(); };
}

std::string pattern_of(const Match& m) { return m.route == nullptr ? "(none)" : m.route->pattern; }

TEST(Router, LiteralSegmentBeatsParameterWhateverTheOrder) {
  for (bool literal_first : {true, false}) {
    Router router;
    if (literal_first) {
      router.add("GET", "/api/v1/users/me", noop());
    }
    router.add("GET", "/api/v1/users/{user_id}", noop());
    if (!literal_first) {
      router.add("GET", "/api/v1/users/me", noop());
    }
    Match me = router.match("GET", "/api/v1/users/me");
    EXPECT_EQ(pattern_of(me), "/api/v1/users/me") << "literal_first=" << literal_first;
    EXPECT_TRUE(me.params.empty());
    EXPECT_EQ(pattern_of(router.match("GET", "/api/v1/users/42")), "/api/v1/users/{user_id}");
  }
}

TEST(Router, PathParametersAreCapturedByName) {
  Router router;
  router.add("DELETE", "/api/v1/centers/{center_id}/devices/{device_id}", noop());
  Match m = router.match("DELETE", "/api/v1/centers/7/devices/abc");
  ASSERT_NE(m.route, nullptr);
  ASSERT_EQ(m.params.size(), 2U);
  EXPECT_EQ(m.params[0], (std::pair<std::string, std::string>{"center_id", "7"}));
  EXPECT_EQ(m.params[1], (std::pair<std::string, std::string>{"device_id", "abc"}));
}

TEST(Router, EmptySegmentDoesNotFillAParameter) {
  Router router;
  router.add("GET", "/api/v1/users/{user_id}", noop());
  EXPECT_EQ(router.match("GET", "/api/v1/users/").route, nullptr);
  EXPECT_EQ(router.match("GET", "/api/v1/users").route, nullptr);
  EXPECT_EQ(router.match("GET", "/api/v1/users/1/extra").route, nullptr);
}

TEST(Router, OtherMethodOnAKnownPathListsAllowedMethods) {
  Router router;
  router.add("GET", "/api/v1/users", noop());
  router.add("POST", "/api/v1/users", noop());
  router.add("GET", "/api/v1/users/{user_id}", noop());
  Match m = router.match("DELETE", "/api/v1/users");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed_methods, (std::vector<std::string>{"GET", "POST"}));
  // A match clears the list: it is only for the 405 answer.
  EXPECT_TRUE(router.match("GET", "/api/v1/users").allowed_methods.empty());
}

TEST(Router, UnknownPathIsNotFoundWithNoAllowedMethods) {
  Router router;
  router.add("GET", "/api/v1/users", noop());
  for (std::string_view path : {"/api/v1/nothing", "/", "", "api/v1/users", "/api/v1/users/"}) {
    Match m = router.match("GET", path);
    EXPECT_EQ(m.route, nullptr) << path;
    EXPECT_TRUE(m.allowed_methods.empty()) << path;
  }
}

TEST(Router, MethodsAreCaseSensitive) {
  Router router;
  router.add("GET", "/healthz", noop());
  Match m = router.match("get", "/healthz");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed_methods, (std::vector<std::string>{"GET"}));
}

TEST(Router, PatternMustStartWithSlash) {
  Router router;
  EXPECT_THROW(router.add("GET", "api/v1/users", noop()), std::logic_error);
  EXPECT_THROW(router.add("GET", "", noop()), std::logic_error);
  EXPECT_TRUE(router.routes().empty());
}

TEST(Router, CenterParameterMustBeInThePattern) {
  Router router;
  EXPECT_THROW(router.add("GET", "/api/v1/centers/{id}/staff", noop(), RouteOptions{.center_param = "center_id"}),
               std::logic_error);
  EXPECT_THROW(router.add("GET", "/api/v1/centers/center_id", noop(), RouteOptions{.center_param = "center_id"}),
               std::logic_error);
  EXPECT_NO_THROW(
      router.add("GET", "/api/v1/centers/{center_id}/staff", noop(), RouteOptions{.center_param = "center_id"}));
  ASSERT_EQ(router.routes().size(), 1U);
  EXPECT_EQ(router.routes()[0].options.center_param, "center_id");
}

} // namespace
} // namespace vikno::http
