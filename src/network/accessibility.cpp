#include "network/accessibility.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace vikno::network {
namespace {

using Index = std::size_t;

std::vector<GeoPoint> locations(const std::vector<AccessPoint>& points) {
  std::vector<GeoPoint> out;
  out.reserve(points.size());
  for (const AccessPoint& a : points)
    out.push_back(a.location);
  return out;
}

double step_weight(const std::vector<CatchmentStep>& steps, double km) {
  for (const CatchmentStep& s : steps)
    if (km <= s.upto_km)
      return s.weight;
  return 0;
}

std::vector<GroupShare> by_group(const std::vector<Settlement>& settlements, const std::vector<Neighbor>& nearest,
                                 double threshold, std::string Settlement::*member) {
  std::map<std::string, GroupShare> groups;
  for (Index i = 0; i < settlements.size(); ++i) {
    const Settlement& s = settlements[i];
    const std::string& name = s.*member;
    if (name.empty())
      continue;
    GroupShare& g = groups[name];
    g.group = name;
    ++g.settlements;
    g.population += s.population;
    if (nearest[i].km <= threshold)
      g.covered_population += s.population;
    if (s.population > 0)
      g.worst_km = std::max(g.worst_km, nearest[i].km);
  }
  std::vector<GroupShare> out;
  for (auto& [name, g] : groups) {
    g.share = g.population > 0 ? g.covered_population / g.population : 0;
    out.push_back(g);
  }
  std::stable_sort(out.begin(), out.end(), [](const GroupShare& a, const GroupShare& b) { return a.share < b.share; });
  return out;
}

} // namespace

std::vector<Neighbor> nearest_access(const std::vector<Settlement>& settlements, const std::vector<AccessPoint>& points,
                                     double detour_factor) {
  const std::vector<GeoPoint> where = locations(points);
  const GridIndex grid(where);
  std::vector<Neighbor> out;
  out.reserve(settlements.size());
  for (const Settlement& s : settlements) {
    Neighbor n = grid.nearest(s.location);
    n.km *= detour_factor;
    out.push_back(n);
  }
  return out;
}

AccessLists access_within(const std::vector<Settlement>& settlements, const std::vector<AccessPoint>& points,
                          double radius_km, double detour_factor) {
  const std::vector<GeoPoint> where = locations(points);
  const GridIndex grid(where);
  AccessLists lists(settlements.size());
  for (Index i = 0; i < settlements.size(); ++i) {
    grid.within(settlements[i].location, radius_km / detour_factor, lists[i]);
    for (Neighbor& n : lists[i])
      n.km *= detour_factor;
  }
  return lists;
}

Result<AccessLists> access_from_matrix(const std::vector<DistanceRecord>& records,
                                       const std::vector<Settlement>& settlements,
                                       const std::vector<AccessPoint>& points) {
  std::unordered_map<std::string, int> settlement_index, point_index;
  for (Index i = 0; i < settlements.size(); ++i)
    settlement_index.emplace(settlements[i].id, static_cast<int>(i));
  for (Index j = 0; j < points.size(); ++j)
    point_index.emplace(points[j].id, static_cast<int>(j));
  AccessLists lists(settlements.size());
  std::vector<FieldProblem> problems;
  for (const DistanceRecord& r : records) {
    const auto si = settlement_index.find(r.origin);
    const auto pj = point_index.find(r.destination);
    if (si == settlement_index.end())
      problems.push_back({"origin", "unknown settlement '" + r.origin + "'", r.line});
    else if (pj == point_index.end())
      problems.push_back({"destination", "unknown access point '" + r.destination + "'", r.line});
    else
      lists[static_cast<Index>(si->second)].push_back({pj->second, r.distance});
  }
  if (!problems.empty()) {
    // The message is built first: an argument evaluated after the move would see an empty list.
    std::string message = std::to_string(problems.size()) + " matrix line(s) name unknown places";
    return fail(Error::invalid("invalid_distance_matrix", std::move(message), std::move(problems)));
  }
  for (auto& list : lists)
    std::sort(list.begin(), list.end(),
              [](const Neighbor& a, const Neighbor& b) { return a.km < b.km || (a.km == b.km && a.site < b.site); });
  return lists;
}

std::vector<Neighbor> nearest_of(const AccessLists& lists) {
  std::vector<Neighbor> out;
  out.reserve(lists.size());
  for (const auto& list : lists)
    out.push_back(list.empty() ? Neighbor{} : list.front());
  return out;
}

CoverageReport coverage_report(const std::vector<Settlement>& settlements, const std::vector<Neighbor>& nearest,
                               double threshold_km, int worst_count) {
  CoverageReport r;
  r.threshold_km = threshold_km;
  for (Index i = 0; i < settlements.size(); ++i) {
    const Settlement& s = settlements[i];
    ++r.overall.settlements;
    r.overall.population += s.population;
    if (nearest[i].km <= threshold_km)
      r.overall.covered_population += s.population;
    if (s.population > 0)
      r.overall.worst_km = std::max(r.overall.worst_km, nearest[i].km);
  }
  r.overall.share = r.overall.population > 0 ? r.overall.covered_population / r.overall.population : 0;
  r.by_hromada = by_group(settlements, nearest, threshold_km, &Settlement::hromada);
  r.by_raion = by_group(settlements, nearest, threshold_km, &Settlement::raion);
  r.by_oblast = by_group(settlements, nearest, threshold_km, &Settlement::oblast);
  // Worst served: farthest first; among equals the larger population first (more people affected).
  std::vector<int> order;
  for (Index i = 0; i < settlements.size(); ++i)
    if (settlements[i].population > 0)
      order.push_back(static_cast<int>(i));
  const auto farther = [&](int a, int b) {
    const double da = nearest[static_cast<Index>(a)].km, db = nearest[static_cast<Index>(b)].km;
    if (da != db)
      return da > db;
    if (settlements[static_cast<Index>(a)].population != settlements[static_cast<Index>(b)].population)
      return settlements[static_cast<Index>(a)].population > settlements[static_cast<Index>(b)].population;
    return a < b;
  };
  const Index keep = std::min(order.size(), static_cast<Index>(std::max(0, worst_count)));
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep), order.end(), farther);
  order.resize(keep);
  r.worst = std::move(order);
  return r;
}

CatchmentResult floating_catchment(const std::vector<Settlement>& settlements, const std::vector<AccessPoint>& points,
                                   const AccessLists& lists, const std::vector<CatchmentStep>& steps) {
  CatchmentResult r;
  std::vector<double> demand(points.size(), 0.0);
  for (Index i = 0; i < settlements.size(); ++i)
    for (const Neighbor& n : lists[i])
      demand[static_cast<Index>(n.site)] += settlements[i].population * step_weight(steps, n.km);
  r.supply_ratio.resize(points.size());
  for (Index j = 0; j < points.size(); ++j)
    r.supply_ratio[j] = demand[j] > 0 ? points[j].windows / demand[j] : 0; // nobody in reach: no one to share with
  r.access.assign(settlements.size(), 0.0);
  for (Index i = 0; i < settlements.size(); ++i)
    for (const Neighbor& n : lists[i])
      r.access[i] += r.supply_ratio[static_cast<Index>(n.site)] * step_weight(steps, n.km);
  return r;
}

} // namespace vikno::network
