#include "auth/login_throttle.hpp"

#include <algorithm>

namespace vikno::auth {

Millis LoginThrottle::wait_for(const Entry& entry, const ThrottleLimits& limits, Millis now) {
  if (entry.failures < limits.free_failures) {
    return 0;
  }
  int exponent = std::min(entry.failures - limits.free_failures, 30);
  Millis delay = std::min<Millis>(Millis{1000} << exponent, limits.max_delay_ms);
  Millis until = entry.last_failure + delay;
  return until > now ? until - now : 0;
}

Millis LoginThrottle::wait_ms(const std::string& login, const std::string& address, Millis now) const {
  std::lock_guard lock(mutex_);
  Millis wait = 0;
  if (auto it = logins_.find(login); it != logins_.end()) {
    wait = std::max(wait, wait_for(it->second, per_login_, now));
  }
  if (auto it = addresses_.find(address); it != addresses_.end()) {
    wait = std::max(wait, wait_for(it->second, per_address_, now));
  }
  return wait;
}

void LoginThrottle::record_failure(const std::string& login, const std::string& address, Millis now) {
  std::lock_guard lock(mutex_);
  // Bound memory under a flood of made-up logins: forget entries whose delay has long run out.
  constexpr std::size_t kMaxEntries = 100000;
  for (auto* table : {&logins_, &addresses_}) {
    if (table->size() > kMaxEntries) {
      std::erase_if(*table, [&](const auto& kv) { return now - kv.second.last_failure > per_login_.max_delay_ms; });
    }
  }
  for (auto* entry : {&logins_[login], &addresses_[address]}) {
    ++entry->failures;
    entry->last_failure = now;
  }
}

void LoginThrottle::record_success(const std::string& login) {
  std::lock_guard lock(mutex_);
  logins_.erase(login);
}

} // namespace vikno::auth
