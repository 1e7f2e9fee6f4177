#include "http/rate_limit.hpp"

#include <gtest/gtest.h>

namespace vikno::http {
namespace {

TEST(RateLimit, BurstThenRefill) {
  RateLimiter limiter(3, 1); // 3 at once, one more per second
  Millis retry = 0;
  EXPECT_TRUE(limiter.allow("1.2.3.4", 0));
  EXPECT_TRUE(limiter.allow("1.2.3.4", 0));
  EXPECT_TRUE(limiter.allow("1.2.3.4", 0));
  EXPECT_FALSE(limiter.allow("1.2.3.4", 0, &retry));
  EXPECT_EQ(retry, 1000);
  EXPECT_TRUE(limiter.allow("5.6.7.8", 0)); // another address has its own bucket
  EXPECT_TRUE(limiter.allow("1.2.3.4", 1000));
  EXPECT_FALSE(limiter.allow("1.2.3.4", 1500));
}

TEST(RateLimit, ThrottleAnswers429WithRetryAfter) {
  RateLimiter limiter(1, 0.5);
  Request req;
  req.remote_ip = "10.0.0.1";
  EXPECT_FALSE(throttle(limiter, req, 0, "slow down").has_value());
  auto limited = throttle(limiter, req, 0, "slow down");
  ASSERT_TRUE(limited.has_value());
  EXPECT_EQ(limited->status, 429U);
  EXPECT_NE(limited->body.find("rate_limited"), std::string::npos);
  ASSERT_EQ(limited->headers.size(), 1U);
  EXPECT_EQ(limited->headers[0], (std::pair<std::string, std::string>{"Retry-After", "2"}));
}

} // namespace
} // namespace vikno::http
