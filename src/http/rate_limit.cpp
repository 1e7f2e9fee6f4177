#include "http/rate_limit.hpp"

#include <algorithm>
#include <cmath>

namespace vikno::http {

bool RateLimiter::allow(const std::string& address, Millis now, Millis* retry_after_ms) {
  std::lock_guard lock(mutex_);
  // Full buckets carry no information: drop them now and then so memory stays bounded by the
  // addresses active in the last minute.
  if (now - last_sweep_ > 60'000) {
    std::erase_if(buckets_, [&](const auto& kv) {
      return kv.second.tokens + static_cast<double>(now - kv.second.at) / 1000.0 * per_second_ >= burst_;
    });
    last_sweep_ = now;
  }
  auto [it, fresh] = buckets_.try_emplace(address, Bucket{burst_, now});
  Bucket& b = it->second;
  if (!fresh) {
    b.tokens = std::min(burst_, b.tokens + static_cast<double>(std::max<Millis>(0, now - b.at)) / 1000.0 * per_second_);
    b.at = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return true;
  }
  if (retry_after_ms != nullptr) {
    *retry_after_ms = static_cast<Millis>(std::ceil((1.0 - b.tokens) / per_second_ * 1000.0));
  }
  return false;
}

std::optional<Response> throttle(RateLimiter& limiter, const Request& request, Millis now, const std::string& message) {
  return throttle(limiter, request.remote_ip, now, message);
}

std::optional<Response> throttle(RateLimiter& limiter, const std::string& key, Millis now, const std::string& message) {
  Millis retry_after = 0;
  if (limiter.allow(key, now, &retry_after)) {
    return std::nullopt;
  }
  Response r = error_response({ErrorKind::too_many_requests, "rate_limited", message, {}});
  r.headers.emplace_back("Retry-After", std::to_string((retry_after + 999) / 1000));
  return r;
}

} // namespace vikno::http
