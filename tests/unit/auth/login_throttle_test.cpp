// LoginThrottle: a person who mistypes notices nothing; a guesser waits longer and longer, and
// nobody can make a person wait by typing her login elsewhere.
#include <gtest/gtest.h>

#include "auth/login_throttle.hpp"

namespace vikno::auth {
namespace {

constexpr Millis kT0 = 1'760'000'000'000;
constexpr Millis kSecond = 1000;

void fail_n(LoginThrottle& t, const std::string& login, const std::string& address, int n, Millis at) {
  for (int i = 0; i < n; ++i) {
    t.record_failure(login, address, at);
  }
}

TEST(LoginThrottle, FirstFailuresAreFree) {
  LoginThrottle t;
  EXPECT_EQ(t.wait_ms("olena", "10.0.0.1", kT0), 0);
  fail_n(t, "olena", "10.0.0.1", 4, kT0);
  EXPECT_EQ(t.wait_ms("olena", "10.0.0.1", kT0), 0);
  t.record_failure("olena", "10.0.0.1", kT0);
  EXPECT_EQ(t.wait_ms("olena", "10.0.0.1", kT0), 1 * kSecond); // the 6th attempt waits
}

TEST(LoginThrottle, WaitDoublesAndRunsOut) {
  LoginThrottle t;
  fail_n(t, "olena", "10.0.0.1", 5, kT0);
  EXPECT_EQ(t.wait_ms("olena", "10.0.0.1", kT0 + 400), 600); // counted from the last failure
  EXPECT_EQ(t.wait_ms("olena", "10.0.0.1", kT0 + kSecond), 0);
  t.record_failure("olena", "10.0.0.1", kT0 + kSecond);
  EXPECT_EQ(t.wait_ms("olena", "10.0.0.1", kT0 + kSecond), 2 * kSecond);
  t.record_failure("olena", "10.0.0.1", kT0 + 3 * kSecond);
  EXPECT_EQ(t.wait_ms("olena", "10.0.0.1", kT0 + 3 * kSecond), 4 * kSecond);
  t.record_failure("olena", "10.0.0.1", kT0 + 7 * kSecond);
  EXPECT_EQ(t.wait_ms("olena", "10.0.0.1", kT0 + 7 * kSecond), 8 * kSecond);
}

TEST(LoginThrottle, WaitIsCapped) {
  LoginThrottle t;
  fail_n(t, "olena", "10.0.0.1", 14, kT0); // 2^9 s = 512 s, under the cap
  EXPECT_EQ(t.wait_ms("olena", "10.0.0.1", kT0), 512 * kSecond);
  fail_n(t, "olena", "10.0.0.1", 1, kT0); // 1024 s > 15 min
  EXPECT_EQ(t.wait_ms("olena", "10.0.0.1", kT0), 15 * 60 * kSecond);
  fail_n(t, "olena", "10.0.0.1", 200, kT0); // no overflow however long the attack goes on
  EXPECT_EQ(t.wait_ms("olena", "10.0.0.1", kT0), 15 * 60 * kSecond);
  EXPECT_EQ(t.wait_ms("olena", "10.0.0.1", kT0 + 15 * 60 * kSecond), 0);
}

TEST(LoginThrottle, CustomLimits) {
  LoginThrottle t({.per_pair = {2, 5 * kSecond}, .per_address = {100, kSecond}});
  fail_n(t, "olena", "a", 2, kT0);
  EXPECT_EQ(t.wait_ms("olena", "a", kT0), kSecond);
  fail_n(t, "olena", "a", 5, kT0);
  EXPECT_EQ(t.wait_ms("olena", "a", kT0), 5 * kSecond);
}

TEST(LoginThrottle, GuessesFromOneAddressDoNotSlowTheLoginElsewhere) {
  LoginThrottle t;
  fail_n(t, "olena", "203.0.113.7", 7, kT0);
  EXPECT_GT(t.wait_ms("olena", "203.0.113.7", kT0), 0); // the guesser waits
  EXPECT_EQ(t.wait_ms("olena", "10.0.0.2", kT0), 0);    // she, at her window, does not
}

TEST(LoginThrottle, AGuessFromManyAddressesIsCountedButSlowsNobody) {
  LoginThrottle t;
  int failures = 0;
  for (int i = 0; i < 50; ++i) {
    failures = t.record_failure("olena", "198.51.100." + std::to_string(i), kT0 + i * kSecond);
  }
  EXPECT_EQ(failures, 50); // what the alert reports
  EXPECT_EQ(t.wait_ms("olena", "10.0.0.2", kT0 + 50 * kSecond), 0);
  // 15 quiet minutes and the count starts over.
  EXPECT_EQ(t.record_failure("olena", "198.51.100.1", kT0 + 49 * kSecond + 15 * 60 * kSecond), 1);
}

TEST(LoginThrottle, ANameThrottleWhenTurnedOnCountsEveryAddress) {
  LoginThrottle t({.per_name = {3, 60 * kSecond}});
  t.record_failure("user:7", "10.0.0.1", kT0);
  t.record_failure("user:7", "10.0.0.2", kT0);
  EXPECT_EQ(t.wait_ms("user:7", "10.0.0.3", kT0), 0);
  t.record_failure("user:7", "10.0.0.3", kT0);
  EXPECT_EQ(t.wait_ms("user:7", "10.0.0.4", kT0), kSecond);
  EXPECT_EQ(t.wait_ms("user:8", "10.0.0.4", kT0), 0);
}

TEST(LoginThrottle, SuccessClearsThePair) {
  LoginThrottle t;
  fail_n(t, "olena", "10.0.0.1", 7, kT0);
  ASSERT_GT(t.wait_ms("olena", "10.0.0.1", kT0), 0);
  t.record_success("olena", "10.0.0.1");
  EXPECT_EQ(t.wait_ms("olena", "10.0.0.1", kT0), 0);
  t.record_failure("olena", "10.0.0.1", kT0);
  EXPECT_EQ(t.wait_ms("olena", "10.0.0.1", kT0), 0); // counting starts over
}

TEST(LoginThrottle, LoginsAreIndependent) {
  LoginThrottle t;
  fail_n(t, "olena", "10.0.0.1", 10, kT0);
  EXPECT_EQ(t.wait_ms("petro", "10.0.0.9", kT0), 0);
}

TEST(LoginThrottle, OneAddressTryingManyLoginsIsSlowed) {
  LoginThrottle t;
  for (int i = 0; i < 19; ++i) {
    t.record_failure("user" + std::to_string(i), "203.0.113.7", kT0);
  }
  EXPECT_EQ(t.wait_ms("fresh", "203.0.113.7", kT0), 0);
  t.record_failure("user19", "203.0.113.7", kT0);
  EXPECT_EQ(t.wait_ms("fresh", "203.0.113.7", kT0), kSecond); // the 21st attempt waits
  EXPECT_EQ(t.wait_ms("fresh", "203.0.113.8", kT0), 0);       // other addresses do not
  // Owning one real account does not reset the address: a success clears only its pair.
  t.record_success("user0", "203.0.113.7");
  EXPECT_EQ(t.wait_ms("fresh", "203.0.113.7", kT0), kSecond);
}

} // namespace
} // namespace vikno::auth
