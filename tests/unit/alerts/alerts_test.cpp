#include "alerts/alerts.hpp"

#include <gtest/gtest.h>

namespace vikno::alerts {
namespace {

Raise login_flood(std::vector<std::int64_t> centers = {1}) {
  return {std::move(centers), "login_failures", "user:3", "Багато хибних паролів", "Many wrong passwords"};
}

TEST(AlertsBoard, AFloodIsOneAlertWithACount) {
  Board board(60'000);
  EXPECT_TRUE(board.raise(login_flood(), 1000));
  EXPECT_FALSE(board.raise(login_flood(), 2000));
  EXPECT_FALSE(board.raise(login_flood(), 3000));
  auto open = board.open(1, 3000);
  ASSERT_EQ(open.size(), 1U);
  EXPECT_EQ(open[0].count, 3);
  EXPECT_EQ(open[0].first_at, 1000);
  EXPECT_EQ(open[0].last_at, 3000);
}

TEST(AlertsBoard, ACenterSeesOnlyItsAlertsAndTheAdministratorSeesAll) {
  Board board(60'000);
  board.raise(login_flood({1}), 1000);
  board.raise({{2}, "kiosk_rate_limited", "device:5", "Кіоск", "Kiosk"}, 1000);
  board.raise(login_flood({}), 1000); // an unknown login: the system administrator's only
  EXPECT_EQ(board.open(1, 1000).size(), 1U);
  ASSERT_EQ(board.open(2, 1000).size(), 1U);
  EXPECT_EQ(board.open(2, 1000)[0].subject, "device:5");
  EXPECT_TRUE(board.open(3, 1000).empty());
  EXPECT_EQ(board.open(std::nullopt, 1000).size(), 3U);
}

TEST(AlertsBoard, AnAlertClosesAfterQuietTimeAndANewOneOpens) {
  Board board(60'000);
  board.raise(login_flood(), 0);
  EXPECT_EQ(board.open(1, 59'999).size(), 1U);
  EXPECT_TRUE(board.open(1, 60'000).empty());
  EXPECT_TRUE(board.raise(login_flood(), 60'000));
  auto open = board.open(1, 60'000);
  ASSERT_EQ(open.size(), 1U);
  EXPECT_EQ(open[0].count, 1);
}

TEST(AlertsBoard, MemoryIsBounded) {
  Board board(60'000, 3);
  for (int i = 0; i < 10; ++i) {
    board.raise({{1}, "kiosk_rate_limited", "device:" + std::to_string(i), "", ""}, i);
  }
  auto open = board.open(1, 10);
  ASSERT_EQ(open.size(), 3U);
  EXPECT_EQ(open[0].subject, "device:9"); // newest first
}

} // namespace
} // namespace vikno::alerts
