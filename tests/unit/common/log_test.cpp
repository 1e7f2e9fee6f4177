// The log module: whatever a message, a field or an exception's text holds, the line it writes is one
// JSON object that a collector can parse, with the values it was given.
#include "common/log.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <limits>
#include <string>

namespace vikno::log {
namespace {

namespace bj = boost::json;

bj::object parse_line(const std::string& line) {
  boost::system::error_code ec;
  bj::value v = bj::parse(line, ec);
  EXPECT_FALSE(ec) << "not JSON: " << line;
  EXPECT_TRUE(v.is_object()) << line;
  return v.is_object() ? v.as_object() : bj::object{};
}

TEST(Log, QuotesNewlinesAndControlCharactersStayInsideOneValidLine) {
  std::string nasty = "bad \"input\"\\ on\nthree\r\nlines\t\x01\x1f\x7f, Київ";
  nasty += '\0';
  nasty += "after nul";
  std::string line = format_line(0, {{"level", "error"}, {"msg", nasty}}, {{"what", nasty}, {"route", "/a\"b"}});
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  bj::object o = parse_line(line);
  EXPECT_EQ(o.at("ts").as_string(), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(o.at("level").as_string(), "error");
  EXPECT_EQ(std::string(o.at("msg").as_string()), nasty);
  EXPECT_EQ(std::string(o.at("what").as_string()), nasty);
  EXPECT_EQ(o.at("route").as_string(), "/a\"b");
}

TEST(Log, BytesThatAreNotUtf8BecomeTheReplacementCharacter) {
  // A stray continuation byte, a lead byte cut short, an overlong '/', a surrogate, then good text.
  std::string bytes = "a\x80z \xd0 \xc0\xaf \xed\xa0\x80 \xf0\x9f\x99\x82 ok";
  bj::object o = parse_line(format_line(0, {{"msg", bytes}}, {}));
  EXPECT_EQ(
      std::string(o.at("msg").as_string()),
      "a\xef\xbf\xbdz \xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \xf0\x9f\x99\x82 ok");
}

TEST(Log, FieldsKeepTheirOrderAndTypes) {
  std::string line = format_line(1764750000123, {{"level", "info"}, {"msg", "serving"}},
                                 {{"url", "http://127.0.0.1:8080"},
                                  {"port", 8080U},
                                  {"n", -3},
                                  {"ms", 1.25},
                                  {"ok", true},
                                  {"nan", std::numeric_limits<double>::quiet_NaN()}});
  EXPECT_EQ(line, R"({"ts":"2025-12-03T08:20:00.123Z","level":"info","msg":"serving","url":"http://127.0.0.1:8080",)"
                  R"("port":8080,"n":-3,"ms":1.25,"ok":true,"nan":null})");
  parse_line(line);
}

} // namespace
} // namespace vikno::log
