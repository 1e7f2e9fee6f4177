// /metrics: what Prometheus scrapes must parse as its text format and count what happened.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "http/metrics.hpp"

namespace vikno::http {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    out.push_back(line);
  }
  return out;
}

bool has_line(const std::string& text, const std::string& line) {
  for (const auto& l : lines_of(text)) {
    if (l == line) {
      return true;
    }
  }
  return false;
}

TEST(Metrics, CountsRequestsByMethodRouteAndStatus) {
  Metrics m;
  m.record("GET", "/healthz", 200, 0.0002);
  m.record("GET", "/healthz", 200, 0.0002);
  m.record("GET", "/healthz", 503, 0.0002);
  m.record("POST", "/api/v1/users", 201, 0.002);
  std::string out = m.render();
  EXPECT_TRUE(has_line(out, "# TYPE vikno_http_requests_total counter")) << out;
  EXPECT_TRUE(has_line(out, R"(vikno_http_requests_total{method="GET",route="/healthz",status="200"} 2)")) << out;
  EXPECT_TRUE(has_line(out, R"(vikno_http_requests_total{method="GET",route="/healthz",status="503"} 1)")) << out;
  EXPECT_TRUE(has_line(out, R"(vikno_http_requests_total{method="POST",route="/api/v1/users",status="201"} 1)")) << out;
}

TEST(Metrics, LatencyHistogramIsCumulative) {
  Metrics m;
  m.record("GET", "/r", 200, 0.0007); // <= 0.001
  m.record("GET", "/r", 200, 0.0007);
  m.record("GET", "/r", 200, 0.3); // <= 0.5
  m.record("GET", "/r", 200, 7.0); // only +Inf
  std::string out = m.render();
  const std::string labels = R"(method="GET",route="/r")";
  EXPECT_TRUE(has_line(out, "# TYPE vikno_http_request_duration_seconds histogram")) << out;
  EXPECT_TRUE(has_line(out, "vikno_http_request_duration_seconds_bucket{" + labels + R"(,le="0.0005"} 0)")) << out;
  EXPECT_TRUE(has_line(out, "vikno_http_request_duration_seconds_bucket{" + labels + R"(,le="0.001"} 2)")) << out;
  EXPECT_TRUE(has_line(out, "vikno_http_request_duration_seconds_bucket{" + labels + R"(,le="0.25"} 2)")) << out;
  EXPECT_TRUE(has_line(out, "vikno_http_request_duration_seconds_bucket{" + labels + R"(,le="0.5"} 3)")) << out;
  EXPECT_TRUE(has_line(out, "vikno_http_request_duration_seconds_bucket{" + labels + R"(,le="+Inf"} 4)")) << out;
  EXPECT_TRUE(has_line(out, "vikno_http_request_duration_seconds_count{" + labels + "} 4")) << out;
  // The sum is 7.3014 whatever the float formatting.
  std::smatch sum;
  ASSERT_TRUE(std::regex_search(out, sum, std::regex(R"(vikno_http_request_duration_seconds_sum\{[^}]*\} (\S+))")));
  EXPECT_NEAR(std::stod(sum[1].str()), 7.3014, 1e-9);
}

TEST(Metrics, EveryLineIsValidPrometheusText) {
  Metrics m;
  m.record("GET", "/a\"quoted\\route\nwith newline", 200, 0.01);
  m.record("DELETE", "/api/v1/centers/{center_id}/devices/{device_id}", 204, 0.01);
  m.add_gauge_source([] { return std::string("# TYPE vikno_live_subscribers gauge\nvikno_live_subscribers 3\n"); });
  std::string out = m.render();
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.back(), '\n');
  // name{label="value",...} number -- label values escape \, " and newline.
  const std::regex sample(
      R"re(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*",?)*\})? [-+]?(\d+(\.\d*)?([eE][-+]?\d+)?|\+Inf|NaN)$)re");
  const std::regex comment(R"(^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$)");
  for (const auto& line : lines_of(out)) {
    EXPECT_TRUE(std::regex_match(line, sample) || std::regex_match(line, comment)) << "bad line: " << line;
  }
  EXPECT_TRUE(has_line(
      out, R"(vikno_http_requests_total{method="GET",route="/a\"quoted\\route\nwith newline",status="200"} 1)"))
      << out;
  EXPECT_TRUE(has_line(out, "vikno_live_subscribers 3")); // gauge sources are appended
}

TEST(Metrics, EmptyRegistryStillDeclaresItsFamilies) {
  Metrics m;
  std::string out = m.render();
  EXPECT_TRUE(has_line(out, "# TYPE vikno_http_requests_total counter"));
  EXPECT_EQ(out.find("vikno_http_requests_total{"), std::string::npos);
}

} // namespace
} // namespace vikno::http
