#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace vikno::http {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 1; // paths start with '/'
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool is_param(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Returns the number of literal segments matched (higher is more specific), or -1.
int match_segments(const Route& route, const std::vector<std::string_view>& parts,
                   std::vector<std::pair<std::string, std::string>>* params) {
  if (route.segments.size() != parts.size()) {
    return -1;
  }
  int literal = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& seg = route.segments[i];
    if (is_param(seg)) {
      if (parts[i].empty()) {
        return -1;
      }
      if (params != nullptr) {
        params->emplace_back(seg.substr(1, seg.size() - 2), std::string(parts[i]));
      }
    } else if (seg == parts[i]) {
      ++literal;
    } else {
      return -1;
    }
  }
  return literal;
}

} // namespace

void Router::add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::logic_error("route pattern must start with '/': " + pattern);
  }
  Route route;
  route.method = std::move(method);
  for (std::string_view seg : split_path(pattern)) {
    route.segments.emplace_back(seg);
  }
  if (!options.center_param.empty() && std::find(route.segments.begin(), route.segments.end(),
                                                 "{" + options.center_param + "}") == route.segments.end()) {
    throw std::logic_error("route " + pattern + " names a center parameter it does not have");
  }
  route.pattern = std::move(pattern);
  route.handler = std::move(handler);
  route.options = std::move(options);
  routes_.push_back(std::move(route));
}

Match Router::match(std::string_view method, std::string_view path) const {
  Match result;
  if (path.empty() || path.front() != '/') {
    return result;
  }
  auto parts = split_path(path);
  int best = -1;
  for (const Route& route : routes_) {
    int score = match_segments(route, parts, nullptr);
    if (score < 0) {
      continue;
    }
    if (route.method != method) {
      if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(), route.method) ==
          result.allowed_methods.end()) {
        result.allowed_methods.push_back(route.method);
      }
      continue;
    }
    if (score > best) {
      best = score;
      result.route = &route;
    }
  }
  if (result.route != nullptr) {
    match_segments(*result.route, parts, &result.params);
    result.allowed_methods.clear();
  }
  return result;
}

} // namespace vikno::http
