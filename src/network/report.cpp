#include "network/report.hpp"

#include "common/csv.hpp"
#include "network/exact.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace vikno::network {
namespace {

namespace bj = boost::json;
using Index = std::size_t;

// Access indices are printed per 10,000 residents: windows per person are unreadably small.
constexpr double kPer = 10000;

bj::object point_feature(std::optional<GeoPoint> where, bj::object properties) {
  bj::value geometry = nullptr;
  if (where)
    geometry = bj::object{{"type", "Point"}, {"coordinates", bj::array{where->lon_deg, where->lat_deg}}};
  return {{"type", "Feature"}, {"geometry", std::move(geometry)}, {"properties", std::move(properties)}};
}

bj::array groups_json(const std::vector<GroupShare>& groups) {
  bj::array out;
  for (const GroupShare& g : groups)
    out.push_back(bj::object{{"name", g.group},
                             {"settlements", g.settlements},
                             {"population", g.population},
                             {"covered_population", g.covered_population},
                             {"share", g.share},
                             {"worst_km", g.worst_km}});
  return out;
}

// JSON has no infinity: a distance nobody can cover is null.
bj::value km_or_null(double km) { return km == kUnreachable ? bj::value(nullptr) : bj::value(km); }

} // namespace

std::optional<Format> format_from_string(std::string_view text) {
  if (text == "json")
    return Format::json;
  if (text == "csv")
    return Format::csv;
  if (text == "geojson")
    return Format::geojson;
  return std::nullopt;
}

std::optional<Model> model_from_string(std::string_view text) {
  if (text == "mclp")
    return Model::mclp;
  if (text == "p-median")
    return Model::p_median;
  if (text == "p-center")
    return Model::p_center;
  if (text == "lscp")
    return Model::lscp;
  return std::nullopt;
}

std::string_view to_string(Model model) {
  switch (model) {
  case Model::mclp:
    return "mclp";
  case Model::p_median:
    return "p-median";
  case Model::p_center:
    return "p-center";
  case Model::lscp:
    return "lscp";
  }
  return "";
}

Result<Analysis> analyze(const std::vector<Settlement>& settlements, const std::vector<AccessPoint>& points,
                         const AnalyzeOptions& options, const std::vector<DistanceRecord>* matrix) {
  if (!(options.threshold_km > 0) || !(options.catchment_km > 0))
    return fail(Error::field(options.threshold_km > 0 ? "catchment_km" : "threshold_km", "must be a number > 0"));
  if (!(options.detour_factor >= 1) || options.detour_factor > 10)
    return fail(Error::field("detour_factor", "must be a number from 1 to 10"));
  Analysis a;
  a.options = options;
  AccessLists lists;
  if (matrix) {
    VIKNO_TRY(from_matrix, access_from_matrix(*matrix, settlements, points));
    lists = std::move(from_matrix);
    a.nearest = nearest_of(lists);
  } else {
    const double reach = std::max(options.catchment_km, kEnhancedSteps.back().upto_km);
    lists = access_within(settlements, points, reach, options.detour_factor);
    a.nearest = nearest_access(settlements, points, options.detour_factor);
  }
  a.report = coverage_report(settlements, a.nearest, options.threshold_km, std::max(0, options.worst));
  a.two_step = floating_catchment(settlements, points, lists, two_step_catchment(options.catchment_km));
  a.enhanced = floating_catchment(settlements, points, lists, kEnhancedSteps);
  return a;
}

std::string render_analysis(const Analysis& a, const std::vector<Settlement>& settlements,
                            const std::vector<AccessPoint>& points, Format format) {
  auto nearest_id = [&](Index i) {
    return a.nearest[i].site < 0 ? std::string() : points[static_cast<Index>(a.nearest[i].site)].id;
  };
  const double threshold = a.options.threshold_km;
  if (format == Format::csv) {
    std::string text = "id,name,population,nearest,distance_km,within_threshold,access_2sfca,access_e2sfca\n";
    for (Index i = 0; i < settlements.size(); ++i)
      text +=
          fmt::format("{},{},{},{},{},{},{:.6f},{:.6f}\n", csv::cell(settlements[i].id), csv::cell(settlements[i].name),
                      settlements[i].population, csv::cell(nearest_id(i)),
                      a.nearest[i].site < 0 ? std::string() : fmt::format("{:.3f}", a.nearest[i].km),
                      a.nearest[i].km <= threshold ? 1 : 0, a.two_step.access[i] * kPer, a.enhanced.access[i] * kPer);
    return text;
  }
  bj::array rows, features, worst;
  for (Index i = 0; i < settlements.size(); ++i) {
    bj::object row{{"id", settlements[i].id},
                   {"name", settlements[i].name},
                   {"population", settlements[i].population},
                   {"nearest", nearest_id(i)},
                   {"distance_km", a.nearest[i].site < 0 ? bj::value(nullptr) : bj::value(a.nearest[i].km)},
                   {"within_threshold", a.nearest[i].km <= threshold},
                   {"access_2sfca_per_10k", a.two_step.access[i] * kPer},
                   {"access_e2sfca_per_10k", a.enhanced.access[i] * kPer}};
    if (format == Format::geojson)
      features.push_back(point_feature(settlements[i].location, std::move(row)));
    else
      rows.push_back(std::move(row));
  }
  for (int i : a.report.worst)
    worst.push_back(bj::string(settlements[static_cast<Index>(i)].id));
  const CoverageReport& r = a.report;
  bj::object summary{{"threshold_km", threshold},
                     {"settlements", settlements.size()},
                     {"access_points", points.size()},
                     {"population", r.overall.population},
                     {"covered_population", r.overall.covered_population},
                     {"share", r.overall.share},
                     {"worst_km", km_or_null(r.overall.worst_km)},
                     {"by_hromada", groups_json(r.by_hromada)},
                     {"by_raion", groups_json(r.by_raion)},
                     {"by_oblast", groups_json(r.by_oblast)},
                     {"worst_served", std::move(worst)}};
  bj::object doc;
  if (format == Format::geojson)
    doc = {{"type", "FeatureCollection"}, {"features", std::move(features)}, {"summary", std::move(summary)}};
  else
    doc = {{"summary", std::move(summary)}, {"settlements", std::move(rows)}};
  return bj::serialize(doc) + "\n";
}

Result<Plan> plan(const LocationProblem& problem, const PlanOptions& o) {
  if (!(o.radius_km > 0))
    return fail(Error::field("radius_km", "must be a number > 0"));
  const ExactOptions exact{o.exact_time_limit_s};
  Plan out;
  out.options = o;
  switch (o.model) {
  case Model::p_median: {
    VIKNO_TRY(s, o.exact ? exact_p_median(problem, o.k, exact) : solve_p_median(problem, o.k, o.search));
    out.solution = std::move(s);
    break;
  }
  case Model::mclp: {
    VIKNO_TRY(s,
              o.exact ? exact_mclp(problem, o.k, o.radius_km, exact) : solve_mclp(problem, o.k, o.radius_km, o.search));
    out.solution = std::move(s);
    break;
  }
  case Model::p_center: {
    VIKNO_TRY(s, o.exact ? exact_p_center(problem, o.k, exact) : solve_p_center(problem, o.k, o.search));
    out.solution = std::move(s);
    break;
  }
  case Model::lscp: {
    const CoverOptions cover{o.radius_km, o.share, o.backup, o.search};
    VIKNO_TRY(r, o.exact ? exact_lscp(problem, cover, exact) : solve_lscp(problem, cover));
    out.solution = r.solution;
    out.cover = std::move(r);
    break;
  }
  }
  out.population = std::accumulate(problem.weight.begin(), problem.weight.end(), 0.0);
  out.covered_before = covered_weight(problem, fixed_sites(problem), o.radius_km);
  out.covered_after = covered_weight(problem, out.solution.open, o.radius_km);
  return out;
}

std::string render_plan(const Plan& plan, const LocationProblem& p, const std::vector<AccessPoint>* site_locations,
                        Format format) {
  const Solution& s = plan.solution;
  auto site_name = [&](Index j) { return site_locations ? (*site_locations)[j].name : std::string(); };
  if (format == Format::csv) {
    std::string text = "site,name,existing,new,lat,lon\n";
    for (int j : s.open) {
      const auto jj = static_cast<Index>(j);
      const bool fixed = p.fixed[jj];
      std::string lat, lon;
      if (site_locations) {
        lat = fmt::format("{:.5f}", (*site_locations)[jj].location.lat_deg);
        lon = fmt::format("{:.5f}", (*site_locations)[jj].location.lon_deg);
      }
      text += fmt::format("{},{},{},{},{},{}\n", csv::cell(p.site_ids[jj]), csv::cell(site_name(jj)), fixed ? 1 : 0,
                          fixed ? 0 : 1, lat, lon);
    }
    return text;
  }
  bj::array sites, unreachable;
  for (int j : s.open) {
    const auto jj = static_cast<Index>(j);
    bj::object site{{"id", p.site_ids[jj]}, {"name", site_name(jj)}, {"existing", static_cast<bool>(p.fixed[jj])}};
    if (format == Format::geojson)
      sites.push_back(point_feature(site_locations ? std::optional((*site_locations)[jj].location) : std::nullopt,
                                    std::move(site)));
    else
      sites.push_back(std::move(site));
  }
  for (int i : s.unreachable)
    unreachable.push_back(bj::string(p.client_ids[static_cast<Index>(i)]));
  const PlanOptions& o = plan.options;
  bj::object summary{{"model", to_string(o.model)},
                     {"k", o.model == Model::lscp ? static_cast<int>(s.added.size()) : o.k},
                     {"new_sites", s.added.size()},
                     {"objective", km_or_null(s.objective)},
                     {"method", s.method},
                     {"radius_km", o.radius_km},
                     {"population", plan.population},
                     {"covered_before", plan.covered_before},
                     {"covered_after", plan.covered_after},
                     {"unreachable", std::move(unreachable)}};
  if (plan.cover) {
    summary["covered_population"] = plan.cover->covered_weight;
    summary["target_population"] = plan.cover->target_weight;
    summary["unreachable_population"] = plan.cover->unreachable_weight;
    summary["backup_settlements"] = plan.cover->backup_clients;
  }
  bj::object doc;
  if (format == Format::geojson)
    doc = {{"type", "FeatureCollection"}, {"features", std::move(sites)}, {"summary", std::move(summary)}};
  else
    doc = {{"summary", std::move(summary)}, {"sites", std::move(sites)}};
  return bj::serialize(doc) + "\n";
}

std::vector<AccessPoint> settlements_as_sites(const std::vector<Settlement>& settlements) {
  std::vector<AccessPoint> out;
  out.reserve(settlements.size());
  for (const Settlement& s : settlements)
    out.push_back({s.id, s.name, s.location, 1.0});
  return out;
}

} // namespace vikno::network
