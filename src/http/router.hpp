// Router: maps a method and a path to a route. Patterns are literal segments and `{name}`
// parameters ("/api/v1/centers/{center_id}/staff"); a literal segment wins over a parameter.
// A path that exists under other methods gives 405 with the allowed methods, an unknown path 404.
//
// Each route also says who may call it (a Permission, and which path parameter names the center),
// so authorization happens in one place (the server, through auth::authorize) before the handler.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/policy.hpp"
#include "http/message.hpp"

namespace vikno::http {

using Handler = std::function<Result<Response>(Request&)>;

struct RouteOptions {
  auth::Permission permission = auth::Permission::public_read;
  std::string center_param;                 // path parameter holding the center id, if any
  std::optional<std::size_t> body_limit;    // bytes; the server's default when empty
  bool state_changing_without_csrf = false; // login: no session yet, so no CSRF token to check
};

struct Route {
  std::string method;
  std::string pattern;
  std::vector<std::string> segments; // pattern split on '/'
  Handler handler;
  RouteOptions options;
};

struct Match {
  const Route* route = nullptr; // null: no route for this method
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<std::string> allowed_methods; // when route is null but the path exists
};

class Router {
public:
  void add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});
  [[nodiscard]] Match match(std::string_view method, std::string_view path) const;
  [[nodiscard]] const std::vector<Route>& routes() const { return routes_; }

private:
  std::vector<Route> routes_;
};

} // namespace vikno::http
