// Readers of outside input for network planning: settlements, access points, a long-format
// distance matrix (origin,destination,distance) and OR-Library p-median files. They take a stream
// and never touch the file system; every problem comes back with its 1-based line, and nothing is
// returned from a file that had any problem (no plan is computed from partial data).
#pragma once

#include "common/error.hpp"
#include "network/model.hpp"

#include <istream>
#include <string>
#include <vector>

namespace vikno::network {

// A CSV file split into fields (RFC 4180 quoting), with the line each record starts on.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int> lines;
  // Index of a column by case-insensitive name, or -1.
  int column(std::string_view name) const;
};
Result<CsvTable> read_csv(std::istream& in);

// Column names; the defaults are Vikno's own export format.
struct SettlementColumns {
  std::string id = "id", name = "name", population = "population", lat = "lat", lon = "lon";
  std::string hromada = "hromada", raion = "raion", oblast = "oblast"; // optional
};
Result<std::vector<Settlement>> parse_settlements(std::istream& in, const SettlementColumns& columns = {});

struct AccessPointColumns {
  std::string id = "id", name = "name", lat = "lat", lon = "lon", windows = "windows"; // windows optional (1)
};
Result<std::vector<AccessPoint>> parse_access_points(std::istream& in, const AccessPointColumns& columns = {});

struct DistanceRecord {
  std::string origin;      // a client: settlement, tract
  std::string destination; // a site: access point, candidate
  double distance = 0;
  int line = 0;
};
struct MatrixColumns {
  std::string origin = "origin", destination = "destination", distance = "distance";
};
Result<std::vector<DistanceRecord>> parse_distance_matrix(std::istream& in, const MatrixColumns& columns = {});

// Builds the dense problem from matrix records; a pair the file does not list is kUnreachable.
// Names not among the clients or sites are errors carrying the record's line.
struct SiteSpec {
  std::string id;
  bool fixed = false;
};
Result<LocationProblem> problem_from_matrix(const std::vector<DistanceRecord>& records,
                                            const std::vector<std::string>& client_ids,
                                            const std::vector<double>& weights, const std::vector<SiteSpec>& sites);

// Great-circle km x detour factor from every settlement to every site (existing points first, fixed).
Result<LocationProblem> problem_from_geo(const std::vector<Settlement>& settlements,
                                         const std::vector<AccessPoint>& existing,
                                         const std::vector<AccessPoint>& candidates, double detour_factor);

// OR-Library pmed: "n m p" then m lines "i j cost" (1-based, undirected). The last duplicate of an
// edge wins; then Floyd-Warshall. Every vertex is a client (weight 1) and a candidate.
struct OrLibInstance {
  LocationProblem problem;
  int p = 0;
};
Result<OrLibInstance> parse_orlib_pmed(std::istream& in);

// All-pairs shortest paths in place over an n x n matrix (kUnreachable = no edge).
void floyd_warshall(std::vector<double>& d, int n);

} // namespace vikno::network
