// Deferred: an outcome settled once, on any thread, told to whoever asks before or after.
#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>
#include <vector>

#include "common/deferred.hpp"

namespace vikno {
namespace {

TEST(Deferred, ACallbackGivenBeforeRunsWhenItSettlesAndOneGivenAfterRunsAtOnce) {
  Deferred d;
  std::vector<std::string> told;
  d.then([&](const std::exception_ptr& failure) { told.emplace_back(failure ? "failed" : "before"); });
  EXPECT_TRUE(told.empty());
  EXPECT_FALSE(d.settled());
  d.settle();
  EXPECT_EQ(told, std::vector<std::string>{"before"});
  d.then([&](const std::exception_ptr& failure) { told.emplace_back(failure ? "failed" : "after"); });
  EXPECT_EQ(told, (std::vector<std::string>{"before", "after"}));
  EXPECT_TRUE(d.settled());
  EXPECT_TRUE(d.succeeded());
  EXPECT_NO_THROW(d.wait());
}

TEST(Deferred, OnlyTheFirstSettleCountsAndWaitRethrowsTheFailure) {
  Deferred d;
  int calls = 0;
  d.then([&](const std::exception_ptr&) { ++calls; });
  d.settle(std::make_exception_ptr(std::runtime_error("disk full")));
  d.settle(); // too late: it failed
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(d.settled());
  EXPECT_FALSE(d.succeeded());
  EXPECT_THROW(d.wait(), std::runtime_error);
}

TEST(Deferred, WaitReturnsWhenAnotherThreadSettles) {
  Deferred d;
  std::thread settler([&] { d.settle(); });
  d.wait();
  settler.join();
  EXPECT_TRUE(d.succeeded());
}

} // namespace
} // namespace vikno
