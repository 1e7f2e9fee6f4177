// `vikno network ...`: accessibility analysis and location planning (network/), and the reference
// checks against public instances with known answers.
#include "cli/commands.hpp"

#include "network/accessibility.hpp"
#include "network/exact.hpp"
#include "network/location.hpp"
#include "network/parse.hpp"
#include "network/reference.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

namespace vikno::cli {
namespace {

struct ReferenceArgs {
  std::string dir = "../shared/data/reference";
  bool no_exact = false;
  int restarts = 32;
  std::uint64_t seed = 20210714;
};

void print_error(const Error& e) {
  fmt::print(stderr, "error: {} ({})\n", e.message, e.code);
  for (const FieldProblem& p : e.problems)
    fmt::print(stderr, "  {}{}{}\n", p.line > 0 ? fmt::format("line {}: ", p.line) : "",
               p.field.empty() ? "" : p.field + ": ", p.problem);
}

void run_reference(const ReferenceArgs& args) {
  network::ReferenceOptions options;
  options.exact = !args.no_exact;
  options.restarts = args.restarts;
  options.seed = args.seed;
  auto figures = network::run_reference_checks(args.dir, options);
  if (!figures) {
    print_error(figures.error());
    throw CLI::RuntimeError(2);
  }
  int bad = 0;
  fmt::print("{:<52} {:>26} {:>26}  {:<4} {}\n", "figure", "got", "expected", "", "method");
  for (const network::ReferenceFigure& f : *figures) {
    bad += f.ok ? 0 : 1;
    fmt::print("{:<52} {:>26} {:>26}  {:<4} {}\n", f.name, f.got, f.expected, f.ok ? "ok" : "FAIL", f.method);
  }
  fmt::print("{} figures, {} mismatches\n", figures->size(), bad);
  if (bad > 0)
    throw CLI::RuntimeError(1);
}

namespace bj = boost::json;

struct InputArgs {
  std::string settlements, points, candidates, matrix;
  double detour = 1.3;
  std::string format = "json";
  std::string out;
};

struct AnalyzeArgs {
  InputArgs in;
  double threshold = network::kAccessThresholdKm;
  double catchment = network::kAccessThresholdKm;
  int worst = 20;
};

struct PlanArgs {
  InputArgs in;
  std::string model = "mclp";
  int k = 1;
  double radius = network::kAccessThresholdKm;
  double share = 1.0;
  bool exact = false;
  bool backup = false;
  int restarts = 8;
  std::uint64_t seed = 1;
};

[[noreturn]] void fail_with(const Error& e) {
  print_error(e);
  throw CLI::RuntimeError(2);
}

template <class T, class Parse> T load(const std::string& path, Parse&& parse) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    fail_with(Error::not_found("file_missing", "cannot open " + path));
  auto r = parse(file);
  if (!r) {
    Error e = r.error();
    e.message = path + ": " + e.message;
    fail_with(e);
  }
  return std::move(*r);
}

std::vector<network::Settlement> load_settlements(const std::string& path) {
  return load<std::vector<network::Settlement>>(path, [](std::istream& in) { return network::parse_settlements(in); });
}
std::vector<network::AccessPoint> load_points(const std::string& path) {
  if (path.empty())
    return {};
  return load<std::vector<network::AccessPoint>>(path,
                                                 [](std::istream& in) { return network::parse_access_points(in); });
}
std::vector<network::DistanceRecord> load_matrix(const std::string& path) {
  return load<std::vector<network::DistanceRecord>>(
      path, [](std::istream& in) { return network::parse_distance_matrix(in); });
}

void write_output(const InputArgs& in, const std::string& text) {
  if (in.out.empty()) {
    std::cout << text;
    return;
  }
  std::ofstream file(in.out, std::ios::binary);
  file << text;
  if (!file)
    fail_with(Error{ErrorKind::internal, "write_failed", "cannot write " + in.out, {}});
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos)
    return s;
  std::string out = "\"";
  for (char c : s)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

bj::object point_feature(network::GeoPoint where, bj::object properties) {
  return {{"type", "Feature"},
          {"geometry", bj::object{{"type", "Point"}, {"coordinates", bj::array{where.lon_deg, where.lat_deg}}}},
          {"properties", std::move(properties)}};
}

bj::array groups_json(const std::vector<network::GroupShare>& groups) {
  bj::array out;
  for (const network::GroupShare& g : groups)
    out.push_back(bj::object{{"name", g.group},
                             {"settlements", g.settlements},
                             {"population", g.population},
                             {"covered_population", g.covered_population},
                             {"share", g.share},
                             {"worst_km", g.worst_km}});
  return out;
}

void run_analyze(const AnalyzeArgs& args) {
  const auto settlements = load_settlements(args.in.settlements);
  const auto points = load_points(args.in.points);
  network::AccessLists lists;
  const double reach = std::max(args.catchment, network::kEnhancedSteps.back().upto_km);
  std::vector<network::Neighbor> nearest;
  if (!args.in.matrix.empty()) {
    auto r = network::access_from_matrix(load_matrix(args.in.matrix), settlements, points);
    if (!r)
      fail_with(r.error());
    lists = std::move(*r);
    nearest = network::nearest_of(lists);
  } else {
    lists = network::access_within(settlements, points, reach, args.in.detour);
    nearest = network::nearest_access(settlements, points, args.in.detour);
  }
  const auto report = network::coverage_report(settlements, nearest, args.threshold, args.worst);
  const auto two_step =
      network::floating_catchment(settlements, points, lists, network::two_step_catchment(args.catchment));
  const auto enhanced = network::floating_catchment(settlements, points, lists, network::kEnhancedSteps);
  // Access indices are printed per 10,000 residents: windows per person are unreadably small.
  constexpr double kPer = 10000;
  auto nearest_id = [&](std::size_t i) {
    return nearest[i].site < 0 ? std::string() : points[static_cast<std::size_t>(nearest[i].site)].id;
  };
  std::string text;
  if (args.in.format == "csv") {
    text = "id,name,population,nearest,distance_km,within_threshold,access_2sfca,access_e2sfca\n";
    for (std::size_t i = 0; i < settlements.size(); ++i)
      text += fmt::format("{},{},{},{},{:.3f},{},{:.6f},{:.6f}\n", csv_field(settlements[i].id),
                          csv_field(settlements[i].name), settlements[i].population, csv_field(nearest_id(i)),
                          nearest[i].km, nearest[i].km <= args.threshold ? 1 : 0, two_step.access[i] * kPer,
                          enhanced.access[i] * kPer);
  } else {
    bj::array rows, features, worst;
    for (std::size_t i = 0; i < settlements.size(); ++i) {
      bj::object row{{"id", settlements[i].id},
                     {"name", settlements[i].name},
                     {"population", settlements[i].population},
                     {"nearest", nearest_id(i)},
                     {"distance_km", nearest[i].site < 0 ? bj::value(nullptr) : bj::value(nearest[i].km)},
                     {"within_threshold", nearest[i].km <= args.threshold},
                     {"access_2sfca_per_10k", two_step.access[i] * kPer},
                     {"access_e2sfca_per_10k", enhanced.access[i] * kPer}};
      if (args.in.format == "geojson")
        features.push_back(point_feature(settlements[i].location, std::move(row)));
      else
        rows.push_back(std::move(row));
    }
    for (int i : report.worst)
      worst.push_back(bj::string(settlements[static_cast<std::size_t>(i)].id));
    bj::object summary{{"threshold_km", args.threshold},
                       {"population", report.overall.population},
                       {"covered_population", report.overall.covered_population},
                       {"share", report.overall.share},
                       {"worst_km", report.overall.worst_km},
                       {"by_hromada", groups_json(report.by_hromada)},
                       {"by_raion", groups_json(report.by_raion)},
                       {"by_oblast", groups_json(report.by_oblast)},
                       {"worst_served", std::move(worst)}};
    bj::object doc;
    if (args.in.format == "geojson")
      doc = {{"type", "FeatureCollection"}, {"features", std::move(features)}, {"summary", std::move(summary)}};
    else
      doc = {{"summary", std::move(summary)}, {"settlements", std::move(rows)}};
    text = bj::serialize(doc) + "\n";
  }
  write_output(args.in, text);
}

void run_plan(const PlanArgs& args) {
  const auto settlements = load_settlements(args.in.settlements);
  const auto existing = load_points(args.in.points);
  const auto candidates = load_points(args.in.candidates);
  Result<network::LocationProblem> problem = [&]() -> Result<network::LocationProblem> {
    if (args.in.matrix.empty())
      return network::problem_from_geo(settlements, existing, candidates, args.in.detour);
    std::vector<std::string> ids;
    std::vector<double> weights;
    for (const auto& s : settlements) {
      ids.push_back(s.id);
      weights.push_back(s.population);
    }
    std::vector<network::SiteSpec> sites;
    for (const auto& a : existing)
      sites.push_back({a.id, true});
    for (const auto& a : candidates)
      sites.push_back({a.id, false});
    return network::problem_from_matrix(load_matrix(args.in.matrix), ids, weights, sites);
  }();
  if (!problem)
    fail_with(problem.error());
  const network::SearchOptions search{true, args.restarts, args.seed};
  Result<network::Solution> solution = fail(Error::invalid("unknown_model", "unknown model " + args.model));
  std::optional<network::CoverResult> cover;
  if (args.model == "p-median")
    solution =
        args.exact ? network::exact_p_median(*problem, args.k) : network::solve_p_median(*problem, args.k, search);
  else if (args.model == "mclp")
    solution = args.exact ? network::exact_mclp(*problem, args.k, args.radius)
                          : network::solve_mclp(*problem, args.k, args.radius, search);
  else if (args.model == "p-center")
    solution =
        args.exact ? network::exact_p_center(*problem, args.k) : network::solve_p_center(*problem, args.k, search);
  else if (args.model == "lscp") {
    network::CoverOptions options{args.radius, args.share, args.backup, search};
    auto r = args.exact ? network::exact_lscp(*problem, options) : network::solve_lscp(*problem, options);
    if (r) {
      cover = *r;
      solution = r->solution;
    } else {
      solution = fail(r.error());
    }
  }
  if (!solution)
    fail_with(solution.error());
  const network::LocationProblem& p = *problem;
  std::vector<network::AccessPoint> all_sites = existing;
  all_sites.insert(all_sites.end(), candidates.begin(), candidates.end());
  std::string text;
  if (args.in.format == "csv") {
    text = "site,fixed,new\n";
    for (int j : solution->open)
      text += fmt::format("{},{},{}\n", csv_field(p.site_ids[static_cast<std::size_t>(j)]),
                          p.fixed[static_cast<std::size_t>(j)] ? 1 : 0, p.fixed[static_cast<std::size_t>(j)] ? 0 : 1);
  } else {
    bj::array sites, unreachable;
    for (int j : solution->open) {
      const auto jj = static_cast<std::size_t>(j);
      bj::object site{{"id", p.site_ids[jj]}, {"existing", static_cast<bool>(p.fixed[jj])}};
      if (args.in.format == "geojson" && args.in.matrix.empty())
        sites.push_back(point_feature(all_sites[jj].location, std::move(site)));
      else
        sites.push_back(std::move(site));
    }
    for (int i : solution->unreachable)
      unreachable.push_back(bj::string(p.client_ids[static_cast<std::size_t>(i)]));
    bj::object summary{{"model", args.model},
                       {"k", args.k},
                       {"objective", solution->objective},
                       {"method", solution->method},
                       {"unreachable", std::move(unreachable)}};
    if (cover) {
      summary["covered_population"] = cover->covered_weight;
      summary["target_population"] = cover->target_weight;
      summary["unreachable_population"] = cover->unreachable_weight;
      summary["backup_settlements"] = cover->backup_clients;
    }
    bj::object doc;
    if (args.in.format == "geojson")
      doc = {{"type", "FeatureCollection"}, {"features", std::move(sites)}, {"summary", std::move(summary)}};
    else
      doc = {{"summary", std::move(summary)}, {"sites", std::move(sites)}};
    text = bj::serialize(doc) + "\n";
  }
  write_output(args.in, text);
}

void add_input_options(CLI::App* cmd, InputArgs& in, bool candidates) {
  cmd->add_option("--settlements", in.settlements, "CSV: id,name,population,lat,lon[,hromada,raion,oblast]")
      ->required();
  cmd->add_option("--points", in.points, "CSV of existing access points: id,name,lat,lon[,windows]")
      ->required(!candidates);
  if (candidates)
    cmd->add_option("--candidates", in.candidates, "CSV of candidate sites: id,name,lat,lon")->required();
  cmd->add_option("--matrix", in.matrix, "CSV origin,destination,distance (km) instead of great-circle distances");
  cmd->add_option("--detour", in.detour, "Detour factor applied to great-circle km")->capture_default_str();
  cmd->add_option("--format", in.format, "json, csv or geojson")
      ->check(CLI::IsMember({"json", "csv", "geojson"}))
      ->capture_default_str();
  cmd->add_option("--out", in.out, "Output file (default: standard output)");
}

} // namespace

void add_network_command(CLI::App& app) {
  CLI::App* network = app.add_subcommand("network", "Accessibility of the network of centers and location planning");
  network->require_subcommand(1);

  auto reference = std::make_shared<ReferenceArgs>();
  CLI::App* ref =
      network->add_subcommand("reference", "Check the models against reference instances with known answers");
  ref->add_option("dir", reference->dir, "Folder with the reference instances")->capture_default_str();
  ref->add_flag("--no-exact", reference->no_exact, "Skip the GLPK confirmation");
  ref->add_option("--restarts", reference->restarts, "Extra local searches from random starts")->capture_default_str();
  ref->add_option("--seed", reference->seed, "Seed of the random starts")->capture_default_str();
  ref->callback([reference] { run_reference(*reference); });

  auto analyze = std::make_shared<AnalyzeArgs>();
  CLI::App* an =
      network->add_subcommand("analyze", "Nearest access point, coverage shares, worst served, 2SFCA/E2SFCA");
  add_input_options(an, analyze->in, false);
  an->add_option("--threshold", analyze->threshold, "Accessibility threshold, km")->capture_default_str();
  an->add_option("--catchment", analyze->catchment, "2SFCA catchment, km")->capture_default_str();
  an->add_option("--worst", analyze->worst, "How many worst-served settlements to list")->capture_default_str();
  an->callback([analyze] { run_analyze(*analyze); });

  auto plan = std::make_shared<PlanArgs>();
  CLI::App* pl = network->add_subcommand("plan", "Choose k new access points among candidates (existing ones stay)");
  add_input_options(pl, plan->in, true);
  pl->add_option("--model", plan->model, "mclp, p-median, p-center or lscp")
      ->check(CLI::IsMember({"mclp", "p-median", "p-center", "lscp"}))
      ->capture_default_str();
  pl->add_option("-k", plan->k, "New access points to open (not for lscp)")->capture_default_str();
  pl->add_option("--radius", plan->radius, "Coverage radius, km (mclp, lscp)")->capture_default_str();
  pl->add_option("--share", plan->share, "lscp: share of the reachable population to cover")->capture_default_str();
  pl->add_flag("--backup", plan->backup, "lscp: among the fewest-site plans, most settlements covered twice");
  pl->add_flag("--exact", plan->exact, "Solve with GLPK (small instances)");
  pl->add_option("--restarts", plan->restarts, "Extra local searches from random starts")->capture_default_str();
  pl->add_option("--seed", plan->seed, "Seed of the random starts")->capture_default_str();
  pl->callback([plan] { run_plan(*plan); });
}

} // namespace vikno::cli
