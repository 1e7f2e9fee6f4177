// LoginThrottle: repeated failed sign-ins slow down, per login and per address, so guessing a
// password takes years while a person who mistypes twice notices nothing. Pure: time is passed in.
//
// After `free_failures` failures for a key, each further attempt must wait 2^(n - free) seconds
// (capped at max_delay) after the last failure; a success clears the login's key.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "common/time.hpp"

namespace vikno::auth {

struct ThrottleLimits {
  int free_failures = 5;
  Millis max_delay_ms = Millis{15} * 60 * 1000;
};

class LoginThrottle {
public:
  LoginThrottle(ThrottleLimits per_login = {5, Millis{15} * 60 * 1000},
                ThrottleLimits per_address = {20, Millis{15} * 60 * 1000})
      : per_login_(per_login), per_address_(per_address) {}

  // 0 when an attempt may proceed now, otherwise milliseconds to wait.
  [[nodiscard]] Millis wait_ms(const std::string& login, const std::string& address, Millis now) const;
  void record_failure(const std::string& login, const std::string& address, Millis now);
  void record_success(const std::string& login);

private:
  struct Entry {
    int failures = 0;
    Millis last_failure = 0;
  };
  static Millis wait_for(const Entry& entry, const ThrottleLimits& limits, Millis now);

  ThrottleLimits per_login_;
  ThrottleLimits per_address_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry> logins_;
  std::map<std::string, Entry> addresses_;
};

} // namespace vikno::auth
