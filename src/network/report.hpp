// The two questions an analyst asks of network planning, answered once for every front door
// (`vikno network analyze|plan` and POST /api/v1/network/analyze|plan): run the accessibility
// analysis or a location model on parsed input, and render the answer as JSON, CSV or GeoJSON
// (the map layer: settlements coloured by distance, existing and proposed access points).
//
// Pure like the rest of network/: it takes parsed values and returns text; reading files or
// request bodies stays with the callers.
#pragma once

#include "common/error.hpp"
#include "network/accessibility.hpp"
#include "network/location.hpp"
#include "network/model.hpp"
#include "network/parse.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vikno::network {

enum class Format { json, csv, geojson };
std::optional<Format> format_from_string(std::string_view text);

struct AnalyzeOptions {
  double threshold_km = kAccessThresholdKm;
  double catchment_km = kAccessThresholdKm; // plain 2SFCA
  double detour_factor = 1.3;
  int worst = 20;
};

struct Analysis {
  AnalyzeOptions options;
  std::vector<Neighbor> nearest;
  CoverageReport report;
  CatchmentResult two_step, enhanced;
};

// With `matrix`, distances come from its records (and the detour factor is unused).
Result<Analysis> analyze(const std::vector<Settlement>& settlements, const std::vector<AccessPoint>& points,
                         const AnalyzeOptions& options, const std::vector<DistanceRecord>* matrix = nullptr);
std::string render_analysis(const Analysis& analysis, const std::vector<Settlement>& settlements,
                            const std::vector<AccessPoint>& points, Format format);

enum class Model { mclp, p_median, p_center, lscp };
std::optional<Model> model_from_string(std::string_view text);
std::string_view to_string(Model model);

struct PlanOptions {
  Model model = Model::mclp;
  int k = 1;                             // new sites (not for lscp)
  double radius_km = kAccessThresholdKm; // mclp, lscp; also the "covered before/after" figures
  double share = 1.0;                    // lscp
  bool backup = false;                   // lscp
  bool exact = false;                    // GLPK instead of the heuristics
  double exact_time_limit_s = 120;
  SearchOptions search{true, 8, 1};
};

struct Plan {
  PlanOptions options;
  Solution solution;
  std::optional<CoverResult> cover; // lscp only
  double population = 0;            // total weight of the clients
  double covered_before = 0;        // within the radius of an existing point
  double covered_after = 0;         // within the radius of an open site, new ones included
};

Result<Plan> plan(const LocationProblem& problem, const PlanOptions& options);
// `site_locations` (existing then candidates, as in the problem) places the GeoJSON features;
// without it (a matrix gave the distances) the features have no geometry.
std::string render_plan(const Plan& plan, const LocationProblem& problem,
                        const std::vector<AccessPoint>* site_locations, Format format);

// The settlements as candidate sites (a new point may open in any settlement).
std::vector<AccessPoint> settlements_as_sites(const std::vector<Settlement>& settlements);

} // namespace vikno::network
