#include "network/parse.hpp"

#include "network/geo.hpp"

#include "common/csv.hpp"
#include "common/problems.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <sstream>
#include <unordered_map>

namespace vikno::network {
namespace {

using Index = std::size_t;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

// A whole field as a finite number, or nothing.
std::optional<double> to_number(std::string_view s) {
  s = trim(s);
  if (!s.empty() && s.front() == '+')
    s.remove_prefix(1);
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v))
    return std::nullopt;
  return v;
}

Error input_error(const std::string& what, Problems problems) {
  std::string message = what + ": " + std::to_string(problems.size()) + " problem(s)";
  if (!problems.empty())
    message += "; first at line " + std::to_string(problems[0].line) + ": " + problems[0].problem;
  return Error::invalid("invalid_" + lower(what), std::move(message), std::move(problems));
}

// Resolves required and optional columns; a missing required one is a problem on line 1.
struct Columns {
  const CsvTable& table;
  Problems& problems;
  int require(const std::string& name) {
    const int c = table.column(name);
    if (c < 0)
      problems.push_back({name, "missing column '" + name + "'", 1});
    return c;
  }
  int optional(const std::string& name) const { return name.empty() ? -1 : table.column(name); }
};

std::string_view field(const std::vector<std::string>& row, int column) {
  if (column < 0 || static_cast<Index>(column) >= row.size())
    return {};
  return trim(row[static_cast<Index>(column)]);
}

std::string key(std::string_view a, std::string_view b) {
  std::string k(a);
  k.push_back('\x1f');
  k.append(b);
  return k;
}

} // namespace

int CsvTable::column(std::string_view name) const {
  const std::string wanted = lower(trim(name));
  for (Index c = 0; c < header.size(); ++c)
    if (lower(trim(header[c])) == wanted)
      return static_cast<int>(c);
  return -1;
}

Result<CsvTable> read_csv(std::istream& in) {
  std::string text;
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0)
    text.append(chunk, static_cast<Index>(in.gcount()));
  auto records = csv::read(text);
  if (!records)
    return fail(Error::invalid(
        "invalid_csv", "unterminated quoted field",
        {{"", "unterminated quoted field starting on this record", records.error().problems.at(0).line}}));
  if (records->empty())
    return fail(Error::invalid("invalid_csv", "the file is empty", {{"", "no header line", 1}}));
  CsvTable table;
  table.header = std::move(records->front().fields);
  for (Index r = 1; r < records->size(); ++r) {
    table.rows.push_back(std::move((*records)[r].fields));
    table.lines.push_back((*records)[r].line);
  }
  return table;
}

Result<std::vector<Settlement>> parse_settlements(std::istream& in, const SettlementColumns& names) {
  auto table = read_csv(in);
  if (!table)
    return fail(table.error());
  Problems problems;
  Columns cols{*table, problems};
  const int id = cols.require(names.id), pop = cols.require(names.population), lat = cols.require(names.lat),
            lon = cols.require(names.lon);
  const int name = cols.optional(names.name), hromada = cols.optional(names.hromada),
            raion = cols.optional(names.raion), oblast = cols.optional(names.oblast);
  if (!problems.empty())
    return fail(input_error("settlements", std::move(problems)));
  std::vector<Settlement> out;
  std::unordered_map<std::string, int> seen;
  for (Index r = 0; r < table->rows.size(); ++r) {
    const auto& row = table->rows[r];
    const int line = table->lines[r];
    Settlement s;
    s.id = std::string(field(row, id));
    s.name = std::string(field(row, name));
    s.hromada = std::string(field(row, hromada));
    s.raion = std::string(field(row, raion));
    s.oblast = std::string(field(row, oblast));
    if (s.id.empty())
      problems.push_back({names.id, "empty id", line});
    else if (auto [it, fresh] = seen.emplace(s.id, line); !fresh)
      problems.push_back(
          {names.id, "duplicate id '" + s.id + "' (first on line " + std::to_string(it->second) + ")", line});
    const auto p = to_number(field(row, pop));
    if (!p)
      problems.push_back({names.population, "population is not a number", line});
    else if (*p < 0)
      problems.push_back({names.population, "negative population", line});
    else
      s.population = *p;
    const auto la = to_number(field(row, lat));
    const auto lo = to_number(field(row, lon));
    if (field(row, lat).empty() || field(row, lon).empty())
      problems.push_back({field(row, lat).empty() ? names.lat : names.lon, "settlement without coordinates", line});
    else if (!la || !lo || *la < -90 || *la > 90 || *lo < -180 || *lo > 180)
      problems.push_back(
          {!la || *la < -90 || *la > 90 ? names.lat : names.lon, "coordinate is not a valid degree", line});
    else
      s.location = {*la, *lo};
    out.push_back(std::move(s));
  }
  if (!problems.empty())
    return fail(input_error("settlements", std::move(problems)));
  return out;
}

Result<std::vector<AccessPoint>> parse_access_points(std::istream& in, const AccessPointColumns& names) {
  auto table = read_csv(in);
  if (!table)
    return fail(table.error());
  Problems problems;
  Columns cols{*table, problems};
  const int id = cols.require(names.id), lat = cols.require(names.lat), lon = cols.require(names.lon);
  const int name = cols.optional(names.name), windows = cols.optional(names.windows);
  if (!problems.empty())
    return fail(input_error("access_points", std::move(problems)));
  std::vector<AccessPoint> out;
  std::unordered_map<std::string, int> seen;
  for (Index r = 0; r < table->rows.size(); ++r) {
    const auto& row = table->rows[r];
    const int line = table->lines[r];
    AccessPoint a;
    a.id = std::string(field(row, id));
    a.name = std::string(field(row, name));
    if (a.id.empty())
      problems.push_back({names.id, "empty id", line});
    else if (auto [it, fresh] = seen.emplace(a.id, line); !fresh)
      problems.push_back(
          {names.id, "duplicate id '" + a.id + "' (first on line " + std::to_string(it->second) + ")", line});
    const auto la = to_number(field(row, lat));
    const auto lo = to_number(field(row, lon));
    if (field(row, lat).empty() || field(row, lon).empty())
      problems.push_back({names.lat, "access point without coordinates", line});
    else if (!la || !lo || *la < -90 || *la > 90 || *lo < -180 || *lo > 180)
      problems.push_back({names.lat, "coordinate is not a valid degree", line});
    else
      a.location = {*la, *lo};
    if (windows >= 0 && !field(row, windows).empty()) {
      const auto w = to_number(field(row, windows));
      if (!w || *w < 0)
        problems.push_back({names.windows, "windows must be a number >= 0", line});
      else
        a.windows = *w;
    }
    out.push_back(std::move(a));
  }
  if (!problems.empty())
    return fail(input_error("access_points", std::move(problems)));
  return out;
}

Result<std::vector<DistanceRecord>> parse_distance_matrix(std::istream& in, const MatrixColumns& names) {
  auto table = read_csv(in);
  if (!table)
    return fail(table.error());
  Problems problems;
  Columns cols{*table, problems};
  const int o = cols.require(names.origin), d = cols.require(names.destination), v = cols.require(names.distance);
  if (!problems.empty())
    return fail(input_error("distance_matrix", std::move(problems)));
  std::vector<DistanceRecord> out;
  std::unordered_map<std::string, Index> seen;
  for (Index r = 0; r < table->rows.size(); ++r) {
    const auto& row = table->rows[r];
    const int line = table->lines[r];
    DistanceRecord rec{std::string(field(row, o)), std::string(field(row, d)), 0, line};
    const auto value = to_number(field(row, v));
    if (row.size() < table->header.size())
      problems.push_back(
          {"", "expected " + std::to_string(table->header.size()) + " fields, found " + std::to_string(row.size()),
           line});
    else if (rec.origin.empty() || rec.destination.empty())
      problems.push_back({rec.origin.empty() ? names.origin : names.destination, "empty name", line});
    else if (!value)
      problems.push_back({names.distance, "distance is not a number", line});
    else if (*value < 0)
      problems.push_back({names.distance, "negative distance", line});
    else {
      rec.distance = *value;
      auto [it, fresh] = seen.emplace(key(rec.origin, rec.destination), out.size());
      if (!fresh && out[it->second].distance != rec.distance)
        problems.push_back(
            {names.distance,
             "pair listed again with another distance (first on line " + std::to_string(out[it->second].line) + ")",
             line});
      out.push_back(std::move(rec));
    }
  }
  if (!problems.empty())
    return fail(input_error("distance_matrix", std::move(problems)));
  return out;
}

Result<LocationProblem> problem_from_matrix(const std::vector<DistanceRecord>& records,
                                            const std::vector<std::string>& client_ids,
                                            const std::vector<double>& weights, const std::vector<SiteSpec>& sites) {
  if (weights.size() != client_ids.size())
    return fail(Error::invalid("invalid_problem", "one weight per client is needed"));
  LocationProblem p;
  p.clients = static_cast<int>(client_ids.size());
  p.sites = static_cast<int>(sites.size());
  p.weight = weights;
  p.client_ids = client_ids;
  for (const SiteSpec& s : sites) {
    p.site_ids.push_back(s.id);
    p.fixed.push_back(s.fixed);
  }
  p.distance.assign(static_cast<Index>(p.clients) * static_cast<Index>(p.sites), kUnreachable);
  std::unordered_map<std::string, int> client_index, site_index;
  for (Index i = 0; i < client_ids.size(); ++i)
    client_index.emplace(client_ids[i], static_cast<int>(i));
  for (Index j = 0; j < sites.size(); ++j)
    site_index.emplace(sites[j].id, static_cast<int>(j));
  Problems problems;
  for (const DistanceRecord& r : records) {
    const auto ci = client_index.find(r.origin);
    const auto sj = site_index.find(r.destination);
    if (ci == client_index.end())
      problems.push_back({"origin", "unknown origin '" + r.origin + "'", r.line});
    else if (sj == site_index.end())
      problems.push_back({"destination", "unknown destination '" + r.destination + "'", r.line});
    else
      p.distance[static_cast<Index>(ci->second) * static_cast<Index>(p.sites) + static_cast<Index>(sj->second)] =
          r.distance;
  }
  if (!problems.empty())
    return fail(input_error("distance_matrix", std::move(problems)));
  return p;
}

Result<LocationProblem> problem_from_geo(const std::vector<Settlement>& settlements,
                                         const std::vector<AccessPoint>& existing,
                                         const std::vector<AccessPoint>& candidates, double detour_factor) {
  if (!(detour_factor >= 1.0) || !std::isfinite(detour_factor))
    return fail(Error::field("detour_factor", "must be a number >= 1"));
  LocationProblem p;
  p.clients = static_cast<int>(settlements.size());
  p.sites = static_cast<int>(existing.size() + candidates.size());
  for (const Settlement& s : settlements) {
    p.client_ids.push_back(s.id);
    p.weight.push_back(s.population);
  }
  std::vector<GeoPoint> where;
  for (const auto* group : {&existing, &candidates})
    for (const AccessPoint& a : *group) {
      p.site_ids.push_back(a.id);
      p.fixed.push_back(group == &existing);
      where.push_back(a.location);
    }
  p.distance.resize(static_cast<Index>(p.clients) * static_cast<Index>(p.sites));
  for (Index i = 0; i < settlements.size(); ++i)
    for (Index j = 0; j < where.size(); ++j)
      p.distance[i * where.size() + j] = haversine_km(settlements[i].location, where[j]) * detour_factor;
  return p;
}

void floyd_warshall(std::vector<double>& d, int n) {
  const Index size = static_cast<Index>(n);
  for (Index k = 0; k < size; ++k)
    for (Index i = 0; i < size; ++i) {
      const double dik = d[i * size + k];
      if (dik == kUnreachable)
        continue;
      for (Index j = 0; j < size; ++j)
        d[i * size + j] = std::min(d[i * size + j], dik + d[k * size + j]);
    }
}

constexpr long kMaxOrLibVertices = 2000;

Result<OrLibInstance> parse_orlib_pmed(std::istream& in) {
  Problems problems;
  std::string text;
  int line = 0;
  long n = -1, m = -1, p = -1;
  long edges = 0;
  std::vector<double> d;
  while (std::getline(in, text)) {
    ++line;
    std::istringstream fields(text);
    std::vector<std::string> parts;
    for (std::string part; fields >> part;)
      parts.push_back(part);
    if (parts.empty())
      continue;
    std::vector<long> values;
    for (const std::string& part : parts) {
      long v = 0;
      const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
      if (ec != std::errc() || end != part.data() + part.size()) {
        problems.push_back({"", "'" + part + "' is not an integer", line});
        values.clear();
        break;
      }
      values.push_back(v);
    }
    if (values.empty())
      continue;
    if (values.size() != 3) {
      problems.push_back({"", "expected 3 integers, found " + std::to_string(values.size()), line});
      continue;
    }
    if (n < 0) {
      n = values[0];
      m = values[1];
      p = values[2];
      // OR-Library's p-median instances have at most 900 vertices; the cap keeps a hostile header
      // from asking for an n x n matrix of gigabytes (found by the fuzzer).
      if (n <= 0 || n > kMaxOrLibVertices || m < 0 || p <= 0 || p > n) {
        problems.push_back(
            {"", "header must be 'n m p' with 0 < p <= n <= " + std::to_string(kMaxOrLibVertices) + " and m >= 0",
             line});
        break;
      }
      d.assign(static_cast<Index>(n * n), kUnreachable);
      for (long i = 0; i < n; ++i)
        d[static_cast<Index>(i * n + i)] = 0;
      continue;
    }
    const long a = values[0], b = values[1], c = values[2];
    if (a < 1 || a > n || b < 1 || b > n || c < 0) {
      problems.push_back({"", "edge needs vertices in 1.." + std::to_string(n) + " and a cost >= 0", line});
      continue;
    }
    ++edges;
    // The last listing of an edge wins (pmed5 lists 80-49 twice), as in the README's rule.
    if (a != b) {
      d[static_cast<Index>((a - 1) * n + (b - 1))] = static_cast<double>(c);
      d[static_cast<Index>((b - 1) * n + (a - 1))] = static_cast<double>(c);
    }
  }
  if (n < 0 && problems.empty())
    problems.push_back({"", "missing header 'n m p'", 1});
  if (problems.empty() && edges != m)
    problems.push_back(
        {"", "header announces " + std::to_string(m) + " edges, file has " + std::to_string(edges), line});
  if (!problems.empty())
    return fail(input_error("orlib", std::move(problems)));
  floyd_warshall(d, static_cast<int>(n));
  OrLibInstance out;
  out.p = static_cast<int>(p);
  out.problem.clients = out.problem.sites = static_cast<int>(n);
  out.problem.distance = std::move(d);
  out.problem.weight.assign(static_cast<Index>(n), 1.0);
  out.problem.fixed.assign(static_cast<Index>(n), false);
  for (long i = 1; i <= n; ++i) {
    out.problem.client_ids.push_back(std::to_string(i));
    out.problem.site_ids.push_back(std::to_string(i));
  }
  return out;
}

} // namespace vikno::network
