// LoginThrottle: repeated failed password checks slow down the one who fails, so guessing a
// password takes years while a person who mistypes twice notices nothing. Pure: time is passed in.
//
// Three counters, each keyed by what an attacker controls or what she is aiming at:
// - the pair (name, address): after `per_pair.free_failures` failures, each further attempt of
//   that name from that address waits 2^(n - free) seconds after the last failure (capped);
// - the address, over every name: the same rule with its own limits (one address trying many
//   names);
// - the name, over every address: only counted by default (`per_name` off). Sign-in must not
//   refuse a person's right password because somebody else typed her login (that would let
//   anyone lock any member of staff out), so for a login the count raises an alert instead; the
//   current-password check of a signed-in session turns `per_name` on (the session is already
//   that person's).
// A name's count forgets its failures after `name_quiet_ms` without one. A success clears the pair.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "common/time.hpp"

namespace vikno::auth {

struct ThrottleLimits {
  int free_failures = 5; // 0: this counter never makes anyone wait
  Millis max_delay_ms = Millis{15} * 60 * 1000;
};

struct ThrottlePolicy {
  ThrottleLimits per_pair{5, Millis{15} * 60 * 1000};
  ThrottleLimits per_address{20, Millis{15} * 60 * 1000};
  ThrottleLimits per_name{0, Millis{15} * 60 * 1000};
  Millis name_quiet_ms = Millis{15} * 60 * 1000;
};

class LoginThrottle {
public:
  explicit LoginThrottle(ThrottlePolicy policy = {}) : policy_(policy) {}

  // 0 when an attempt may proceed now, otherwise milliseconds to wait.
  [[nodiscard]] Millis wait_ms(const std::string& name, const std::string& address, Millis now) const;
  // Counts a failure; returns the name's failures from every address since its last quiet spell,
  // this one included (what an alert reports).
  int record_failure(const std::string& name, const std::string& address, Millis now);
  void record_success(const std::string& name, const std::string& address);

private:
  struct Entry {
    int failures = 0;
    Millis last_failure = 0;
  };
  static Millis wait_for(const Entry& entry, const ThrottleLimits& limits, Millis now);

  ThrottlePolicy policy_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry> pairs_;
  std::map<std::string, Entry> addresses_;
  std::map<std::string, Entry> names_;
};

} // namespace vikno::auth
