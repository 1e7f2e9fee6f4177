// A per-address token bucket for public endpoints (the catalog search, ticket tracking): enough to keep a bot
// from hammering the database, not a defence against a distributed attack. In memory, per
// process; time is passed in so tests need no clock.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/time.hpp"
#include "http/message.hpp"

namespace vikno::http {

class RateLimiter {
public:
  // `burst` requests at once, refilled at `per_second`.
  RateLimiter(double burst, double per_second) : burst_(burst), per_second_(per_second) {}

  // True when the request may go ahead (and takes a token); false: answer 429. `retry_after_ms`
  // is set to when the next token comes.
  bool allow(const std::string& address, Millis now, Millis* retry_after_ms = nullptr);

private:
  struct Bucket {
    double tokens = 0;
    Millis at = 0;
  };
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  double burst_;
  double per_second_;
  Millis last_sweep_ = 0;
};

// The one 429 answer of a public endpoint: nullopt when the request may go ahead, else
// 429 rate_limited with Retry-After and `message`.
std::optional<Response> throttle(RateLimiter& limiter, const Request& request, Millis now, const std::string& message);
// The same, for a key other than the client's address (a kiosk's device: "device:5").
std::optional<Response> throttle(RateLimiter& limiter, const std::string& key, Millis now, const std::string& message);

} // namespace vikno::http
