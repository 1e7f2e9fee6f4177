// HTTP mapping of network planning for analysts: POST /api/v1/network/analyze (nearest access
// point, coverage shares, worst served, 2SFCA/E2SFCA) and POST /api/v1/network/plan (k new access
// points by MCLP, p-median, p-center or LSCP), JSON in, JSON / CSV / GeoJSON out (?format=).
//
// Settlements, access points and candidates come inline in the body (arrays of objects, or CSV
// text); `"settlements": "builtin"` uses the shipped file of Ukrainian settlements, read once when
// the routes are added; `"points": "registry"` uses the registry's active centers, branches, remote
// workplaces and mobile offices that have coordinates (windows as capacity), read per request. Every input problem is
// reported (field path or CSV line) before anything is computed. A plan runs on the worker pool, so it is bounded:
// instance size, k, restarts and one plan at a time per process; the limits are named in the errors.
#pragma once

#include "http/router.hpp"

#include <filesystem>
#include <functional>
#include <vector>

#include "network/model.hpp"

namespace vikno::network {

struct RoutesOptions {
  // Relative paths resolve against the working directory; a missing file only disables "builtin".
  std::filesystem::path settlements_file = "data/geo/ua-settlements.csv";
  // `"points": "registry"`: the registry's working access points (the app reads them, so this
  // library does not depend on the registry). Unset: "registry" is refused.
  std::function<std::vector<AccessPoint>()> registry_points;
};

void add_network_routes(http::Router& router, const RoutesOptions& options = {});

} // namespace vikno::network
