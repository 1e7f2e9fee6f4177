#include "network/exact.hpp"

#include <glpk.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace vikno::network {
namespace {

using Index = std::size_t;

// One GLPK problem, built column by column and row by row, loaded once before solving.
class Mip {
public:
  explicit Mip(int sense) : prob_(glp_create_prob(), &glp_delete_prob) {
    glp_set_obj_dir(prob_.get(), sense);
    ia_.push_back(0); // GLPK arrays are 1-based
    ja_.push_back(0);
    ar_.push_back(0);
  }

  int add_col(int kind, double lb, double ub, double objective) {
    const int j = glp_add_cols(prob_.get(), 1);
    glp_set_col_kind(prob_.get(), j, kind);
    if (kind != GLP_BV)
      glp_set_col_bnds(prob_.get(), j, lb == ub ? GLP_FX : GLP_DB, lb, ub);
    else if (lb == ub)
      glp_set_col_bnds(prob_.get(), j, GLP_FX, lb, ub);
    glp_set_obj_coef(prob_.get(), j, objective);
    return j;
  }

  // A row lb <= sum coef * col <= ub; pass -HUGE_VAL / HUGE_VAL for a missing side.
  void add_row(const std::vector<std::pair<int, double>>& terms, double lb, double ub) {
    const int i = glp_add_rows(prob_.get(), 1);
    const bool has_lb = lb != -HUGE_VAL, has_ub = ub != HUGE_VAL;
    const int type = has_lb && has_ub ? (lb == ub ? GLP_FX : GLP_DB) : has_lb ? GLP_LO : has_ub ? GLP_UP : GLP_FR;
    glp_set_row_bnds(prob_.get(), i, type, has_lb ? lb : 0, has_ub ? ub : 0);
    for (const auto& [col, coef] : terms) {
      ia_.push_back(i);
      ja_.push_back(col);
      ar_.push_back(coef);
    }
  }

  // Solves to proven optimality or returns why not.
  Result<double> solve(double time_limit_s) {
    glp_term_out(GLP_OFF);
    glp_load_matrix(prob_.get(), static_cast<int>(ia_.size()) - 1, ia_.data(), ja_.data(), ar_.data());
    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.presolve = GLP_ON;
    parm.msg_lev = GLP_MSG_OFF;
    parm.tm_lim = static_cast<int>(std::min(2.0e9, time_limit_s * 1000));
    const int rc = glp_intopt(prob_.get(), &parm);
    const int status = glp_mip_status(prob_.get());
    if (rc == GLP_ETMLIM)
      return fail(Error{ErrorKind::unavailable, "solver_time_limit", "GLPK did not prove an optimum in time", {}});
    if (rc == GLP_ENOPFS || status == GLP_NOFEAS)
      return fail(Error::invalid("infeasible", "no plan satisfies the constraints"));
    if (rc != 0 || status != GLP_OPT)
      return fail(Error{ErrorKind::internal, "solver_failed", "GLPK failed with code " + std::to_string(rc), {}});
    return glp_mip_obj_val(prob_.get());
  }

  double value(int col) const { return glp_mip_col_val(prob_.get(), col); }

private:
  std::unique_ptr<glp_prob, decltype(&glp_delete_prob)> prob_;
  std::vector<int> ia_, ja_;
  std::vector<double> ar_;
};

// One binary column per site: fixed sites are fixed at 1, the free ones sum to k (when k >= 0).
std::vector<int> site_columns(Mip& mip, const LocationProblem& p, int k, double cost_per_new = 0) {
  std::vector<int> y(static_cast<Index>(p.sites));
  std::vector<std::pair<int, double>> count;
  for (int j = 0; j < p.sites; ++j) {
    const bool fixed = p.fixed[static_cast<Index>(j)];
    y[static_cast<Index>(j)] = mip.add_col(GLP_BV, fixed ? 1 : 0, 1, fixed ? 0 : cost_per_new);
    if (!fixed)
      count.emplace_back(y[static_cast<Index>(j)], 1.0);
  }
  if (k >= 0)
    mip.add_row(count, k, k);
  return y;
}

std::vector<int> open_sites(const Mip& mip, const std::vector<int>& y) {
  std::vector<int> open;
  for (Index j = 0; j < y.size(); ++j)
    if (mip.value(y[j]) > 0.5)
      open.push_back(static_cast<int>(j));
  return open;
}

Solution make(const LocationProblem& p, std::vector<int> open, double objective) {
  Solution s;
  std::sort(open.begin(), open.end());
  for (int j : open)
    if (!p.fixed[static_cast<Index>(j)])
      s.added.push_back(j);
  s.open = std::move(open);
  s.objective = objective;
  s.method = "glpk";
  return s;
}

// The fewest new sites covering every client that matters within `radius` (or a share of the
// weight), optionally the most twice-covered clients among those plans. Returns the open sites.
Result<std::vector<int>> cover(const LocationProblem& p, double radius, double target, bool share_mode, int exact_k,
                               bool backup, double time_limit_s) {
  Mip mip(exact_k >= 0 ? GLP_MAX : GLP_MIN);
  const std::vector<int> y = site_columns(mip, p, exact_k, exact_k >= 0 ? 0.0 : 1.0);
  std::vector<std::pair<int, double>> weight_row;
  for (int i = 0; i < p.clients; ++i) {
    const double w = p.weight[static_cast<Index>(i)];
    std::vector<std::pair<int, double>> terms;
    for (int j = 0; j < p.sites; ++j)
      if (p.d(i, j) <= radius)
        terms.emplace_back(y[static_cast<Index>(j)], 1.0);
    if (terms.empty() || w <= 0)
      continue; // unreachable clients are reported, not required
    if (share_mode) {
      const int z = mip.add_col(GLP_BV, 0, 1, 0);
      auto row = terms;
      row.emplace_back(z, -1.0);
      mip.add_row(row, 0, HUGE_VAL); // z <= sum y
      weight_row.emplace_back(z, w);
    } else {
      mip.add_row(terms, 1, HUGE_VAL);
    }
    if (backup) {
      const int u = mip.add_col(GLP_BV, 0, 1, 1.0);
      auto row = terms;
      row.emplace_back(u, -2.0);
      mip.add_row(row, 0, HUGE_VAL); // 2u <= sum y: u = 1 only when covered twice
    }
  }
  if (share_mode)
    mip.add_row(weight_row, target - 1e-9 * std::max(1.0, target), HUGE_VAL);
  auto solved = mip.solve(time_limit_s);
  if (!solved)
    return fail(solved.error());
  return open_sites(mip, y);
}

} // namespace

Result<Solution> exact_p_median(const LocationProblem& p, int k, const ExactOptions& options) {
  if (auto ok = validate_problem(p, k); !ok)
    return fail(ok.error());
  Mip mip(GLP_MIN);
  const std::vector<int> y = site_columns(mip, p, k);
  for (int i = 0; i < p.clients; ++i) {
    const double w = p.weight[static_cast<Index>(i)];
    std::vector<std::pair<int, double>> assign;
    for (int j = 0; j < p.sites; ++j) {
      const double d = p.d(i, j);
      if (d == kUnreachable)
        continue;
      // Assignments stay continuous: with the sites binary, an optimal assignment is integral.
      const int x = mip.add_col(GLP_CV, 0, 1, w * d);
      assign.emplace_back(x, 1.0);
      mip.add_row({{x, 1.0}, {y[static_cast<Index>(j)], -1.0}}, -HUGE_VAL, 0);
    }
    if (!assign.empty())
      mip.add_row(assign, 1, 1);
  }
  auto solved = mip.solve(options.time_limit_s);
  if (!solved)
    return fail(solved.error());
  Solution s = make(p, open_sites(mip, y), 0);
  s.objective = median_cost(p, s.open); // recomputed: GLPK's value carries its tolerances
  s.unreachable = unreachable_clients(p);
  return s;
}

Result<Solution> exact_mclp(const LocationProblem& p, int k, double radius, const ExactOptions& options) {
  if (auto ok = validate_problem(p, k); !ok)
    return fail(ok.error());
  Mip mip(GLP_MAX);
  const std::vector<int> y = site_columns(mip, p, k);
  for (int i = 0; i < p.clients; ++i) {
    const double w = p.weight[static_cast<Index>(i)];
    std::vector<std::pair<int, double>> terms;
    for (int j = 0; j < p.sites; ++j)
      if (p.d(i, j) <= radius)
        terms.emplace_back(y[static_cast<Index>(j)], 1.0);
    if (terms.empty() || w <= 0)
      continue;
    const int z = mip.add_col(GLP_CV, 0, 1, w); // maximized, so z = min(1, sum y): integral
    terms.emplace_back(z, -1.0);
    mip.add_row(terms, 0, HUGE_VAL);
  }
  auto solved = mip.solve(options.time_limit_s);
  if (!solved)
    return fail(solved.error());
  Solution s = make(p, open_sites(mip, y), 0);
  s.objective = covered_weight(p, s.open, radius);
  s.unreachable = unreachable_clients(p, radius);
  return s;
}

Result<CoverResult> exact_lscp(const LocationProblem& p, const CoverOptions& cover_options,
                               const ExactOptions& options) {
  if (auto ok = validate_problem(p, 0); !ok)
    return fail(ok.error());
  if (!(cover_options.share > 0 && cover_options.share <= 1))
    return fail(Error::field("share", "must be in (0, 1]"));
  Solution none = make(p, {}, 0);
  for (int j = 0; j < p.sites; ++j)
    if (p.fixed[static_cast<Index>(j)])
      none.open.push_back(j);
  const CoverResult base = describe_cover(p, cover_options, none);
  const bool share_mode = cover_options.share < 1;
  auto open = cover(p, cover_options.radius, base.target_weight, share_mode, -1, false, options.time_limit_s);
  if (!open)
    return fail(open.error());
  if (cover_options.backup) {
    const int k = static_cast<int>(
        std::count_if(open->begin(), open->end(), [&](int j) { return !p.fixed[static_cast<Index>(j)]; }));
    open = cover(p, cover_options.radius, base.target_weight, share_mode, k, true, options.time_limit_s);
    if (!open)
      return fail(open.error());
  }
  return describe_cover(p, cover_options, make(p, *open, 0));
}

Result<Solution> exact_p_center(const LocationProblem& p, int k, const ExactOptions& options) {
  if (auto ok = validate_problem(p, k); !ok)
    return fail(ok.error());
  // Candidate radii: distances to clients that count (weight > 0, reachable by some site).
  const std::vector<int> unreachable = unreachable_clients(p);
  std::vector<bool> skip(static_cast<Index>(p.clients), false);
  for (int i : unreachable)
    skip[static_cast<Index>(i)] = true;
  std::vector<double> radii;
  double lower = 0; // no plan beats every client's nearest site overall
  for (int i = 0; i < p.clients; ++i) {
    if (skip[static_cast<Index>(i)] || p.weight[static_cast<Index>(i)] <= 0)
      continue;
    double nearest = kUnreachable;
    for (int j = 0; j < p.sites; ++j) {
      const double d = p.d(i, j);
      if (d != kUnreachable) {
        radii.push_back(d);
        nearest = std::min(nearest, d);
      }
    }
    lower = std::max(lower, nearest);
  }
  std::sort(radii.begin(), radii.end());
  radii.erase(std::unique(radii.begin(), radii.end()), radii.end());
  radii.erase(radii.begin(), std::lower_bound(radii.begin(), radii.end(), lower));
  if (radii.empty())
    radii.push_back(0);
  // Binary search for the first radius whose set cover needs at most k new sites; the largest
  // radius always works (every client reaches some site, and k >= 0 new sites).
  std::size_t lo = 0, hi = radii.size() - 1;
  std::vector<int> best_open;
  bool have = false;
  while (lo < hi || !have) {
    const std::size_t mid = have ? lo + (hi - lo) / 2 : hi;
    auto open = cover(p, radii[mid], 0, false, -1, false, options.time_limit_s);
    if (!open)
      return fail(open.error());
    const auto added =
        std::count_if(open->begin(), open->end(), [&](int j) { return !p.fixed[static_cast<Index>(j)]; });
    if (added <= k) {
      hi = mid;
      best_open = *open;
      have = true;
    } else {
      lo = mid + 1;
    }
    if (!have && added > k)
      return fail(Error{ErrorKind::internal, "solver_failed", "no p-center plan at the largest radius", {}});
  }
  // The plan may use fewer than k new sites; open the remaining ones anyway, they cannot hurt.
  std::vector<bool> is_open(static_cast<Index>(p.sites), false);
  for (int j : best_open)
    is_open[static_cast<Index>(j)] = true;
  int added = static_cast<int>(
      std::count_if(best_open.begin(), best_open.end(), [&](int j) { return !p.fixed[static_cast<Index>(j)]; }));
  for (int j = 0; j < p.sites && added < k; ++j)
    if (!is_open[static_cast<Index>(j)]) {
      best_open.push_back(j);
      ++added;
    }
  Solution s = make(p, best_open, 0);
  s.objective = max_distance(p, s.open);
  s.unreachable = unreachable;
  return s;
}

} // namespace vikno::network
