// A per-address token bucket for public endpoints (the catalog search): enough to keep a bot
// from hammering the database, not a defence against a distributed attack. In memory, per
// process; time is passed in so tests need no clock.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/time.hpp"

namespace vikno::registry {

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

} // namespace vikno::registry
