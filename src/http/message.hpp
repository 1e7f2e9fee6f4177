// Request and Response as handlers see them: plain data, no sockets. The server (server.cpp)
// fills a Request from the wire, runs the route's handler on the worker pool, and writes the
// Response back; handlers never touch Beast. A Response may instead carry a live event stream
// (events.hpp), which the server then delivers until it ends.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/principal.hpp"
#include "common/deferred.hpp"
#include "common/error.hpp"
#include "live/channel.hpp"

namespace vikno::http {

struct Request {
  std::string method;                                          // "GET", "POST", ...
  std::string path;                                            // decoded path without the query: "/api/v1/users/3"
  std::map<std::string, std::string, std::less<>> query;       // decoded query parameters
  std::map<std::string, std::string, std::less<>> path_params; // from the route pattern: {"id": "3"}
  std::map<std::string, std::string, std::less<>> headers;     // lower-case names
  std::string body;
  std::string remote_ip;
  auth::Principal principal; // set by the authenticator before the handler runs

  [[nodiscard]] std::optional<std::string_view> header(std::string_view lower_name) const;
  [[nodiscard]] std::optional<std::string_view> cookie(std::string_view name) const;
  // A path parameter as an id; 404 when it is not a positive integer (so /users/abc is "not found").
  [[nodiscard]] Result<std::int64_t> id_param(std::string_view name) const;
  // Who asks, for the services' authorization checks and audit entries: the principal and address.
  // Refers to this request's principal, so it lives no longer than the request.
  [[nodiscard]] auth::Actor actor() const { return auth::Actor{principal, remote_ip}; }

  // Query parameters: the one way to read them (decoded; the first of repeated names).
  // A text parameter as sent, possibly empty; nullopt when absent.
  [[nodiscard]] std::optional<std::string_view> query_text(std::string_view name) const;
  // Integer parameters. An empty value ("?page=") counts as absent, as a form's empty field does.
  // A number is decimal digits with an optional '-', nothing else (no '+', no spaces, no trailing
  // characters); one that is not a number, overflows or lies outside [lo, hi] is 400
  // invalid_field naming the parameter (details.field), never a silent default or clamp.
  // Required: 400 invalid_field also when absent.
  [[nodiscard]] Result<std::int64_t> query_int(std::string_view name, std::int64_t lo, std::int64_t hi) const;
  [[nodiscard]] Result<std::optional<std::int64_t>> optional_query_int(std::string_view name, std::int64_t lo,
                                                                       std::int64_t hi) const;
  // `fallback` when absent (it need not lie in [lo, hi]).
  [[nodiscard]] Result<std::int64_t> query_int_or(std::string_view name, std::int64_t fallback, std::int64_t lo,
                                                  std::int64_t hi) const;
  // The body as a JSON object; 400 invalid_json otherwise.
  [[nodiscard]] Result<boost::json::object> json_body() const;
};

struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // With status 200, the server answers with a live stream of these events instead of `body`:
  // over a WebSocket when the request is an upgrade, as Server-Sent Events otherwise. One channel
  // per response. Server::handle (no socket) just returns it.
  std::shared_ptr<live::EventChannel> events;
  // When set, the server sends this response only once `after` settles, and if it failed, the
  // response to its exception instead, as if the handler had thrown it (the queue: a command's
  // answer waits for the commit of its rows). No thread waits for it meanwhile. Server::handle (no
  // socket) waits for it.
  std::shared_ptr<Deferred> after;

  static Response json(const boost::json::value& value, unsigned status = 200);
  static Response text(std::string body, std::string content_type = "text/plain; charset=utf-8", unsigned status = 200);
  static Response no_content();
  // A live event stream fed by `channel` (see `events` above).
  static Response event_stream(std::shared_ptr<live::EventChannel> channel);
};

// Fills request.path and request.query from a request target ("/a/b?x=1"); false when the
// target is not a valid origin-form (the server answers 400 bad_target).
bool parse_target(std::string_view target, Request& request);

// The one mapping from an Error to an HTTP response: status by ErrorKind, body in the shape
// {"error":{"code","message","details"}}.
Response error_response(const Error& error);
unsigned status_for(ErrorKind kind);

} // namespace vikno::http
