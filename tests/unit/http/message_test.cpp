// Request helpers and the one Error -> HTTP mapping every client sees.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cstdint>
#include <limits>
#include <optional>
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

// A query parameter is read one way: 400 invalid_field naming it, whatever is wrong with it.
TEST(RequestQueryInt, NumbersInRangeOnly) {
  Request r;
  r.query = {{"limit", "50"},
             {"low", "1"},
             {"high", "1000"},
             {"neg", "-7"},
             {"zero", "0"},
             {"word", "abc"},
             {"tail", "12x"},
             {"space", " 5"},
             {"plus", "+5"},
             {"dot", "1.5"},
             {"over", "1001"},
             {"under", "-1"},
             {"huge", "99999999999999999999"},
             {"empty", ""}};
  EXPECT_EQ(r.query_int("limit", 1, 1000).value(), 50);
  EXPECT_EQ(r.query_int("low", 1, 1000).value(), 1);
  EXPECT_EQ(r.query_int("high", 1, 1000).value(), 1000);
  EXPECT_EQ(r.query_int("neg", -10, 10).value(), -7);
  EXPECT_EQ(r.query_int("zero", 0, 10).value(), 0);
  for (const char* name : {"word", "tail", "space", "plus", "dot", "over", "under", "huge", "empty", "missing"}) {
    auto bad = r.query_int(name, 0, 1000);
    ASSERT_FALSE(bad.has_value()) << name;
    EXPECT_EQ(bad.error().kind, ErrorKind::invalid_input) << name;
    EXPECT_EQ(bad.error().code, "invalid_field") << name;
    ASSERT_EQ(bad.error().problems.size(), 1U) << name;
    EXPECT_EQ(bad.error().problems[0].field, name);
    EXPECT_EQ(bad.error().problems[0].problem, "must be an integer from 0 to 1000") << name;
  }
  // The whole range of int64 is there to ask for, and its edges hold.
  Request edges;
  edges.query = {{"max", "9223372036854775807"}, {"min", "-9223372036854775808"}, {"past", "9223372036854775808"}};
  constexpr auto lo = std::numeric_limits<std::int64_t>::min();
  constexpr auto hi = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(edges.query_int("max", lo, hi).value(), hi);
  EXPECT_EQ(edges.query_int("min", lo, hi).value(), lo);
  EXPECT_FALSE(edges.query_int("past", lo, hi).has_value());
}

TEST(RequestQueryInt, OptionalAndDefaultOnlyWhenAbsentOrEmpty) {
  Request r;
  r.query = {{"page", "3"}, {"empty", ""}, {"bad", "3x"}, {"big", "101"}};
  EXPECT_EQ(r.optional_query_int("page", 1, 100).value(), std::optional<std::int64_t>(3));
  EXPECT_EQ(r.optional_query_int("missing", 1, 100).value(), std::nullopt);
  EXPECT_EQ(r.optional_query_int("empty", 1, 100).value(), std::nullopt); // a form's empty field
  EXPECT_EQ(r.query_int_or("page", 20, 1, 100).value(), 3);
  EXPECT_EQ(r.query_int_or("missing", 20, 1, 100).value(), 20);
  EXPECT_EQ(r.query_int_or("empty", 20, 1, 100).value(), 20);
  // A bad or out-of-range value is never replaced by the default or clamped into the range.
  for (const char* name : {"bad", "big"}) {
    EXPECT_EQ(r.optional_query_int(name, 1, 100).error().code, "invalid_field") << name;
    EXPECT_EQ(r.query_int_or(name, 20, 1, 100).error().code, "invalid_field") << name;
  }
  // Through the one Error mapping: 400 with details.field.
  Response res = error_response(r.query_int_or("big", 20, 1, 100).error());
  EXPECT_EQ(res.status, 400U);
  bj::value body = bj::parse(res.body);
  EXPECT_EQ(body.at("error").at("code"), "invalid_field");
  EXPECT_EQ(body.at("error").at("details").at("field"), "big");
}

TEST(RequestQueryText, AsSentAndNulloptWhenAbsent) {
  Request r;
  r.query = {{"format", "csv"}, {"q", ""}};
  EXPECT_EQ(r.query_text("format"), "csv");
  EXPECT_EQ(r.query_text("q"), ""); // empty, but there: a route may refuse it
  EXPECT_FALSE(r.query_text("table").has_value());
}

TEST(RequestQueryInt, ReadsWhatParseTargetDecoded) {
  Request r;
  ASSERT_TRUE(parse_target("/api/v1/audit?limit=%35%30&after_id=7&limit=9", r));
  EXPECT_EQ(r.query_int("limit", 1, 1000).value(), 50); // decoded; the first of repeated names
  EXPECT_EQ(r.query_int("after_id", 0, 100).value(), 7);
}

TEST(RequestActor, IsThePrincipalAndAddressOfTheRequest) {
  Request r;
  r.principal.kind = auth::PrincipalKind::user;
  r.principal.id = 3;
  r.remote_ip = "127.0.0.9";
  auth::Actor actor = r.actor();
  EXPECT_EQ(&actor.principal, &r.principal); // the request's own, not a copy
  EXPECT_EQ(actor.principal.actor(), "user:3");
  EXPECT_EQ(actor.address, "127.0.0.9");
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
