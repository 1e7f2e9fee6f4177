// Network-planning benchmark: prints each figure next to its anchor measured in the same run.
//  - p-median on OR-Library pmed1 / pmed5 (when the reference folder exists) and on random graphs:
//    greedy, greedy + Teitz-Bart, restarts, each as a gap to GLPK's optimum and its time next to GLPK's.
//  - accessibility of ~30k settlements x 4.5k access points: grid index against a full scan.
//  - on the shipped Ukrainian settlements (data/geo/ua-settlements.csv): accessibility against a
//    synthetic network, and MCLP for k = 1..50 at 14 km with every settlement a candidate, each
//    plan next to GLPK's proven optimum where GLPK finishes within its per-solve limit.
// Usage: network_bench [reference_dir [settlements.csv]]   (about two minutes on one core)
#include "network/accessibility.hpp"
#include "network/exact.hpp"
#include "network/location.hpp"
#include "network/parse.hpp"
#include "network/report.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>

using namespace vikno::network;

namespace {

template <class F> double seconds(F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// An OR-Library-like instance: a random connected graph with integer costs 1..100, then shortest paths.
LocationProblem random_graph(int n, int edges, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> vertex(0, n - 1), cost(1, 100);
  std::vector<double> d(static_cast<std::size_t>(n) * static_cast<std::size_t>(n), kUnreachable);
  auto edge = [&](int a, int b) {
    const double c = cost(rng);
    d[static_cast<std::size_t>(a) * static_cast<std::size_t>(n) + static_cast<std::size_t>(b)] = c;
    d[static_cast<std::size_t>(b) * static_cast<std::size_t>(n) + static_cast<std::size_t>(a)] = c;
  };
  for (int v = 1; v < n; ++v) // a random spanning tree keeps the graph connected
    edge(v, std::uniform_int_distribution<int>(0, v - 1)(rng));
  for (int e = n - 1; e < edges; ++e)
    edge(vertex(rng), vertex(rng));
  for (int v = 0; v < n; ++v)
    d[static_cast<std::size_t>(v) * static_cast<std::size_t>(n) + static_cast<std::size_t>(v)] = 0;
  floyd_warshall(d, n);
  LocationProblem p;
  p.clients = p.sites = n;
  p.distance = std::move(d);
  p.weight.assign(static_cast<std::size_t>(n), 1.0);
  p.fixed.assign(static_cast<std::size_t>(n), false);
  return p;
}

void p_median_row(const std::string& name, const LocationProblem& p, int k, double glpk_limit_s,
                  std::optional<double> known_optimum) {
  Solution greedy, tb, restarts;
  (void)solve_p_median(p, k, {false, 0, 1}); // warm the caches so the first timing is not penalized
  const double t_greedy = seconds([&] { greedy = *solve_p_median(p, k, {false, 0, 1}); });
  const double t_tb = seconds([&] { tb = *solve_p_median(p, k, {true, 0, 1}); });
  const double t_restarts = seconds([&] { restarts = *solve_p_median(p, k, {true, 10, 1}); });
  vikno::Result<Solution> exact = vikno::fail(vikno::Error::invalid("skipped", "skipped"));
  double t_exact = 0;
  if (glpk_limit_s > 0)
    t_exact = seconds([&] { exact = exact_p_median(p, k, ExactOptions{glpk_limit_s}); });
  const double reference = exact ? exact->objective : known_optimum.value_or(restarts.objective);
  const char* anchor = exact ? "glpk optimum" : known_optimum ? "known optimum" : "best found (10 restarts)";
  auto gap = [&](double v) { return 100.0 * (v - reference) / reference; };
  std::printf("%-28s p=%-3d %s %.0f", name.c_str(), k, anchor, reference);
  if (exact)
    std::printf(" in %.3f s", t_exact);
  else if (glpk_limit_s > 0)
    std::printf(" (glpk: %s after %.1f s)", exact.error().message.c_str(), t_exact);
  std::printf("\n    greedy              %10.0f  gap %6.3f%%  %8.4f s\n", greedy.objective, gap(greedy.objective),
              t_greedy);
  std::printf("    greedy+teitz-bart   %10.0f  gap %6.3f%%  %8.4f s", tb.objective, gap(tb.objective), t_tb);
  if (exact)
    std::printf("  (%.0fx faster than glpk)", t_exact / std::max(t_tb, 1e-9));
  std::printf("\n    + 10 restarts       %10.0f  gap %6.3f%%  %8.4f s\n", restarts.objective, gap(restarts.objective),
              t_restarts);
}

void accessibility_row() {
  // Synthetic Ukraine: 30k settlements and 4.5k access points uniformly over the country's box.
  std::mt19937_64 rng(2025);
  std::uniform_real_distribution<double> lat(44.4, 52.4), lon(22.1, 40.2);
  std::lognormal_distribution<double> pop(6.0, 1.3);
  std::vector<Settlement> settlements(30000);
  for (std::size_t i = 0; i < settlements.size(); ++i) {
    settlements[i].id = std::to_string(i);
    settlements[i].population = std::round(pop(rng));
    settlements[i].location = {lat(rng), lon(rng)};
    settlements[i].hromada = "h" + std::to_string(i % 1470);
  }
  std::vector<AccessPoint> points(4500);
  for (std::size_t j = 0; j < points.size(); ++j)
    points[j] = {std::to_string(j), "", {lat(rng), lon(rng)}, 1.0 + static_cast<double>(j % 8)};

  std::vector<Neighbor> nearest;
  double best = 1e9;
  for (int rep = 0; rep < 5; ++rep) // best of 5 against noise from the other engineers' builds
    best = std::min(best, seconds([&] { nearest = nearest_access(settlements, points, 1.3); }));
  // Anchor: the plain scan over every access point, timed on 2,000 settlements and scaled.
  const std::size_t sample = 2000;
  double checksum = 0;
  const double t_scan = seconds([&] {
    for (std::size_t i = 0; i < sample; ++i) {
      double d = kUnreachable;
      for (const AccessPoint& a : points)
        d = std::min(d, haversine_km(settlements[i].location, a.location));
      checksum += d;
    }
  });
  double grid_sum = 0;
  for (std::size_t i = 0; i < sample; ++i)
    grid_sum += nearest[i].km / 1.3;
  const double scan_full = t_scan * static_cast<double>(settlements.size()) / sample;
  std::printf("accessibility 30000 settlements x 4500 points (detour 1.3)\n");
  std::printf("    nearest, grid index %8.2f ms (target < 20 ms); full scan %8.1f ms (extrapolated from %zu): %.0fx; "
              "agree: %s\n",
              best * 1e3, scan_full * 1e3, sample, scan_full / best,
              std::abs(grid_sum - checksum) < 1e-6 ? "yes" : "NO");
  CoverageReport report;
  const double t_report = seconds([&] { report = coverage_report(settlements, nearest, kAccessThresholdKm, 20); });
  std::printf("    coverage report     %8.2f ms: %.1f%% within 14 km, %zu hromadas\n", t_report * 1e3,
              100 * report.overall.share, report.by_hromada.size());
  AccessLists lists;
  CatchmentResult e2sfca;
  const double t_lists = seconds([&] { lists = access_within(settlements, points, 30.0, 1.3); });
  const double t_fca = seconds([&] { e2sfca = floating_catchment(settlements, points, lists, kEnhancedSteps); });
  std::size_t pairs = 0;
  for (const auto& l : lists)
    pairs += l.size();
  std::printf("    pairs within 30 km  %8.2f ms (%zu pairs); E2SFCA %8.2f ms\n", t_lists * 1e3, pairs, t_fca * 1e3);
}

std::optional<std::vector<Settlement>> shipped_settlements(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::printf("%s: not found, Ukrainian rows skipped\n", file.c_str());
    return std::nullopt;
  }
  auto parsed = parse_settlements(in);
  if (!parsed) {
    std::printf("%s: %s\n", file.c_str(), parsed.error().message.c_str());
    return std::nullopt;
  }
  return std::move(*parsed);
}

// A synthetic network over the real settlements: one access point in a seeded random 1 in 2 of
// them (about the 1,470 hromadas' centers plus branches), windows 1..8.
std::vector<AccessPoint> synthetic_points(const std::vector<Settlement>& settlements) {
  std::mt19937_64 rng(14);
  std::vector<AccessPoint> points;
  for (const Settlement& s : settlements)
    if (rng() % 2 == 0)
      points.push_back({"p" + s.id, s.name, s.location, 1.0 + static_cast<double>(points.size() % 8)});
  return points;
}

void ukraine_accessibility_row(const std::vector<Settlement>& settlements) {
  const std::vector<AccessPoint> points = synthetic_points(settlements);
  std::vector<Neighbor> nearest;
  CoverageReport report;
  double best = 1e9;
  for (int rep = 0; rep < 5; ++rep) // best of 5 against noise from the other engineers' builds
    best = std::min(best, seconds([&] {
                      nearest = nearest_access(settlements, points, 1.3);
                      report = coverage_report(settlements, nearest, kAccessThresholdKm, 20);
                    }));
  double t_scan = seconds([&] {
    for (std::size_t i = 0; i < settlements.size(); ++i) {
      double d = kUnreachable;
      for (const AccessPoint& a : points)
        d = std::min(d, haversine_km(settlements[i].location, a.location) * 1.3);
      if (std::abs(d - nearest[i].km) > 1e-9)
        std::printf("    MISMATCH at %s\n", settlements[i].id.c_str());
    }
  });
  std::printf("accessibility, shipped file: %zu settlements x %zu synthetic access points (detour 1.3)\n",
              settlements.size(), points.size());
  std::printf("    nearest + coverage report %8.3f ms (target < 20 ms); full scan %8.1f ms: %.0fx; "
              "%.1f%% of %.1f M people within 14 km, %zu oblasts\n",
              best * 1e3, t_scan * 1e3, t_scan / best, 100 * report.overall.share, report.overall.population / 1e6,
              report.by_oblast.size());
}

// MCLP on all of Ukraine at 14 km, every settlement a candidate, no existing points. GLPK gets at
// most `glpk_limit_s` per solve and `glpk_budget_s` in all; past the budget the optimum is "not run".
void ukraine_mclp_rows(const std::vector<Settlement>& settlements, double glpk_limit_s, double glpk_budget_s) {
  LocationProblem p;
  const double t_build =
      seconds([&] { p = *problem_from_geo(settlements, {}, settlements_as_sites(settlements), 1.3); });
  double population = 0;
  for (double w : p.weight)
    population += w;
  std::printf("MCLP, shipped file: %d settlements, every one a candidate, 14 km (detour 1.3), %.1f M people; "
              "matrix built in %.2f s\n",
              p.clients, population / 1e6, t_build);
  std::printf("    %3s %14s %9s %14s %9s %8s %s\n", "k", "covered", "time s", "glpk optimum", "glpk s", "gap %",
              "method");
  double heuristic_total = 0, glpk_total = 0;
  int proven = 0, matched = 0;
  for (int k = 1; k <= 50; ++k) {
    Solution s;
    const double t = seconds([&] { s = *solve_mclp(p, k, kAccessThresholdKm, {true, 0, 1}); });
    heuristic_total += t;
    std::printf("    %3d %14.0f %9.3f ", k, s.objective, t);
    if (glpk_total >= glpk_budget_s) {
      std::printf("%14s %9s %8s %s\n", "not run", "", "", s.method.c_str());
      continue;
    }
    vikno::Result<Solution> exact = vikno::fail(vikno::Error::invalid("skipped", "skipped"));
    const double te = seconds([&] { exact = exact_mclp(p, k, kAccessThresholdKm, ExactOptions{glpk_limit_s}); });
    glpk_total += te;
    if (exact) {
      ++proven;
      const double gap = 100.0 * (exact->objective - s.objective) / exact->objective;
      matched += gap < 1e-9 ? 1 : 0;
      std::printf("%14.0f %9.3f %8.4f %s\n", exact->objective, te, gap, s.method.c_str());
    } else {
      std::printf("%14s %9.3f %8s %s\n", "timeout", te, "", s.method.c_str());
    }
  }
  std::printf("    heuristic %.1f s for k = 1..50; glpk %.1f s, proved %d optima, heuristic equal to %d of them\n",
              heuristic_total, glpk_total, proven, matched);
}

} // namespace

int main(int argc, char** argv) {
  const std::filesystem::path dir = argc > 1 ? argv[1] : VIKNO_REFERENCE_DIR;
  std::printf("== p-median: gap to the optimum and time next to GLPK ==\n");
  for (const auto& [file, optimum] : {std::pair<std::string, double>{"pmed1.txt", 5819}, {"pmed5.txt", 1355}}) {
    std::ifstream in(dir / file);
    if (!in) {
      std::printf("%s: not found in %s, skipped\n", file.c_str(), dir.c_str());
      continue;
    }
    const auto inst = parse_orlib_pmed(in);
    if (inst)
      p_median_row(file + " (n=100)", inst->problem, inst->p, 60, optimum);
  }
  p_median_row("random graph n=200", random_graph(200, 800, 1), 10, 60, std::nullopt);
  p_median_row("random graph n=900", random_graph(900, 16200, 2), 10, 20, std::nullopt);
  p_median_row("random graph n=900", random_graph(900, 16200, 3), 90, 0, std::nullopt);
  std::printf("\n== accessibility ==\n");
  accessibility_row();
  const std::filesystem::path file = argc > 2 ? argv[2] : VIKNO_DATA_DIR "/geo/ua-settlements.csv";
  if (const auto settlements = shipped_settlements(file)) {
    ukraine_accessibility_row(*settlements);
    std::printf("\n== MCLP on the shipped Ukrainian settlements ==\n");
    ukraine_mclp_rows(*settlements, 5.0, 60.0);
  }
  return 0;
}
