#include "network/routes.hpp"

#include "common/json.hpp"
#include "network/report.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <fstream>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <unordered_map>

namespace vikno::network {
namespace {

namespace bj = boost::json;
using http::Request;
using http::Response;
using http::RouteOptions;
using Index = std::size_t;

// The bounds of one request. A plan holds the settlements x sites matrix twice (distances and the
// model's costs, 8 bytes each), so 12M cells is about 200 MB and some seconds on one core: all of
// Ukraine's shipped settlements as candidates plus ~1,300 existing points fit.
constexpr Index kMaxSettlements = 50000;
constexpr Index kMaxPoints = 20000;
constexpr int kMaxK = 100;
constexpr Index kMaxPlanCells = 12'000'000;
// LSCP runs an MCLP search per plan size it tries, so it gets a quarter of that.
constexpr Index kMaxCoverCells = 3'000'000;
// GLPK's branch and cut on more than a few hundred clients x sites can take hours.
constexpr Index kMaxExactCells = 250'000;
constexpr double kExactTimeLimitS = 20;
constexpr int kMaxRestarts = 8;
constexpr int kDefaultRestarts = 2;
constexpr Index kMaxReportedProblems = 100;
constexpr std::size_t kBodyLimit = std::size_t{8} * 1024 * 1024;

// Shared by the two routes: the built-in settlements read once at start, and the gate that lets one
// plan run at a time (each may take a core and hundreds of MB for seconds).
struct State {
  std::vector<Settlement> builtin;
  std::optional<Error> builtin_error; // why "builtin" cannot be used
  std::function<std::vector<AccessPoint>()> registry_points;
  std::mutex plan_gate;
};

// Collects every problem of a request before anything is computed.
struct Problems {
  std::vector<FieldProblem> list;
  void add(std::string field, std::string problem, int line = 0) {
    list.push_back({std::move(field), std::move(problem), line});
  }
  // Problems of a parsed CSV section: the column gets the section's name in front.
  void add_all(const Error& e, const std::string& section) {
    if (e.problems.empty())
      add(section, e.message);
    for (const FieldProblem& p : e.problems)
      add(p.field.empty() ? section : section + "." + p.field, p.problem, p.line);
  }
  [[nodiscard]] bool empty() const { return list.empty(); }
  Error error() && {
    std::string message = std::to_string(list.size()) + " problem(s) in the request";
    const FieldProblem& first = list.front();
    message += "; first: " + first.field + (first.line > 0 ? " line " + std::to_string(first.line) : "") + ": " +
               first.problem;
    if (list.size() > kMaxReportedProblems) {
      message += " (the first " + std::to_string(kMaxReportedProblems) + " are listed)";
      list.resize(kMaxReportedProblems);
    }
    return Error::invalid("invalid_network_input", std::move(message), std::move(list));
  }
};

std::string path_of(std::string_view section, Index i, std::string_view field = {}) {
  std::string out = std::string(section) + "[" + std::to_string(i) + "]";
  if (!field.empty())
    out += "." + std::string(field);
  return out;
}

std::optional<std::string> text_member(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  if (!v || v->is_null())
    return std::string();
  if (v->is_string())
    return std::string(v->as_string());
  return std::nullopt;
}

// An id may be a string or an integer (GeoNames and registry ids are numbers).
std::optional<std::string> id_member(const bj::object& o) {
  const bj::value* v = o.if_contains("id");
  if (v && v->is_int64())
    return std::to_string(v->as_int64());
  if (v && v->is_uint64())
    return std::to_string(v->as_uint64());
  if (v && v->is_string() && !v->as_string().empty())
    return std::string(v->as_string());
  return std::nullopt;
}

std::optional<double> number_member(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  if (!v || !v->is_number())
    return std::nullopt;
  return v->to_number<double>();
}

// Coordinates of one item; a missing or off-the-map degree is a problem named by its path.
std::optional<GeoPoint> location_member(const bj::object& o, std::string_view section, Index i, std::string_view what,
                                        Problems& problems) {
  const bool has_lat = o.contains("lat") && !o.at("lat").is_null();
  const bool has_lon = o.contains("lon") && !o.at("lon").is_null();
  if (!has_lat || !has_lon) {
    problems.add(path_of(section, i, has_lat ? "lon" : "lat"), std::string(what) + " without coordinates");
    return std::nullopt;
  }
  const auto lat = number_member(o, "lat");
  const auto lon = number_member(o, "lon");
  if (!lat || *lat < -90 || *lat > 90) {
    problems.add(path_of(section, i, "lat"), "must be a number from -90 to 90");
    return std::nullopt;
  }
  if (!lon || *lon < -180 || *lon > 180) {
    problems.add(path_of(section, i, "lon"), "must be a number from -180 to 180");
    return std::nullopt;
  }
  return GeoPoint{*lat, *lon};
}

void check_id(const std::optional<std::string>& id, std::string_view section, Index i,
              std::unordered_map<std::string, Index>& seen, Problems& problems) {
  if (!id) {
    problems.add(path_of(section, i, "id"), "must be a non-empty string or an integer");
    return;
  }
  if (auto [it, fresh] = seen.emplace(*id, i); !fresh)
    problems.add(path_of(section, i, "id"),
                 "duplicate id '" + *id + "' (first at " + path_of(section, it->second) + ")");
}

std::vector<Settlement> settlements_from_json(const bj::array& items, std::string_view section, Problems& problems) {
  std::vector<Settlement> out;
  std::unordered_map<std::string, Index> seen;
  for (Index i = 0; i < items.size(); ++i) {
    const bj::object* o = items[i].if_object();
    if (!o) {
      problems.add(path_of(section, i), "must be an object {id, name, population, lat, lon}");
      continue;
    }
    Settlement s;
    const auto id = id_member(*o);
    check_id(id, section, i, seen, problems);
    s.id = id.value_or("");
    for (auto [key, member] : {std::pair{"name", &Settlement::name}, std::pair{"hromada", &Settlement::hromada},
                               std::pair{"raion", &Settlement::raion}, std::pair{"oblast", &Settlement::oblast}}) {
      if (auto text = text_member(*o, key))
        s.*member = std::move(*text);
      else
        problems.add(path_of(section, i, key), "must be a string");
    }
    const auto population = number_member(*o, "population");
    if (!population)
      problems.add(path_of(section, i, "population"), "must be a number");
    else if (*population < 0)
      problems.add(path_of(section, i, "population"), "negative population");
    else
      s.population = *population;
    if (auto where = location_member(*o, section, i, "settlement", problems))
      s.location = *where;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<AccessPoint> points_from_json(const bj::array& items, std::string_view section, Problems& problems) {
  std::vector<AccessPoint> out;
  std::unordered_map<std::string, Index> seen;
  for (Index i = 0; i < items.size(); ++i) {
    const bj::object* o = items[i].if_object();
    if (!o) {
      problems.add(path_of(section, i), "must be an object {id, name, lat, lon, windows}");
      continue;
    }
    AccessPoint a;
    const auto id = id_member(*o);
    check_id(id, section, i, seen, problems);
    a.id = id.value_or("");
    if (auto name = text_member(*o, "name"))
      a.name = std::move(*name);
    else
      problems.add(path_of(section, i, "name"), "must be a string");
    if (auto where = location_member(*o, section, i, "access point", problems))
      a.location = *where;
    if (o->contains("windows") && !o->at("windows").is_null()) {
      const auto windows = number_member(*o, "windows");
      if (!windows || *windows < 0)
        problems.add(path_of(section, i, "windows"), "must be a number >= 0");
      else
        a.windows = *windows;
    }
    out.push_back(std::move(a));
  }
  return out;
}

// A section given as CSV text goes through the same parser as `vikno network`, lines included.
template <class T, class Parse>
std::vector<T> from_csv(const bj::string& text, const std::string& section, Problems& problems, Parse&& parse) {
  std::istringstream in(std::string(text.data(), text.size()));
  auto parsed = parse(in);
  if (!parsed) {
    problems.add_all(parsed.error(), section);
    return {};
  }
  return std::move(*parsed);
}

// "settlements": "builtin" | [objects] | "CSV text".
std::vector<Settlement> read_settlements(const bj::object& body, const State& state, Problems& problems,
                                         std::optional<Error>& unavailable) {
  const bj::value* v = body.if_contains("settlements");
  if (!v || v->is_null()) {
    problems.add("settlements", "required: \"builtin\", an array of {id, name, population, lat, lon} or CSV text");
    return {};
  }
  if (v->is_string() && v->as_string() == "builtin") {
    if (state.builtin_error)
      unavailable = *state.builtin_error;
    return state.builtin;
  }
  if (v->is_array())
    return settlements_from_json(v->as_array(), "settlements", problems);
  if (v->is_string())
    return from_csv<Settlement>(v->as_string(), "settlements", problems,
                                [](std::istream& in) { return parse_settlements(in); });
  problems.add("settlements", "must be \"builtin\", an array of objects or CSV text");
  return {};
}

// "points" / "candidates": [objects] | "CSV text" | "registry"; absent is an empty list.
std::vector<AccessPoint> read_points(const bj::object& body, const std::string& key, const State& state,
                                     Problems& problems) {
  const bj::value* v = body.if_contains(key);
  if (!v || v->is_null())
    return {};
  if (v->is_string() && v->as_string() == "registry") {
    if (!state.registry_points) {
      problems.add(key, "\"registry\" is not available in this server");
      return {};
    }
    return state.registry_points();
  }
  if (v->is_array())
    return points_from_json(v->as_array(), key, problems);
  if (v->is_string())
    return from_csv<AccessPoint>(v->as_string(), key, problems,
                                 [](std::istream& in) { return parse_access_points(in); });
  problems.add(key, "must be an array of {id, name, lat, lon, windows}, CSV text or \"registry\"");
  return {};
}

double read_number(const bj::object& body, std::string_view key, double fallback, double min, double max,
                   Problems& problems) {
  const bj::value* v = body.if_contains(key);
  if (!v || v->is_null())
    return fallback;
  if (!v->is_number() || v->to_number<double>() < min || v->to_number<double>() > max) {
    problems.add(std::string(key),
                 "must be a number from " + bj::serialize(bj::value(min)) + " to " + bj::serialize(bj::value(max)));
    return fallback;
  }
  return v->to_number<double>();
}

int read_int(const bj::object& body, std::string_view key, int fallback, int min, int max, Problems& problems,
             const std::string& why = {}) {
  const bj::value* v = body.if_contains(key);
  if (!v || v->is_null())
    return fallback;
  if (!v->is_int64() || v->as_int64() < min || v->as_int64() > max) {
    problems.add(std::string(key),
                 "must be an integer from " + std::to_string(min) + " to " + std::to_string(max) + why);
    return fallback;
  }
  return static_cast<int>(v->as_int64());
}

bool read_bool(const bj::object& body, std::string_view key, Problems& problems) {
  const bj::value* v = body.if_contains(key);
  if (!v || v->is_null())
    return false;
  if (!v->is_bool()) {
    problems.add(std::string(key), "must be true or false");
    return false;
  }
  return v->as_bool();
}

// A misspelt option ("treshold_km") must not be ignored silently: the analyst would get defaults.
void reject_unknown(const bj::object& body, const std::set<std::string, std::less<>>& known, Problems& problems) {
  for (const auto& member : body)
    if (!known.contains(member.key()))
      problems.add(std::string(member.key()), "unknown field");
}

struct Common {
  Format format = Format::json;
  bj::object body;
};

Result<Common> read_common(const Request& req) {
  Common c;
  if (auto text = req.query_text("format")) {
    auto format = format_from_string(*text);
    if (!format)
      return fail(Error::field("format", "must be json, csv or geojson"));
    c.format = *format;
  }
  VIKNO_TRY(body, req.json_body());
  c.body = std::move(body);
  return c;
}

Response rendered(std::string text, Format format) {
  switch (format) {
  case Format::csv:
    return Response::text(std::move(text), "text/csv; charset=utf-8");
  case Format::geojson:
    return Response::text(std::move(text), "application/geo+json");
  case Format::json:
    break;
  }
  return Response::text(std::move(text), "application/json");
}

Error too_large(const std::string& what) { return Error::invalid("network_input_too_large", what, {{"", what, 0}}); }

Result<Response> handle_analyze(const Request& req, const State& state) {
  VIKNO_TRY(common, read_common(req));
  const bj::object& body = common.body;
  Problems problems;
  reject_unknown(body, {"settlements", "points", "threshold_km", "catchment_km", "detour_factor", "worst"}, problems);
  AnalyzeOptions options;
  options.threshold_km = read_number(body, "threshold_km", kAccessThresholdKm, 0.1, 1000, problems);
  options.catchment_km = read_number(body, "catchment_km", options.threshold_km, 0.1, 1000, problems);
  options.detour_factor = read_number(body, "detour_factor", 1.3, 1, 10, problems);
  options.worst = read_int(body, "worst", 20, 0, 1000, problems);
  std::optional<Error> unavailable;
  const auto settlements = read_settlements(body, state, problems, unavailable);
  if (!body.contains("points"))
    problems.add("points", "required: the existing access points, an array of {id, name, lat, lon, windows}");
  const auto points = read_points(body, "points", state, problems);
  if (!problems.empty())
    return fail(std::move(problems).error());
  if (unavailable)
    return fail(*unavailable);
  if (settlements.size() > kMaxSettlements || points.size() > kMaxPoints)
    return fail(too_large("at most " + std::to_string(kMaxSettlements) + " settlements and " +
                          std::to_string(kMaxPoints) + " access points per analysis"));
  VIKNO_TRY(analysis, analyze(settlements, points, options));
  return rendered(render_analysis(analysis, settlements, points, common.format), common.format);
}

Result<Response> handle_plan(const Request& req, State& state) {
  VIKNO_TRY(common, read_common(req));
  const bj::object& body = common.body;
  Problems problems;
  reject_unknown(body,
                 {"settlements", "points", "candidates", "model", "k", "threshold_km", "detour_factor", "share",
                  "backup", "exact", "restarts", "seed"},
                 problems);
  PlanOptions options;
  if (const bj::value* m = body.if_contains("model"); m && !m->is_null()) {
    const auto model = m->is_string() ? model_from_string(m->as_string()) : std::nullopt;
    if (!model)
      problems.add("model", "must be mclp, p-median, p-center or lscp");
    else
      options.model = *model;
  }
  options.k = read_int(body, "k", 1, 0, kMaxK, problems, " (new sites per plan are capped for the server's sake)");
  options.radius_km = read_number(body, "threshold_km", kAccessThresholdKm, 0.1, 1000, problems);
  const double detour = read_number(body, "detour_factor", 1.3, 1, 10, problems);
  options.share = read_number(body, "share", 1.0, 0.01, 1, problems);
  options.backup = read_bool(body, "backup", problems);
  options.exact = read_bool(body, "exact", problems);
  options.exact_time_limit_s = kExactTimeLimitS;
  options.search.restarts = read_int(body, "restarts", kDefaultRestarts, 0, kMaxRestarts, problems);
  options.search.seed = static_cast<std::uint64_t>(read_int(body, "seed", 1, 0, 1 << 30, problems));

  std::optional<Error> unavailable;
  const auto settlements = read_settlements(body, state, problems, unavailable);
  const auto existing = read_points(body, "points", state, problems);
  std::vector<AccessPoint> candidates;
  if (const bj::value* c = body.if_contains("candidates");
      !c || c->is_null() || (c->is_string() && c->as_string() == "settlements"))
    candidates = settlements_as_sites(settlements);
  else
    candidates = read_points(body, "candidates", state, problems);
  if (problems.empty() && options.model != Model::lscp && static_cast<Index>(options.k) > candidates.size())
    problems.add("k", std::to_string(options.k) + " new sites asked but only " + std::to_string(candidates.size()) +
                          " candidates");
  if (!problems.empty()) {
    Error e = std::move(problems).error();
    if (e.problems.size() == 1 && e.problems[0].field == "k" && e.problems[0].problem.ends_with(" candidates"))
      e.code = "k_exceeds_candidates";
    return fail(std::move(e));
  }
  if (unavailable)
    return fail(*unavailable);

  const Index sites = existing.size() + candidates.size();
  const Index cells = settlements.size() * sites;
  const Index limit = options.exact ? kMaxExactCells : options.model == Model::lscp ? kMaxCoverCells : kMaxPlanCells;
  if (cells > limit)
    return fail(too_large(std::to_string(settlements.size()) + " settlements x " + std::to_string(sites) +
                          " sites is " + std::to_string(cells) + " pairs; a " + (options.exact ? "exact " : "") +
                          std::string(to_string(options.model)) + " plan takes at most " + std::to_string(limit) +
                          ": narrow the area or pass fewer candidates"));

  std::unique_lock gate(state.plan_gate, std::try_to_lock);
  if (!gate.owns_lock())
    return fail(Error{ErrorKind::unavailable,
                      "network_plan_busy",
                      "another plan is being computed on this server; try again in a few seconds",
                      {}});
  VIKNO_TRY(problem, problem_from_geo(settlements, existing, candidates, detour));
  VIKNO_TRY(result, plan(problem, options));
  gate.unlock();
  std::vector<AccessPoint> all_sites = existing;
  all_sites.insert(all_sites.end(), candidates.begin(), candidates.end());
  return rendered(render_plan(result, problem, &all_sites, common.format), common.format);
}

} // namespace

void add_network_routes(http::Router& router, const RoutesOptions& options) {
  auto state = std::make_shared<State>();
  std::ifstream file(options.settlements_file, std::ios::binary);
  if (!file) {
    state->builtin_error = Error::not_found(
        "builtin_settlements_missing", "the built-in settlements file " + options.settlements_file.string() +
                                           " is not there; pass the settlements inline or set network.settlements");
  } else if (auto parsed = parse_settlements(file); !parsed) {
    state->builtin_error =
        Error{ErrorKind::unavailable, "builtin_settlements_invalid",
              options.settlements_file.string() + ": " + parsed.error().message, parsed.error().problems};
  } else {
    state->builtin = std::move(*parsed);
  }
  state->registry_points = options.registry_points;
  const RouteOptions route{.permission = auth::Permission::signed_in, .body_limit = kBodyLimit};
  router.add(
      "POST", "/api/v1/network/analyze", [state](Request& req) { return handle_analyze(req, *state); }, route);
  router.add(
      "POST", "/api/v1/network/plan", [state](Request& req) { return handle_plan(req, *state); }, route);
}

} // namespace vikno::network
