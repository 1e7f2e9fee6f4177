// `vikno network ...`: accessibility analysis and location planning (network/), and the reference
// checks against public instances with known answers.
#include "cli/commands.hpp"

#include "network/accessibility.hpp"
#include "network/exact.hpp"
#include "network/location.hpp"
#include "network/parse.hpp"
#include "network/reference.hpp"
#include "network/report.hpp"

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

network::Format format_of(const InputArgs& in) {
  return network::format_from_string(in.format).value_or(network::Format::json);
}

void run_analyze(const AnalyzeArgs& args) {
  const auto settlements = load_settlements(args.in.settlements);
  const auto points = load_points(args.in.points);
  std::vector<network::DistanceRecord> matrix;
  if (!args.in.matrix.empty())
    matrix = load_matrix(args.in.matrix);
  const network::AnalyzeOptions options{args.threshold, args.catchment, args.in.detour, args.worst};
  auto analysis = network::analyze(settlements, points, options, args.in.matrix.empty() ? nullptr : &matrix);
  if (!analysis)
    fail_with(analysis.error());
  write_output(args.in, network::render_analysis(*analysis, settlements, points, format_of(args.in)));
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
    sites.reserve(existing.size() + candidates.size());
    for (const auto& a : existing)
      sites.push_back({a.id, true});
    for (const auto& a : candidates)
      sites.push_back({a.id, false});
    return network::problem_from_matrix(load_matrix(args.in.matrix), ids, weights, sites);
  }();
  if (!problem)
    fail_with(problem.error());
  network::PlanOptions options;
  options.model = network::model_from_string(args.model).value_or(network::Model::mclp);
  options.k = args.k;
  options.radius_km = args.radius;
  options.share = args.share;
  options.backup = args.backup;
  options.exact = args.exact;
  options.search = {true, args.restarts, args.seed};
  auto plan = network::plan(*problem, options);
  if (!plan)
    fail_with(plan.error());
  std::vector<network::AccessPoint> all_sites = existing;
  all_sites.insert(all_sites.end(), candidates.begin(), candidates.end());
  write_output(args.in, network::render_plan(*plan, *problem, args.in.matrix.empty() ? &all_sites : nullptr,
                                             format_of(args.in)));
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
