// Location models over a LocationProblem, solved by heuristics: greedy construction followed by
// vertex substitution (Teitz-Bart) with Whitaker's fast swap evaluation, from the nearest and
// second-nearest open site of every client, plus optional restarts from random sets drawn with
// an injected seed. Existing access points stay open (`fixed`); k is the number of NEW sites.
//
//   p-median: min sum weight x distance          MCLP: max weight within the radius
//   p-center: min of the largest distance        LSCP: fewest new sites covering all (or a share)
//
// Clients no site can reach (no finite distance; for coverage models no site within the radius)
// are left out of the objective and listed in Solution::unreachable, so one isolated village
// does not make every plan infinitely bad. p-center and the coverage counts only look at clients
// with a positive weight: an empty settlement needs no service point.
#pragma once

#include "common/error.hpp"
#include "network/model.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace vikno::network {

struct SearchOptions {
  bool local_search = true; // false: greedy construction only
  int restarts = 0;         // extra local searches from random starting sets
  std::uint64_t seed = 1;
};

// Checks sizes, weights (finite, >= 0), distances (>= 0 or kUnreachable) and 0 <= k <= candidates.
Result<void> validate_problem(const LocationProblem& problem, int k);

// Figures of a given set of open sites.
double median_cost(const LocationProblem& problem,
                   std::span<const int> open); // kUnreachable if a reachable client is unserved
double covered_weight(const LocationProblem& problem, std::span<const int> open, double radius);
// The existing access points of a problem (sites marked fixed), in site order.
std::vector<int> fixed_sites(const LocationProblem& problem);
int covered_clients(const LocationProblem& problem, std::span<const int> open, double radius);
double max_distance(const LocationProblem& problem, std::span<const int> open);
// Clients (weight > 0) within the radius of at least two open sites: backup coverage.
int backup_clients(const LocationProblem& problem, std::span<const int> open, double radius);
// Clients with no site within `radius` (kUnreachable: with no finite distance at all).
std::vector<int> unreachable_clients(const LocationProblem& problem, double radius = kUnreachable);

Result<Solution> solve_p_median(const LocationProblem& problem, int k, const SearchOptions& options = {});
Result<Solution> solve_mclp(const LocationProblem& problem, int k, double radius, const SearchOptions& options = {});
Result<Solution> solve_p_center(const LocationProblem& problem, int k, const SearchOptions& options = {});

struct CoverOptions {
  double radius = kAccessThresholdKm;
  // Of the weight that can be reached at all (those beyond every site are reported, not planned for).
  double share = 1.0;
  bool backup = false; // among the fewest-site plans, maximize the clients covered twice
  SearchOptions search;
};

struct CoverResult {
  Solution solution; // objective = number of new sites
  double covered_weight = 0;
  double target_weight = 0;
  double unreachable_weight = 0; // population of Solution::unreachable
  int covered_clients = 0;
  int backup_clients = 0;
};

Result<CoverResult> solve_lscp(const LocationProblem& problem, const CoverOptions& options);

// Fills the CoverResult figures for a given plan (shared by the heuristic and the exact solver).
CoverResult describe_cover(const LocationProblem& problem, const CoverOptions& options, Solution solution);

} // namespace vikno::network
