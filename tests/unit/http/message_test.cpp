// Request helpers and the one Error -> HTTP mapping every client sees.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <utility>
#include <vector>

#include "http/message.hpp"

namespace vikno::http {
namespace {

namespace bj = boost::json;

TEST(ErrorResponse, EveryErrorKindHasItsStatus) {
  // Listed by hand: a new ErrorKind must be added here with the status clients will get.
  const std::vector<std::pair<ErrorKind, unsigned>> table = {
      {ErrorKind::invalid_input, 400}, {ErrorKind::unauthenticated, 401},    {ErrorKind::forbidden, 403},
      {ErrorKind::not_found, 404},     {ErrorKind::method_not_allowed, 405}, {ErrorKind::conflict, 409},
      {ErrorKind::too_large, 413},     {ErrorKind::too_many_requests, 429},  {ErrorKind::unavailable, 503},
      {ErrorKind::internal, 500},
  };
  for (const auto& [kind, status] : table) {
    EXPECT_EQ(status_for(kind), status) << static_cast<int>(kind);
    Response r = error_response({kind, "some_code", "some message", {}});
    EXPECT_EQ(r.status, status) << static_cast<int>(kind);
    EXPECT_EQ(r.content_type, "application/json");
  }
}

TEST(ErrorResponse, BodyHasTheOneErrorShape) {
  Response r = error_response(Error::conflict("ticket_not_waiting", "the ticket is not waiting"));
  bj::value body = bj::parse(r.body);
  ASSERT_TRUE(body.is_object());
  ASSERT_EQ(body.as_object().size(), 1U);
  const bj::object& error = body.at("error").as_object();
  EXPECT_EQ(error.size(), 3U);
  EXPECT_EQ(error.at("code"), "ticket_not_waiting");
  EXPECT_EQ(error.at("message"), "the ticket is not waiting");
  ASSERT_TRUE(error.at("details").is_object());
  EXPECT_TRUE(error.at("details").as_object().empty());
}

TEST(ErrorResponse, FieldProblemNamesTheField) {
  Response r = error_response(Error::field("hours[2].opens", "must be HH:MM"));
  EXPECT_EQ(r.status, 400U);
  bj::value body = bj::parse(r.body);
  const bj::object& error = body.at("error").as_object();
  EXPECT_EQ(error.at("code"), "invalid_field");
  const bj::object& details = error.at("details").as_object();
  EXPECT_EQ(details.at("field"), "hours[2].opens");
  ASSERT_EQ(details.at("problems").as_array().size(), 1U);
  EXPECT_EQ(details.at("problems").as_array()[0].at("problem"), "must be HH:MM");
}

TEST(ErrorResponse, ImportProblemsKeepTheirLines) {
  Response r = error_response(Error::invalid("invalid_file", "2 problems", {{"", "bad row", 3}, {"name", "empty", 7}}));
  bj::value body = bj::parse(r.body);
  const bj::object& details = body.at("error").at("details").as_object();
  EXPECT_FALSE(details.contains("field")); // two problems: no single field to name
  const bj::array& problems = details.at("problems").as_array();
  ASSERT_EQ(problems.size(), 2U);
  EXPECT_EQ(problems[0].at("line"), 3);
  EXPECT_FALSE(problems[0].as_object().contains("field"));
  EXPECT_EQ(problems[1].at("field"), "name");
  EXPECT_EQ(problems[1].at("line"), 7);
}

Request with_cookie(std::string header) {
  Request r;
  r.headers.emplace("cookie", std::move(header));
  return r;
}

TEST(RequestCookie, FindsTheNamedCookieAmongOthers) {
  Request r = with_cookie("theme=dark; vikno_session=abc123;lang=uk");
  EXPECT_EQ(r.cookie("vikno_session"), "abc123");
  EXPECT_EQ(r.cookie("theme"), "dark");
  EXPECT_EQ(r.cookie("lang"), "uk");
}

TEST(RequestCookie, NameMustMatchExactly) {
  Request r = with_cookie("xvikno_session=stolen; vikno_session_old=old");
  EXPECT_FALSE(r.cookie("vikno_session").has_value());
  EXPECT_FALSE(r.cookie("vikno").has_value());
}

TEST(RequestCookie, ValueMayHoldEqualsAndBeEmpty) {
  Request r = with_cookie("t=a=b; empty=");
  EXPECT_EQ(r.cookie("t"), "a=b");
  EXPECT_EQ(r.cookie("empty"), "");
}

TEST(RequestCookie, AbsentHeaderOrMalformedPairs) {
  Request none;
  EXPECT_FALSE(none.cookie("vikno_session").has_value());
  Request junk = with_cookie(";;  ; novalue; =x");
  EXPECT_FALSE(junk.cookie("novalue").has_value());
  EXPECT_FALSE(junk.cookie("x").has_value());
}

TEST(RequestIdParam, PositiveIntegersOnly) {
  Request r;
  r.path_params = {{"id", "42"},
                   {"zero", "0"},
                   {"neg", "-3"},
                   {"word", "abc"},
                   {"tail", "12x"},
                   {"empty", ""},
                   {"huge", "99999999999999999999"},
                   {"plus", "+5"},
                   {"space", " 5"}};
  auto id = r.id_param("id");
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(*id, 42);
  for (const char* name : {"zero", "neg", "word", "tail", "empty", "huge", "plus", "space", "missing"}) {
    auto bad = r.id_param(name);
    ASSERT_FALSE(bad.has_value()) << name;
    // Not found, not "bad request": /users/abc is a resource that does not exist.
    EXPECT_EQ(bad.error().kind, ErrorKind::not_found) << name;
  }
}

TEST(RequestJsonBody, ObjectsOnly) {
  Request r;
  r.body = R"({"login":"olena"})";
  auto ok = r.json_body();
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->at("login"), "olena");
  for (const char* body : {"", "[1,2]", "\"text\"", "{\"a\":", "{} trailing"}) {
    r.body = body;
    auto bad = r.json_body();
    ASSERT_FALSE(bad.has_value()) << body;
    EXPECT_EQ(bad.error().code, "invalid_json") << body;
    EXPECT_EQ(status_for(bad.error().kind), 400U);
  }
}

TEST(RequestHeader, LooksUpLowerCaseNames) {
  Request r;
  r.headers.emplace("x-csrf-token", "t");
  EXPECT_EQ(r.header("x-csrf-token"), "t");
  EXPECT_FALSE(r.header("authorization").has_value());
}

TEST(ResponseBuilders, StatusAndContentType) {
  Response j = Response::json(bj::object{{"a", 1}}, 201);
  EXPECT_EQ(j.status, 201U);
  EXPECT_EQ(j.content_type, "application/json");
  EXPECT_EQ(j.body, R"({"a":1})");
  Response none = Response::no_content();
  EXPECT_EQ(none.status, 204U);
  EXPECT_TRUE(none.content_type.empty()); // a 204 carries no Content-Type
  EXPECT_TRUE(none.body.empty());
}

} // namespace
} // namespace vikno::http
