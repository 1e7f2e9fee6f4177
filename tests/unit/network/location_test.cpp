#include "network/exact.hpp"
#include "network/location.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>

namespace vikno::network {
namespace {

// A random planar instance: clients and sites in a 100 x 100 km square, Euclidean km,
// integer populations, some sites already existing.
LocationProblem random_problem(std::uint64_t seed, int clients, int sites, int fixed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> xy(0, 100);
  std::uniform_int_distribution<int> pop(1, 5000);
  std::vector<std::pair<double, double>> c, s;
  for (int i = 0; i < clients; ++i)
    c.emplace_back(xy(rng), xy(rng));
  for (int j = 0; j < sites; ++j)
    s.emplace_back(xy(rng), xy(rng));
  LocationProblem p;
  p.clients = clients;
  p.sites = sites;
  for (int i = 0; i < clients; ++i) {
    p.weight.push_back(pop(rng));
    for (int j = 0; j < sites; ++j)
      p.distance.push_back(std::hypot(c[static_cast<std::size_t>(i)].first - s[static_cast<std::size_t>(j)].first,
                                      c[static_cast<std::size_t>(i)].second - s[static_cast<std::size_t>(j)].second));
  }
  for (int j = 0; j < sites; ++j)
    p.fixed.push_back(j < fixed);
  return p;
}

// Every way to add k of the free sites to the fixed ones.
void for_each_plan(const LocationProblem& p, int k, const std::function<void(const std::vector<int>&)>& visit) {
  std::vector<int> fixed, free;
  for (int j = 0; j < p.sites; ++j)
    (p.fixed[static_cast<std::size_t>(j)] ? fixed : free).push_back(j);
  std::vector<bool> pick(free.size(), false);
  std::fill(pick.begin(), pick.begin() + k, true);
  do {
    std::vector<int> open = fixed;
    for (std::size_t t = 0; t < free.size(); ++t)
      if (pick[t])
        open.push_back(free[t]);
    visit(open);
  } while (std::prev_permutation(pick.begin(), pick.end()));
}

double brute_min(const LocationProblem& p, int k, const std::function<double(const std::vector<int>&)>& f) {
  double best = kUnreachable;
  for_each_plan(p, k, [&](const std::vector<int>& open) { best = std::min(best, f(open)); });
  return best;
}

constexpr double kRadius = 25.0;

struct Shape {
  int clients, sites, fixed, k;
};
const Shape kShapes[] = {{15, 8, 0, 2}, {20, 10, 2, 3}, {25, 12, 1, 4}, {18, 9, 3, 1}, {30, 11, 0, 5}};

TEST(LocationModels, HeuristicsAndGlpkMatchBruteForceOnRandomInstances) {
  const SearchOptions search{true, 10, 99};
  for (std::uint64_t seed = 1; seed <= 8; ++seed)
    for (const Shape& shape : kShapes) {
      SCOPED_TRACE("seed " + std::to_string(seed) + " k " + std::to_string(shape.k));
      const LocationProblem p = random_problem(seed, shape.clients, shape.sites, shape.fixed);
      const int k = shape.k;

      const double median = brute_min(p, k, [&](auto& open) { return median_cost(p, open); });
      const auto heur_median = solve_p_median(p, k, search);
      ASSERT_TRUE(heur_median);
      EXPECT_NEAR(heur_median->objective, median, 1e-6 * median);
      EXPECT_EQ(heur_median->added.size(), static_cast<std::size_t>(k));
      for (int j = 0; j < shape.fixed; ++j)
        EXPECT_TRUE(std::binary_search(heur_median->open.begin(), heur_median->open.end(), j)) << "fixed site closed";
      EXPECT_NEAR(exact_p_median(p, k)->objective, median, 1e-6 * median);
      EXPECT_GE(solve_p_median(p, k, SearchOptions{false, 0, 1})->objective, median - 1e-6);

      const double mclp = -brute_min(p, k, [&](auto& open) { return -covered_weight(p, open, kRadius); });
      EXPECT_DOUBLE_EQ(solve_mclp(p, k, kRadius, search)->objective, mclp);
      EXPECT_DOUBLE_EQ(exact_mclp(p, k, kRadius)->objective, mclp);

      const double center = brute_min(p, k, [&](auto& open) { return max_distance(p, open); });
      EXPECT_DOUBLE_EQ(solve_p_center(p, k, search)->objective, center);
      EXPECT_DOUBLE_EQ(exact_p_center(p, k)->objective, center);
    }
}

TEST(LocationModels, LscpAndBackupMatchBruteForce) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const LocationProblem p = random_problem(seed, 25, 10, seed % 3 == 0 ? 1 : 0);
    CoverOptions cover;
    cover.radius = 40;
    cover.backup = true;
    cover.search = {true, 10, 5};
    const double reachable = [&] {
      std::vector<int> all(static_cast<std::size_t>(p.sites));
      for (int j = 0; j < p.sites; ++j)
        all[static_cast<std::size_t>(j)] = j;
      return covered_weight(p, all, cover.radius);
    }();
    int free = 0;
    for (int j = 0; j < p.sites; ++j)
      free += p.fixed[static_cast<std::size_t>(j)] ? 0 : 1;
    int fewest = -1, best_backup = -1;
    for (int k = 0; k <= free && fewest < 0; ++k)
      for_each_plan(p, k, [&](const std::vector<int>& open) {
        if (covered_weight(p, open, cover.radius) >= reachable - 1e-9) {
          fewest = k;
          best_backup = std::max(best_backup, backup_clients(p, open, cover.radius));
        }
      });
    const auto heur = solve_lscp(p, cover);
    ASSERT_TRUE(heur);
    EXPECT_EQ(heur->solution.objective, fewest);
    EXPECT_DOUBLE_EQ(heur->covered_weight, reachable);
    const auto exact = exact_lscp(p, cover);
    ASSERT_TRUE(exact);
    EXPECT_EQ(exact->solution.objective, fewest);
    EXPECT_EQ(exact->backup_clients, best_backup);
    EXPECT_LE(heur->backup_clients, best_backup);
  }
}

// Three villages along a road: two near the sites, one 200 km away from everything.
LocationProblem line_problem() {
  LocationProblem p;
  p.clients = 3;
  p.sites = 3;
  p.distance = {2,   10,  30, //
                12,  3,   20, //
                200, 210, 190};
  p.weight = {100, 50, 10};
  p.fixed = {true, false, false};
  p.client_ids = {"a", "b", "remote"};
  p.site_ids = {"existing", "c1", "c2"};
  return p;
}

TEST(LocationModels, LscpReportsWhoCannotBeReached) {
  const LocationProblem p = line_problem();
  CoverOptions cover;
  cover.radius = 14;
  for (const auto& r : {solve_lscp(p, cover), exact_lscp(p, cover)}) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->solution.unreachable, std::vector<int>{2});
    EXPECT_EQ(r->solution.objective, 0); // the existing point already covers a and b
    EXPECT_DOUBLE_EQ(r->covered_weight, 150);
    EXPECT_DOUBLE_EQ(r->unreachable_weight, 10);
  }
}

TEST(LocationModels, LscpWithAShareNeedsFewerSites) {
  LocationProblem p = line_problem();
  p.fixed = {false, false, false};
  CoverOptions cover;
  cover.radius = 5; // a is within 5 km of site 0 only, b of site 1 only
  EXPECT_EQ(solve_lscp(p, cover)->solution.objective, 2);
  cover.share = 100.0 / 150.0; // village a alone: the remote one does not count
  EXPECT_EQ(solve_lscp(p, cover)->solution.objective, 1);
  EXPECT_EQ(exact_lscp(p, cover)->solution.objective, 1);
}

TEST(LocationModels, KLargerThanTheCandidatesIsAnError) {
  const LocationProblem p = line_problem();
  for (const auto& r : {solve_p_median(p, 3), solve_mclp(p, 3, 14), solve_p_center(p, 3), exact_p_median(p, 3)}) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "k_exceeds_candidates");
    EXPECT_EQ(r.error().problems.at(0).field, "k");
  }
  EXPECT_TRUE(solve_p_median(p, 2));
}

TEST(LocationModels, NegativeWeightIsAnError) {
  LocationProblem p = line_problem();
  p.weight[1] = -5;
  const auto r = solve_p_median(p, 1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "invalid_problem");
}

TEST(LocationModels, ClientsWithoutAnyPathAreLeftOutOfThePMedian) {
  LocationProblem p = line_problem();
  p.distance[6] = p.distance[7] = p.distance[8] = kUnreachable; // the remote village has no road
  const auto s = solve_p_median(p, 1);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->unreachable, std::vector<int>{2});
  EXPECT_DOUBLE_EQ(s->objective, 100 * 2 + 50 * 3); // existing + c1
  EXPECT_DOUBLE_EQ(exact_p_median(p, 1)->objective, s->objective);
}

TEST(LocationModels, SameSeedSamePlan) {
  const LocationProblem p = random_problem(3, 40, 15, 0);
  const SearchOptions search{true, 5, 1234};
  EXPECT_EQ(solve_p_center(p, 4, search)->open, solve_p_center(p, 4, search)->open);
  EXPECT_EQ(solve_p_median(p, 4, search)->open, solve_p_median(p, 4, search)->open);
}

} // namespace
} // namespace vikno::network
