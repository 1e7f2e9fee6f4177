#include "network/accessibility.hpp"

#include <gtest/gtest.h>

#include <random>

namespace vikno::network {
namespace {

// Two settlements and two access points with hand-picked road distances:
//   A (1000 people): X 5 km, Y 15 km        B (3000 people): X 25 km, Y 8 km
//   X has 2 windows, Y has 1.
struct Tiny {
  std::vector<Settlement> settlements{{"A", "A", 1000, {}, "h1", "r1", "o1"}, {"B", "B", 3000, {}, "h2", "r1", "o1"}};
  std::vector<AccessPoint> points{{"X", "X", {}, 2}, {"Y", "Y", {}, 1}};
  AccessLists lists{{{0, 5}, {1, 15}}, {{1, 8}, {0, 25}}};
};

TEST(FloatingCatchment, TwoStepByHand) {
  const Tiny t;
  const CatchmentResult r = floating_catchment(t.settlements, t.points, t.lists, two_step_catchment(30));
  // Both points see both settlements: R_X = 2 / 4000, R_Y = 1 / 4000; each settlement sees both.
  EXPECT_DOUBLE_EQ(r.supply_ratio[0], 0.0005);
  EXPECT_DOUBLE_EQ(r.supply_ratio[1], 0.00025);
  EXPECT_DOUBLE_EQ(r.access[0], 0.00075);
  EXPECT_DOUBLE_EQ(r.access[1], 0.00075);
  // With a 10 km catchment X serves only A and Y only B.
  const CatchmentResult near = floating_catchment(t.settlements, t.points, t.lists, two_step_catchment(10));
  EXPECT_DOUBLE_EQ(near.access[0], 2.0 / 1000);
  EXPECT_DOUBLE_EQ(near.access[1], 1.0 / 3000);
}

TEST(FloatingCatchment, EnhancedByHand) {
  const Tiny t;
  const CatchmentResult r = floating_catchment(t.settlements, t.points, t.lists, kEnhancedSteps);
  // R_X = 2 / (1000 x 1 + 3000 x 0.22) = 2 / 1660;  R_Y = 1 / (1000 x 0.68 + 3000 x 1) = 1 / 3680.
  const double rx = 2.0 / 1660, ry = 1.0 / 3680;
  EXPECT_DOUBLE_EQ(r.supply_ratio[0], rx);
  EXPECT_DOUBLE_EQ(r.supply_ratio[1], ry);
  EXPECT_DOUBLE_EQ(r.access[0], rx * 1 + ry * 0.68);
  EXPECT_DOUBLE_EQ(r.access[1], rx * 0.22 + ry * 1);
  // Every window is shared out: population-weighted access sums to the windows.
  EXPECT_NEAR(1000 * r.access[0] + 3000 * r.access[1], 3.0, 1e-12);
}

TEST(Coverage, SharesPerGroupAndWorstServed) {
  std::vector<Settlement> s{
      {"1", "Town", 10000, {}, "H1", "R1", "O"}, {"2", "Village", 500, {}, "H1", "R1", "O"},
      {"3", "Far", 300, {}, "H2", "R1", "O"},    {"4", "Farther", 200, {}, "H2", "R2", "O"},
      {"5", "Empty", 0, {}, "H2", "R2", "O"},
  };
  const std::vector<Neighbor> nearest{{0, 1}, {0, 14}, {0, 14.5}, {0, 40}, {0, 90}};
  const CoverageReport r = coverage_report(s, nearest, 14.0, 3);
  EXPECT_DOUBLE_EQ(r.overall.population, 11000);
  EXPECT_DOUBLE_EQ(r.overall.covered_population, 10500); // 14 km counts as within
  EXPECT_DOUBLE_EQ(r.overall.share, 10500.0 / 11000);
  ASSERT_EQ(r.by_hromada.size(), 2u);
  EXPECT_EQ(r.by_hromada[0].group, "H2"); // worst share first
  EXPECT_DOUBLE_EQ(r.by_hromada[0].share, 0.0);
  EXPECT_DOUBLE_EQ(r.by_hromada[0].worst_km, 40); // the empty settlement does not count
  EXPECT_DOUBLE_EQ(r.by_hromada[1].share, 1.0);
  ASSERT_EQ(r.by_raion.size(), 2u);
  EXPECT_EQ(r.by_raion[0].group, "R2");
  EXPECT_DOUBLE_EQ(r.by_raion[1].share, 10500.0 / 10800);
  ASSERT_EQ(r.by_oblast.size(), 1u);
  EXPECT_EQ(r.worst, (std::vector<int>{3, 2, 1}));
}

TEST(Accessibility, NearestAndWithinApplyTheDetourFactor) {
  // Kyiv-area settlement and two points: 10 km and 20 km north as the crow flies.
  const std::vector<Settlement> s{{"s", "s", 100, {50.0, 30.0}, "", "", ""}};
  const std::vector<AccessPoint> p{{"near", "", {50.0 + 10 / 111.195, 30.0}, 1},
                                   {"far", "", {50.0 + 20 / 111.195, 30.0}, 1}};
  const auto nearest = nearest_access(s, p, 1.3);
  EXPECT_EQ(nearest[0].site, 0);
  EXPECT_NEAR(nearest[0].km, 13.0, 0.01);
  const AccessLists lists = access_within(s, p, 14.0, 1.3);
  ASSERT_EQ(lists[0].size(), 1u);
  EXPECT_EQ(lists[0][0].site, 0);
  EXPECT_EQ(access_within(s, p, 27.0, 1.3)[0].size(), 2u);
}

TEST(Accessibility, MatrixListsRejectUnknownNames) {
  const Tiny t;
  const std::vector<DistanceRecord> records{{"A", "X", 5, 2}, {"B", "Y", 8, 3}, {"C", "X", 1, 4}};
  const auto r = access_from_matrix(records, t.settlements, t.points);
  ASSERT_FALSE(r);
  ASSERT_EQ(r.error().problems.size(), 1u);
  EXPECT_EQ(r.error().problems[0].line, 4);
  const auto ok = access_from_matrix({records[0], records[1]}, t.settlements, t.points);
  ASSERT_TRUE(ok);
  EXPECT_EQ(nearest_of(*ok)[1].site, 1);
}

} // namespace
} // namespace vikno::network
