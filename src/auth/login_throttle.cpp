#include "auth/login_throttle.hpp"

#include <algorithm>

namespace vikno::auth {

namespace {
// A pair's key: the NUL cannot occur in a login or an address.
std::string pair_key(const std::string& name, const std::string& address) { return name + '\0' + address; }
} // namespace

Millis LoginThrottle::wait_for(const Entry& entry, const ThrottleLimits& limits, Millis now) {
  if (limits.free_failures <= 0 || entry.failures < limits.free_failures) {
    return 0;
  }
  int exponent = std::min(entry.failures - limits.free_failures, 30);
  Millis delay = std::min<Millis>(Millis{1000} << exponent, limits.max_delay_ms);
  Millis until = entry.last_failure + delay;
  return until > now ? until - now : 0;
}

Millis LoginThrottle::wait_ms(const std::string& name, const std::string& address, Millis now) const {
  std::lock_guard lock(mutex_);
  Millis wait = 0;
  if (auto it = pairs_.find(pair_key(name, address)); it != pairs_.end()) {
    wait = std::max(wait, wait_for(it->second, policy_.per_pair, now));
  }
  if (auto it = addresses_.find(address); it != addresses_.end()) {
    wait = std::max(wait, wait_for(it->second, policy_.per_address, now));
  }
  if (auto it = names_.find(name); it != names_.end() && now - it->second.last_failure < policy_.name_quiet_ms) {
    wait = std::max(wait, wait_for(it->second, policy_.per_name, now));
  }
  return wait;
}

int LoginThrottle::record_failure(const std::string& name, const std::string& address, Millis now) {
  std::lock_guard lock(mutex_);
  // Bound memory under a flood of made-up logins: forget entries that no longer slow anyone.
  constexpr std::size_t kMaxEntries = 100000;
  Millis forget_after = std::max({policy_.per_pair.max_delay_ms, policy_.per_address.max_delay_ms,
                                  policy_.per_name.max_delay_ms, policy_.name_quiet_ms});
  for (auto* table : {&pairs_, &addresses_, &names_}) {
    if (table->size() > kMaxEntries) {
      std::erase_if(*table, [&](const auto& kv) { return now - kv.second.last_failure >= forget_after; });
    }
  }
  Entry& by_name = names_[name];
  if (now - by_name.last_failure >= policy_.name_quiet_ms) {
    by_name.failures = 0;
  }
  for (auto* entry : {&pairs_[pair_key(name, address)], &addresses_[address], &by_name}) {
    ++entry->failures;
    entry->last_failure = now;
  }
  return by_name.failures;
}

void LoginThrottle::record_success(const std::string& name, const std::string& address) {
  std::lock_guard lock(mutex_);
  pairs_.erase(pair_key(name, address));
}

} // namespace vikno::auth
