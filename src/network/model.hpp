// Plain data of network planning (планування мережі ЦНАП): settlements (населені пункти) with their
// population, access points (точки доступу: ЦНАП, філія, віддалене робоче місце) with their windows,
// and the dense client x site matrix the location models work on.
//
// Everything here is a value type; the algorithms live in geo, accessibility, location and exact.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace vikno::network {

inline constexpr double kUnreachable = std::numeric_limits<double>::infinity();

// Cabinet of Ministers methodological recommendations (2021): a service point within 14 km.
inline constexpr double kAccessThresholdKm = 14.0;

struct GeoPoint {
  double lat_deg = 0;
  double lon_deg = 0;
};

struct Settlement {
  std::string id; // KATOTTG code or any unique string
  std::string name;
  double population = 0;
  GeoPoint location;
  std::string hromada; // groups for the coverage shares; empty when unknown
  std::string raion;
  std::string oblast;
};

struct AccessPoint {
  std::string id;
  std::string name;
  GeoPoint location;
  double windows = 1; // capacity in the floating catchment models
};

// The input of every location model: clients (settlements, tracts) with a weight, sites (existing
// access points and candidates) and the distance between them. Existing points are `fixed`: always
// open, never swapped out, never counted among the k new ones.
struct LocationProblem {
  int clients = 0;
  int sites = 0;
  std::vector<double> distance; // row-major clients x sites; kUnreachable where there is no path
  std::vector<double> weight;   // per client (population); must be >= 0
  std::vector<bool> fixed;      // per site
  std::vector<std::string> client_ids;
  std::vector<std::string> site_ids;

  double d(int client, int site) const {
    return distance[static_cast<std::size_t>(client) * static_cast<std::size_t>(sites) +
                    static_cast<std::size_t>(site)];
  }
};

// A set of open sites and its figure. `open` holds every open site (fixed ones too), sorted.
struct Solution {
  std::vector<int> open;
  std::vector<int> added; // the new sites only
  double objective = 0;
  std::vector<int> unreachable; // clients no site can serve at all (beyond the radius in coverage models)
  std::string method;           // "greedy", "greedy+teitz-bart", "glpk", ... : which method produced it
};

} // namespace vikno::network
