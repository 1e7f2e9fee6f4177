// libFuzzer target: outside input of network planning. Each input goes
//  - through the CSV readers (settlements, access points, distance matrix) and the OR-Library
//    p-median reader, which must either return values that keep their promises (finite
//    coordinates on the map, population and windows >= 0, distances >= 0) or an error whose every
//    problem names a line of the file;
//  - as a request body to POST /api/v1/network/analyze and /plan (the handlers, called directly:
//    authorization is the http target's business), which must answer 200 or 4xx, never 500.
//
// Build and run: scripts/fuzz.sh fuzz_network_parsers (tests/fuzz/CMakeLists.txt builds it with
// clang-14, ASan+UBSan and coverage on vikno_network).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

#include "http/router.hpp"
#include "network/parse.hpp"
#include "network/routes.hpp"

namespace {

using namespace vikno;

[[noreturn]] void violated(const char* what) {
  std::fprintf(stderr, "invariant violated: %s\n", what);
  std::abort();
}

void check_lines(const Error& e) {
  for (const FieldProblem& p : e.problems)
    if (p.line < 1)
      violated("a problem of a file without its line");
}

bool on_map(network::GeoPoint p) {
  return p.lat_deg >= -90 && p.lat_deg <= 90 && p.lon_deg >= -180 && p.lon_deg <= 180;
}

void parsers(const std::string& text) {
  {
    std::istringstream in(text);
    if (auto r = network::parse_settlements(in)) {
      for (const auto& s : *r)
        if (!(s.population >= 0) || !on_map(s.location) || s.id.empty())
          violated("a settlement off the map, with a negative population or without id");
    } else {
      check_lines(r.error());
    }
  }
  {
    std::istringstream in(text);
    if (auto r = network::parse_access_points(in)) {
      for (const auto& a : *r)
        if (!(a.windows >= 0) || !on_map(a.location) || a.id.empty())
          violated("an access point off the map, with negative windows or without id");
    } else {
      check_lines(r.error());
    }
  }
  {
    std::istringstream in(text);
    if (auto r = network::parse_distance_matrix(in)) {
      for (const auto& d : *r)
        if (!(d.distance >= 0))
          violated("a negative distance");
    } else {
      check_lines(r.error());
    }
  }
  // The OR-Library reader allocates n x n and runs Floyd-Warshall (n^3): inputs announcing more
  // than 200 vertices only measure the machine, so they stop at the header.
  std::istringstream head(text);
  long n = 0;
  if (head >> n && n > 0 && n <= 200) {
    std::istringstream in(text);
    if (auto r = network::parse_orlib_pmed(in)) {
      if (r->p < 1 || r->p > r->problem.clients)
        violated("p outside 1..n");
    } else {
      check_lines(r.error());
    }
  }
}

const http::Router& router() {
  static const http::Router r = [] {
    http::Router out;
    network::add_network_routes(out, {.settlements_file = "/nonexistent/settlements.csv"});
    return out;
  }();
  return r;
}

void routes(const std::string& body) {
  for (std::string_view path : {"/api/v1/network/analyze", "/api/v1/network/plan"}) {
    const http::Match match = router().match("POST", path);
    if (!match.route)
      violated("network route missing");
    http::Request request;
    request.method = "POST";
    request.path = std::string(path);
    request.body = body;
    auto response = match.route->handler(request);
    if (!response) {
      if (response.error().kind == ErrorKind::internal)
        violated("an internal error from bad input");
    } else if (response->status != 200) {
      violated("a handler answered neither 200 nor an error");
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  parsers(text);
  // A valid body can ask for a plan of up to 12M pairs; small inputs keep each run in milliseconds.
  if (size <= 4096)
    routes(text);
  return 0;
}
