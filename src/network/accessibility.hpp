// Geographic accessibility of the existing network (доступність): each settlement's nearest access
// point and its distance, the share of the population within the threshold (14 km by the 2021
// criterion) overall and per hromada / raion / oblast, the worst-served settlements, and the
// floating catchment indices 2SFCA and E2SFCA with an access point's windows as its capacity.
//
// Distances come either from coordinates (great-circle km x a detour factor, through a grid
// index) or from an imported matrix; both give, per settlement, the access points it can reach
// sorted by distance, and everything else is computed from those lists.
#pragma once

#include "common/error.hpp"
#include "network/geo.hpp"
#include "network/model.hpp"
#include "network/parse.hpp"

#include <string>
#include <vector>

namespace vikno::network {

// Per settlement, the access points within reach sorted by distance (road-equivalent km).
using AccessLists = std::vector<std::vector<Neighbor>>;

// Nearest access point of every settlement by great-circle km x detour (site -1 when there is none).
std::vector<Neighbor> nearest_access(const std::vector<Settlement>& settlements, const std::vector<AccessPoint>& points,
                                     double detour_factor);
// Every access point within `radius_km` (road-equivalent) of each settlement.
AccessLists access_within(const std::vector<Settlement>& settlements, const std::vector<AccessPoint>& points,
                          double radius_km, double detour_factor);
// The same lists from an imported matrix (origin = settlement id, destination = access point id);
// unknown ids are errors with their line. A settlement the matrix does not list has no access.
Result<AccessLists> access_from_matrix(const std::vector<DistanceRecord>& records,
                                       const std::vector<Settlement>& settlements,
                                       const std::vector<AccessPoint>& points);
std::vector<Neighbor> nearest_of(const AccessLists& lists);

struct GroupShare {
  std::string group; // hromada / raion / oblast name; "" for the overall figure
  int settlements = 0;
  double population = 0;
  double covered_population = 0; // within the threshold
  double share = 0;              // covered / population (0 when nobody lives there)
  double worst_km = 0;           // largest nearest distance among its inhabited settlements
};

struct CoverageReport {
  double threshold_km = kAccessThresholdKm;
  GroupShare overall;
  std::vector<GroupShare> by_hromada, by_raion, by_oblast; // sorted by share, worst first
  std::vector<int> worst;                                  // settlement indices, farthest first
};

CoverageReport coverage_report(const std::vector<Settlement>& settlements, const std::vector<Neighbor>& nearest,
                               double threshold_km = kAccessThresholdKm, int worst_count = 20);

// A distance-decay step: weight applies up to and including `upto_km` (and beyond the previous step).
struct CatchmentStep {
  double upto_km = 0;
  double weight = 0;
};
// E2SFCA as Luo and Qi (2009) use it: 1 / 0.68 / 0.22 within 10 / 20 / 30 km.
inline const std::vector<CatchmentStep> kEnhancedSteps = {{10, 1.0}, {20, 0.68}, {30, 0.22}};
// Plain 2SFCA: one catchment, weight 1.
inline std::vector<CatchmentStep> two_step_catchment(double catchment_km) { return {{catchment_km, 1.0}}; }

struct CatchmentResult {
  std::vector<double> supply_ratio; // per access point: windows / weighted population in its catchment
  std::vector<double> access;       // per settlement: sum of weighted ratios (windows per resident)
};

// Two-step floating catchment: R_j = windows_j / sum_k P_k W(d_kj), A_i = sum_j R_j W(d_ij).
// `lists` must hold every access point within the last step (access_within with that radius).
CatchmentResult floating_catchment(const std::vector<Settlement>& settlements, const std::vector<AccessPoint>& points,
                                   const AccessLists& lists, const std::vector<CatchmentStep>& steps);

} // namespace vikno::network
