#include "network/location.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <queue>
#include <random>
#include <string>
#include <tuple>

namespace vikno::network {
namespace {

using Index = std::size_t;

Index at(int i, int j, int m) { return static_cast<Index>(i) * static_cast<Index>(m) + static_cast<Index>(j); }

std::vector<int> free_sites(const LocationProblem& p) {
  std::vector<int> out;
  for (int j = 0; j < p.sites; ++j)
    if (!p.fixed[static_cast<Index>(j)])
      out.push_back(j);
  return out;
}

Solution make_solution(const LocationProblem& p, std::vector<int> open, double objective, std::string method) {
  Solution s;
  std::sort(open.begin(), open.end());
  for (int j : open)
    if (!p.fixed[static_cast<Index>(j)])
      s.added.push_back(j);
  s.open = std::move(open);
  s.objective = objective;
  s.method = std::move(method);
  return s;
}

// The minisum engine: p-median is a search over a cost matrix c (clients x sites) with `none[i]`
// the cost of a client no open site serves better: greedy, Teitz-Bart and the fast swap. MCLP is
// the same search on the costs "weight if beyond the radius, else 0", run on coverage lists
// (CoverageSearch below) rather than on that dense matrix.
struct Costs {
  int n = 0, m = 0;
  std::vector<double> c;
  std::vector<double> none;
  double cost(int i, int j) const { return c[at(i, j, m)]; }
};

class MinisumSearch {
public:
  MinisumSearch(const Costs& costs, const std::vector<bool>& fixed) : costs_(costs), fixed_(fixed) {}

  // Greedy: from the fixed sites add, k times, the site that lowers the total cost most.
  std::vector<int> greedy(std::vector<int> open, const std::vector<int>& candidates, int k) const {
    std::vector<double> c1 = nearest_costs(open);
    std::vector<bool> is_open(static_cast<Index>(costs_.m), false);
    for (int j : open)
      is_open[static_cast<Index>(j)] = true;
    for (int step = 0; step < k; ++step) {
      int best = -1;
      double best_gain = -1;
      for (int a : candidates) {
        if (is_open[static_cast<Index>(a)])
          continue;
        double gain = 0;
        for (int i = 0; i < costs_.n; ++i)
          gain += std::max(0.0, c1[static_cast<Index>(i)] - costs_.cost(i, a));
        if (gain > best_gain) {
          best_gain = gain;
          best = a;
        }
      }
      if (best < 0)
        break;
      is_open[static_cast<Index>(best)] = true;
      open.push_back(best);
      for (int i = 0; i < costs_.n; ++i)
        c1[static_cast<Index>(i)] = std::min(c1[static_cast<Index>(i)], costs_.cost(i, best));
    }
    return open;
  }

  // Vertex substitution (Teitz and Bart 1968): take each closed candidate in turn, find the open
  // site whose swap with it saves most, apply the swap when it saves anything; stop after a full
  // round without a swap. Each candidate costs O(n + p) with Whitaker's evaluation instead of
  // O(n p) per (in, out) pair.
  void teitz_bart(std::vector<int>& open, const std::vector<int>& candidates) {
    std::vector<bool> is_open(static_cast<Index>(costs_.m), false);
    for (int j : open)
      is_open[static_cast<Index>(j)] = true;
    assign(open);
    double total = std::accumulate(c1_.begin(), c1_.end(), 0.0);
    std::vector<double> loss(static_cast<Index>(costs_.m), 0.0);
    int since_swap = 0;
    const int count = static_cast<int>(candidates.size());
    for (int t = 0; since_swap < count; t = (t + 1) % count, ++since_swap) {
      const int a = candidates[static_cast<Index>(t)];
      if (is_open[static_cast<Index>(a)])
        continue;
      double gain = 0;
      for (int j : open)
        loss[static_cast<Index>(j)] = 0;
      for (int i = 0; i < costs_.n; ++i) {
        const Index ii = static_cast<Index>(i);
        const double ca = costs_.cost(i, a);
        if (ca < c1_[ii])
          gain += c1_[ii] - ca; // i moves to a whichever site closes
        else if (n1_[ii] >= 0)
          loss[static_cast<Index>(n1_[ii])] += std::min(ca, c2_[ii]) - c1_[ii];
      }
      int out = -1;
      for (int j : open)
        if (!fixed_[static_cast<Index>(j)] && (out < 0 || loss[static_cast<Index>(j)] < loss[static_cast<Index>(out)]))
          out = j;
      if (out < 0)
        return; // only fixed sites are open: nothing to swap
      const double delta = loss[static_cast<Index>(out)] - gain;
      // A relative tolerance keeps rounding noise from cycling between equal plans.
      if (delta < -1e-12 * std::max(1.0, std::abs(total))) {
        std::replace(open.begin(), open.end(), out, a);
        is_open[static_cast<Index>(out)] = false;
        is_open[static_cast<Index>(a)] = true;
        assign(open);
        total = std::accumulate(c1_.begin(), c1_.end(), 0.0);
        since_swap = 0;
      }
    }
  }

  double total(const std::vector<int>& open) const {
    const std::vector<double> c1 = nearest_costs(open);
    return std::accumulate(c1.begin(), c1.end(), 0.0);
  }

private:
  std::vector<double> nearest_costs(const std::vector<int>& open) const {
    std::vector<double> c1(costs_.none);
    for (int i = 0; i < costs_.n; ++i)
      for (int j : open)
        c1[static_cast<Index>(i)] = std::min(c1[static_cast<Index>(i)], costs_.cost(i, j));
    return c1;
  }

  // Nearest and second-nearest open site of every client, by cost.
  void assign(const std::vector<int>& open) {
    const Index n = static_cast<Index>(costs_.n);
    n1_.assign(n, -1);
    c1_.assign(costs_.none.begin(), costs_.none.end());
    c2_.assign(costs_.none.begin(), costs_.none.end());
    for (int i = 0; i < costs_.n; ++i) {
      const Index ii = static_cast<Index>(i);
      for (int j : open) {
        const double cij = costs_.cost(i, j);
        if (n1_[ii] < 0 || cij < c1_[ii]) {
          c2_[ii] = n1_[ii] < 0 ? costs_.none[ii] : c1_[ii];
          c1_[ii] = std::min(cij, costs_.none[ii]);
          n1_[ii] = j;
        } else if (cij < c2_[ii]) {
          c2_[ii] = cij;
        }
      }
    }
  }

  const Costs& costs_;
  const std::vector<bool>& fixed_;
  std::vector<int> n1_;
  std::vector<double> c1_, c2_;
};

// MCLP's own search on coverage lists: which clients each site reaches within the radius, and
// which sites reach each client. The same greedy and Teitz-Bart as MinisumSearch on MCLP's
// costs (same order of candidates, same ties, so the same plans), but each step touches only the
// few clients a site reaches instead of a column of the whole matrix, and the greedy is lazy
// (a site's gain only shrinks as sites open).
class CoverageSearch {
public:
  CoverageSearch(const LocationProblem& p, double radius) : p_(p), reaches_(static_cast<Index>(p.sites)) {
    reached_by_.resize(static_cast<Index>(p.clients));
    for (int i = 0; i < p.clients; ++i)
      for (int j = 0; j < p.sites; ++j)
        if (p.d(i, j) <= radius) {
          reaches_[static_cast<Index>(j)].push_back(i);
          reached_by_[static_cast<Index>(i)].push_back(j);
        }
  }

  std::vector<int> greedy(std::vector<int> open, const std::vector<int>& candidates, int k) {
    cover(open);
    // (gain, -position): the largest gain first, the earliest candidate among equal gains.
    using Entry = std::tuple<double, int, int>; // gain, -position, step it was computed at
    std::priority_queue<Entry> queue;
    for (int pos = 0; pos < static_cast<int>(candidates.size()); ++pos)
      if (!is_open_[static_cast<Index>(candidates[static_cast<Index>(pos)])])
        queue.emplace(gain(candidates[static_cast<Index>(pos)]), -pos, 0);
    for (int step = 0; step < k && !queue.empty(); ++step) {
      for (;;) {
        auto [g, neg_pos, at_step] = queue.top();
        queue.pop();
        const int a = candidates[static_cast<Index>(-neg_pos)];
        if (at_step == step) {
          open.push_back(a);
          add(a);
          break;
        }
        queue.emplace(gain(a), neg_pos, step);
      }
    }
    return open;
  }

  void teitz_bart(std::vector<int>& open, const std::vector<int>& candidates) {
    cover(open);
    double total = uncovered();
    std::vector<double> loss(static_cast<Index>(p_.sites), 0.0);
    int since_swap = 0;
    const int count = static_cast<int>(candidates.size());
    for (int t = 0; since_swap < count; t = (t + 1) % count, ++since_swap) {
      const int a = candidates[static_cast<Index>(t)];
      if (is_open_[static_cast<Index>(a)])
        continue;
      // Closing j loses the clients only j reaches, unless a reaches them too.
      for (int j : open)
        loss[static_cast<Index>(j)] = sole_loss(j);
      double g = 0;
      for (int i : reaches_[static_cast<Index>(a)]) {
        const Index ii = static_cast<Index>(i);
        if (count_[ii] == 0)
          g += p_.weight[ii];
        else if (count_[ii] == 1)
          loss[static_cast<Index>(sole_site(i))] -= p_.weight[ii];
      }
      int out = -1;
      for (int j : open)
        if (!p_.fixed[static_cast<Index>(j)] &&
            (out < 0 || loss[static_cast<Index>(j)] < loss[static_cast<Index>(out)]))
          out = j;
      if (out < 0)
        return;
      const double delta = loss[static_cast<Index>(out)] - g;
      if (delta < -1e-12 * std::max(1.0, std::abs(total))) {
        std::replace(open.begin(), open.end(), out, a);
        remove(out);
        add(a);
        total = uncovered();
        since_swap = 0;
      }
    }
  }

  double total(const std::vector<int>& open) {
    cover(open);
    return uncovered();
  }

private:
  void cover(const std::vector<int>& open) {
    count_.assign(static_cast<Index>(p_.clients), 0);
    is_open_.assign(static_cast<Index>(p_.sites), false);
    for (int j : open)
      add(j);
  }
  void add(int j) {
    is_open_[static_cast<Index>(j)] = true;
    for (int i : reaches_[static_cast<Index>(j)])
      ++count_[static_cast<Index>(i)];
  }
  void remove(int j) {
    is_open_[static_cast<Index>(j)] = false;
    for (int i : reaches_[static_cast<Index>(j)])
      --count_[static_cast<Index>(i)];
  }
  double gain(int a) const {
    double g = 0;
    for (int i : reaches_[static_cast<Index>(a)])
      if (count_[static_cast<Index>(i)] == 0)
        g += p_.weight[static_cast<Index>(i)];
    return g;
  }
  double sole_loss(int j) const {
    double l = 0;
    for (int i : reaches_[static_cast<Index>(j)])
      if (count_[static_cast<Index>(i)] == 1)
        l += p_.weight[static_cast<Index>(i)];
    return l;
  }
  int sole_site(int i) const {
    for (int j : reached_by_[static_cast<Index>(i)])
      if (is_open_[static_cast<Index>(j)])
        return j;
    return -1; // not reached: callers ask only for clients reached once
  }
  double uncovered() const {
    double u = 0;
    for (int i = 0; i < p_.clients; ++i)
      if (count_[static_cast<Index>(i)] == 0)
        u += p_.weight[static_cast<Index>(i)];
    return u;
  }

  const LocationProblem& p_;
  std::vector<std::vector<int>> reaches_;    // per site: the clients within the radius
  std::vector<std::vector<int>> reached_by_; // per client: the sites within the radius
  std::vector<int> count_;                   // per client: open sites within the radius
  std::vector<bool> is_open_;
};

std::vector<int> random_start(std::vector<int> open, std::vector<int> candidates, int k, std::mt19937_64& rng) {
  for (int s = 0; s < k; ++s) {
    std::uniform_int_distribution<std::size_t> pick(static_cast<std::size_t>(s), candidates.size() - 1);
    std::swap(candidates[static_cast<Index>(s)], candidates[pick(rng)]);
    open.push_back(candidates[static_cast<Index>(s)]);
  }
  return open;
}

// Greedy, then Teitz-Bart, then `restarts` more Teitz-Bart runs from random sets; the cheapest wins
// (ties keep the earlier plan, so the result does not depend on the order of equal-cost swaps).
template <class Search>
std::pair<std::vector<int>, std::string> minisum(const LocationProblem& p, Search& search, int k,
                                                 const SearchOptions& options) {
  const std::vector<int> candidates = free_sites(p);
  std::vector<int> best = search.greedy(fixed_sites(p), candidates, k);
  if (!options.local_search)
    return {best, "greedy"};
  search.teitz_bart(best, candidates);
  double best_total = search.total(best);
  std::mt19937_64 rng(options.seed);
  for (int r = 0; r < options.restarts; ++r) {
    std::vector<int> open = random_start(fixed_sites(p), candidates, k, rng);
    search.teitz_bart(open, candidates);
    const double t = search.total(open);
    if (t < best_total - 1e-12 * std::max(1.0, std::abs(best_total))) {
      best_total = t;
      best = open;
    }
  }
  std::string method = "greedy+teitz-bart";
  if (options.restarts > 0)
    method += "+" + std::to_string(options.restarts) + " restarts";
  return {best, method};
}

// A distance that stands for "no path": larger than any real assignment so a plan that serves
// everyone it can always beats one that does not.
double no_path_distance(const LocationProblem& p) {
  double max_d = 0;
  for (double d : p.distance)
    if (d != kUnreachable)
      max_d = std::max(max_d, d);
  return (max_d + 1) * 1000.0;
}

std::vector<bool> reachable_mask(const LocationProblem& p, double radius) {
  std::vector<bool> ok(static_cast<Index>(p.clients), false);
  for (int i = 0; i < p.clients; ++i)
    for (int j = 0; j < p.sites && !ok[static_cast<Index>(i)]; ++j)
      ok[static_cast<Index>(i)] = p.d(i, j) != kUnreachable && p.d(i, j) <= radius;
  return ok;
}

// p-center state: nearest and second-nearest open site by distance.
struct CenterValue {
  double max = 0;
  double sum = 0;
  bool better_than(const CenterValue& o) const {
    const double tol = 1e-12 * std::max(1.0, std::abs(o.max));
    if (max < o.max - tol)
      return true;
    if (max > o.max + tol)
      return false;
    return sum < o.sum - 1e-12 * std::max(1.0, std::abs(o.sum));
  }
};

class CenterSearch {
public:
  CenterSearch(const LocationProblem& p) : p_(p), big_(no_path_distance(p)) {
    const std::vector<bool> reach = reachable_mask(p, kUnreachable);
    for (int i = 0; i < p.clients; ++i)
      if (reach[static_cast<Index>(i)] && p.weight[static_cast<Index>(i)] > 0)
        active_.push_back(i);
  }

  double dist(int i, int j) const {
    const double d = p_.d(i, j);
    return d == kUnreachable ? big_ : d;
  }

  CenterValue value(const std::vector<int>& open) const {
    CenterValue v;
    for (int i : active_) {
      double best = big_ * 2;
      for (int j : open)
        best = std::min(best, dist(i, j));
      v.max = std::max(v.max, best);
      v.sum += best;
    }
    return v;
  }

  // Greedy: add, k times, the site after which (largest distance, total distance) is smallest.
  std::vector<int> greedy(std::vector<int> open, const std::vector<int>& candidates, int k) const {
    std::vector<double> d1(static_cast<Index>(p_.clients), big_ * 2);
    for (int i : active_)
      for (int j : open)
        d1[static_cast<Index>(i)] = std::min(d1[static_cast<Index>(i)], dist(i, j));
    std::vector<bool> is_open(static_cast<Index>(p_.sites), false);
    for (int j : open)
      is_open[static_cast<Index>(j)] = true;
    for (int step = 0; step < k; ++step) {
      int best = -1;
      CenterValue best_v;
      for (int a : candidates) {
        if (is_open[static_cast<Index>(a)])
          continue;
        CenterValue v;
        for (int i : active_) {
          const double d = std::min(d1[static_cast<Index>(i)], dist(i, a));
          v.max = std::max(v.max, d);
          v.sum += d;
        }
        if (best < 0 || v.better_than(best_v)) {
          best = a;
          best_v = v;
        }
      }
      if (best < 0)
        break;
      is_open[static_cast<Index>(best)] = true;
      open.push_back(best);
      for (int i : active_)
        d1[static_cast<Index>(i)] = std::min(d1[static_cast<Index>(i)], dist(i, best));
    }
    return open;
  }

  // Vertex substitution on (largest distance, total distance): the total breaks the plateaus where
  // many swaps leave the largest distance unchanged. For a candidate a, every open site r is
  // evaluated at once: clients served by r fall back to min(d(a), second nearest), the others to
  // min(d(a), nearest); per-group maxima and sums give each r in O(1).
  void local_search(std::vector<int>& open, const std::vector<int>& candidates) {
    std::vector<bool> is_open(static_cast<Index>(p_.sites), false);
    for (int j : open)
      is_open[static_cast<Index>(j)] = true;
    assign(open);
    CenterValue current = value(open);
    const Index m = static_cast<Index>(p_.sites);
    std::vector<double> group_keep_max(m), group_keep_sum(m), group_move_max(m), group_move_sum(m);
    int since_swap = 0;
    const int count = static_cast<int>(candidates.size());
    for (int t = 0; since_swap < count; t = (t + 1) % count, ++since_swap) {
      const int a = candidates[static_cast<Index>(t)];
      if (is_open[static_cast<Index>(a)])
        continue;
      for (int j : open) {
        const Index jj = static_cast<Index>(j);
        group_keep_max[jj] = group_keep_sum[jj] = group_move_max[jj] = group_move_sum[jj] = 0;
      }
      double keep_sum = 0;
      for (int i : active_) {
        const Index ii = static_cast<Index>(i);
        const double da = dist(i, a);
        const double keep = std::min(da, d1_[ii]);
        const double move = std::min(da, d2_[ii]);
        const Index g = static_cast<Index>(n1_[ii]);
        group_keep_max[g] = std::max(group_keep_max[g], keep);
        group_keep_sum[g] += keep;
        group_move_max[g] = std::max(group_move_max[g], move);
        group_move_sum[g] += move;
        keep_sum += keep;
      }
      // The two largest per-group "keep" maxima give the maximum over all groups but one.
      int top = -1, second = -1;
      for (int j : open) {
        const Index jj = static_cast<Index>(j);
        if (top < 0 || group_keep_max[jj] > group_keep_max[static_cast<Index>(top)]) {
          second = top;
          top = j;
        } else if (second < 0 || group_keep_max[jj] > group_keep_max[static_cast<Index>(second)]) {
          second = j;
        }
      }
      int out = -1;
      CenterValue best_v;
      for (int r : open) {
        if (p_.fixed[static_cast<Index>(r)])
          continue;
        const Index rr = static_cast<Index>(r);
        const int other = r == top ? second : top;
        CenterValue v;
        v.max = std::max(group_move_max[rr], other < 0 ? 0.0 : group_keep_max[static_cast<Index>(other)]);
        v.sum = keep_sum - group_keep_sum[rr] + group_move_sum[rr];
        if (out < 0 || v.better_than(best_v)) {
          out = r;
          best_v = v;
        }
      }
      if (out < 0)
        return;
      if (best_v.better_than(current)) {
        std::replace(open.begin(), open.end(), out, a);
        is_open[static_cast<Index>(out)] = false;
        is_open[static_cast<Index>(a)] = true;
        assign(open);
        current = value(open);
        since_swap = 0;
      }
    }
  }

private:
  void assign(const std::vector<int>& open) {
    const Index n = static_cast<Index>(p_.clients);
    n1_.assign(n, 0);
    d1_.assign(n, big_ * 2);
    d2_.assign(n, big_ * 2);
    for (int i : active_) {
      const Index ii = static_cast<Index>(i);
      bool first = true;
      for (int j : open) {
        const double d = dist(i, j);
        if (first || d < d1_[ii]) {
          d2_[ii] = d1_[ii];
          d1_[ii] = d;
          n1_[ii] = j;
          first = false;
        } else if (d < d2_[ii]) {
          d2_[ii] = d;
        }
      }
    }
  }

  const LocationProblem& p_;
  double big_;
  std::vector<int> active_;
  std::vector<int> n1_;
  std::vector<double> d1_, d2_;
};

} // namespace

std::vector<int> fixed_sites(const LocationProblem& p) {
  std::vector<int> out;
  for (int j = 0; j < p.sites; ++j)
    if (p.fixed[static_cast<Index>(j)])
      out.push_back(j);
  return out;
}

Result<void> validate_problem(const LocationProblem& p, int k) {
  std::vector<FieldProblem> problems;
  const Index cells = static_cast<Index>(std::max(0, p.clients)) * static_cast<Index>(std::max(0, p.sites));
  if (p.clients < 0 || p.sites < 0 || p.distance.size() != cells || p.weight.size() != static_cast<Index>(p.clients) ||
      p.fixed.size() != static_cast<Index>(p.sites))
    return fail(Error::invalid("invalid_problem", "the distance matrix, weights and sites do not match in size"));
  for (int i = 0; i < p.clients; ++i) {
    const double w = p.weight[static_cast<Index>(i)];
    if (!std::isfinite(w) || w < 0)
      problems.push_back({"weight", "client " + std::to_string(i) + " has a negative or non-finite weight", 0});
  }
  for (double d : p.distance)
    if (std::isnan(d) || d < 0) {
      problems.push_back({"distance", "a distance is negative or not a number", 0});
      break;
    }
  const int candidates = static_cast<int>(free_sites(p).size());
  std::string code = "invalid_problem";
  std::string message;
  if (k < 0) {
    message = "k must not be negative";
    problems.push_back({"k", "must not be negative", 0});
  } else if (k > candidates) {
    message = std::to_string(k) + " new sites asked but only " + std::to_string(candidates) + " candidates";
    if (problems.empty())
      code = "k_exceeds_candidates";
    problems.push_back({"k", message, 0});
  }
  if (!problems.empty()) {
    if (message.empty())
      message = std::to_string(problems.size()) + " problem(s) with the weights or distances";
    return fail(Error::invalid(std::move(code), std::move(message), std::move(problems)));
  }
  return {};
}

double median_cost(const LocationProblem& p, std::span<const int> open) {
  const std::vector<bool> reach = reachable_mask(p, kUnreachable);
  double total = 0;
  for (int i = 0; i < p.clients; ++i) {
    if (!reach[static_cast<Index>(i)])
      continue;
    double best = kUnreachable;
    for (int j : open)
      best = std::min(best, p.d(i, j));
    if (best == kUnreachable)
      return kUnreachable;
    total += p.weight[static_cast<Index>(i)] * best;
  }
  return total;
}

namespace {
int cover_count(const LocationProblem& p, std::span<const int> open, double radius, int i) {
  int count = 0;
  for (int j : open)
    count += p.d(i, j) <= radius ? 1 : 0;
  return count;
}
} // namespace

double covered_weight(const LocationProblem& p, std::span<const int> open, double radius) {
  double total = 0;
  for (int i = 0; i < p.clients; ++i)
    if (cover_count(p, open, radius, i) > 0)
      total += p.weight[static_cast<Index>(i)];
  return total;
}

int covered_clients(const LocationProblem& p, std::span<const int> open, double radius) {
  int total = 0;
  for (int i = 0; i < p.clients; ++i)
    total += p.weight[static_cast<Index>(i)] > 0 && cover_count(p, open, radius, i) > 0 ? 1 : 0;
  return total;
}

int backup_clients(const LocationProblem& p, std::span<const int> open, double radius) {
  int total = 0;
  for (int i = 0; i < p.clients; ++i)
    total += p.weight[static_cast<Index>(i)] > 0 && cover_count(p, open, radius, i) >= 2 ? 1 : 0;
  return total;
}

double max_distance(const LocationProblem& p, std::span<const int> open) {
  const std::vector<bool> reach = reachable_mask(p, kUnreachable);
  double worst = 0;
  for (int i = 0; i < p.clients; ++i) {
    if (!reach[static_cast<Index>(i)] || p.weight[static_cast<Index>(i)] <= 0)
      continue;
    double best = kUnreachable;
    for (int j : open)
      best = std::min(best, p.d(i, j));
    worst = std::max(worst, best);
  }
  return worst;
}

std::vector<int> unreachable_clients(const LocationProblem& p, double radius) {
  const std::vector<bool> reach = reachable_mask(p, radius);
  std::vector<int> out;
  for (int i = 0; i < p.clients; ++i)
    if (!reach[static_cast<Index>(i)])
      out.push_back(i);
  return out;
}

Result<Solution> solve_p_median(const LocationProblem& p, int k, const SearchOptions& options) {
  if (auto ok = validate_problem(p, k); !ok)
    return fail(ok.error());
  const double no_path = no_path_distance(p);
  Costs costs;
  costs.n = p.clients;
  costs.m = p.sites;
  costs.c.resize(p.distance.size());
  costs.none.resize(static_cast<Index>(p.clients));
  for (int i = 0; i < p.clients; ++i) {
    const double w = p.weight[static_cast<Index>(i)];
    costs.none[static_cast<Index>(i)] = w * no_path;
    for (int j = 0; j < p.sites; ++j) {
      const double d = p.d(i, j);
      costs.c[at(i, j, p.sites)] = w * (d == kUnreachable ? no_path : d);
    }
  }
  MinisumSearch search(costs, p.fixed);
  auto [open, method] = minisum(p, search, k, options);
  Solution s = make_solution(p, open, 0, method);
  s.objective = median_cost(p, s.open);
  s.unreachable = unreachable_clients(p);
  return s;
}

Result<Solution> solve_mclp(const LocationProblem& p, int k, double radius, const SearchOptions& options) {
  if (auto ok = validate_problem(p, k); !ok)
    return fail(ok.error());
  CoverageSearch search(p, radius);
  auto [open, method] = minisum(p, search, k, options);
  Solution s = make_solution(p, open, 0, method);
  s.objective = covered_weight(p, s.open, radius);
  s.unreachable = unreachable_clients(p, radius);
  return s;
}

Result<Solution> solve_p_center(const LocationProblem& p, int k, const SearchOptions& options) {
  if (auto ok = validate_problem(p, k); !ok)
    return fail(ok.error());
  CenterSearch search(p);
  const std::vector<int> candidates = free_sites(p);
  std::vector<int> best = search.greedy(fixed_sites(p), candidates, k);
  std::string method = "greedy";
  if (options.local_search) {
    method = "greedy+teitz-bart";
    search.local_search(best, candidates);
    CenterValue best_v = search.value(best);
    std::mt19937_64 rng(options.seed);
    for (int r = 0; r < options.restarts; ++r) {
      std::vector<int> open = random_start(fixed_sites(p), candidates, k, rng);
      search.local_search(open, candidates);
      const CenterValue v = search.value(open);
      if (v.better_than(best_v)) {
        best_v = v;
        best = open;
      }
    }
    if (options.restarts > 0)
      method += "+" + std::to_string(options.restarts) + " restarts";
  }
  Solution s = make_solution(p, best, 0, method);
  s.objective = max_distance(p, s.open);
  s.unreachable = unreachable_clients(p);
  return s;
}

CoverResult describe_cover(const LocationProblem& p, const CoverOptions& options, Solution solution) {
  CoverResult r;
  double total = 0;
  for (double w : p.weight)
    total += w;
  double reachable = 0;
  const std::vector<bool> reach = reachable_mask(p, options.radius);
  for (int i = 0; i < p.clients; ++i)
    if (reach[static_cast<Index>(i)])
      reachable += p.weight[static_cast<Index>(i)];
  r.target_weight = options.share * reachable;
  r.unreachable_weight = total - reachable;
  r.covered_weight = covered_weight(p, solution.open, options.radius);
  r.covered_clients = covered_clients(p, solution.open, options.radius);
  r.backup_clients = backup_clients(p, solution.open, options.radius);
  solution.objective = static_cast<double>(solution.added.size());
  solution.unreachable = unreachable_clients(p, options.radius);
  r.solution = std::move(solution);
  return r;
}

namespace {

// Swaps within plans of the same size that keep the covered weight at the target and raise the
// number of clients covered at least twice.
void improve_backup(const LocationProblem& p, double radius, double target, std::vector<int>& open) {
  const std::vector<int> candidates = free_sites(p);
  const Index n = static_cast<Index>(p.clients);
  std::vector<int> count(n, 0);
  std::vector<bool> is_open(static_cast<Index>(p.sites), false);
  for (int j : open) {
    is_open[static_cast<Index>(j)] = true;
    for (int i = 0; i < p.clients; ++i)
      count[static_cast<Index>(i)] += p.d(i, j) <= radius ? 1 : 0;
  }
  auto backup_of = [&](int out, int in, double& weight) {
    int backup = 0;
    weight = 0;
    for (int i = 0; i < p.clients; ++i) {
      const int c = count[static_cast<Index>(i)] - (p.d(i, out) <= radius ? 1 : 0) + (p.d(i, in) <= radius ? 1 : 0);
      const double w = p.weight[static_cast<Index>(i)];
      if (c >= 1)
        weight += w;
      if (c >= 2 && w > 0)
        ++backup;
    }
    return backup;
  };
  int current = backup_clients(p, open, radius);
  const double eps = 1e-9 * std::max(1.0, target);
  for (bool improved = true; improved;) {
    improved = false;
    for (int a : candidates) {
      if (is_open[static_cast<Index>(a)])
        continue;
      for (int r : open) {
        if (p.fixed[static_cast<Index>(r)])
          continue;
        double weight = 0;
        const int b = backup_of(r, a, weight);
        if (weight >= target - eps && b > current) {
          for (int i = 0; i < p.clients; ++i)
            count[static_cast<Index>(i)] += (p.d(i, a) <= radius ? 1 : 0) - (p.d(i, r) <= radius ? 1 : 0);
          std::replace(open.begin(), open.end(), r, a);
          is_open[static_cast<Index>(r)] = false;
          is_open[static_cast<Index>(a)] = true;
          current = b;
          improved = true;
          break;
        }
      }
    }
  }
}

} // namespace

Result<CoverResult> solve_lscp(const LocationProblem& p, const CoverOptions& options) {
  if (auto ok = validate_problem(p, 0); !ok)
    return fail(ok.error());
  if (!(options.share > 0 && options.share <= 1))
    return fail(Error::field("share", "must be in (0, 1]"));
  const CoverResult empty = describe_cover(p, options, make_solution(p, fixed_sites(p), 0, ""));
  const double target = empty.target_weight;
  const double eps = 1e-9 * std::max(1.0, target);
  const std::vector<int> candidates = free_sites(p);

  // Greedy: add the site covering the most uncovered weight until the target is met.
  std::vector<int> open = fixed_sites(p);
  std::vector<bool> covered(static_cast<Index>(p.clients), false);
  double weight = 0;
  for (int i = 0; i < p.clients; ++i)
    if (cover_count(p, open, options.radius, i) > 0) {
      covered[static_cast<Index>(i)] = true;
      weight += p.weight[static_cast<Index>(i)];
    }
  std::vector<bool> is_open(static_cast<Index>(p.sites), false);
  for (int j : open)
    is_open[static_cast<Index>(j)] = true;
  while (weight < target - eps) {
    int best = -1;
    double best_gain = 0;
    for (int a : candidates) {
      if (is_open[static_cast<Index>(a)])
        continue;
      double gain = 0;
      for (int i = 0; i < p.clients; ++i)
        if (!covered[static_cast<Index>(i)] && p.d(i, a) <= options.radius)
          gain += p.weight[static_cast<Index>(i)];
      if (gain > best_gain) {
        best_gain = gain;
        best = a;
      }
    }
    if (best < 0)
      break; // cannot happen: the target never exceeds the reachable weight
    is_open[static_cast<Index>(best)] = true;
    open.push_back(best);
    for (int i = 0; i < p.clients; ++i)
      if (!covered[static_cast<Index>(i)] && p.d(i, best) <= options.radius) {
        covered[static_cast<Index>(i)] = true;
        weight += p.weight[static_cast<Index>(i)];
      }
  }
  std::string method = "greedy";
  if (options.search.local_search) {
    // Try one site fewer at a time: a max-coverage search with k-1 new sites that still meets the
    // target is a smaller plan.
    method = "greedy+teitz-bart";
    for (int k = static_cast<int>(open.size() - fixed_sites(p).size()) - 1; k >= 0; --k) {
      auto fewer = solve_mclp(p, k, options.radius, options.search);
      if (!fewer || fewer->objective < target - eps)
        break;
      open = fewer->open;
    }
    if (options.backup)
      improve_backup(p, options.radius, target, open);
  }
  return describe_cover(p, options, make_solution(p, open, 0, method));
}

} // namespace vikno::network
