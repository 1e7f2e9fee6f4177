#include "http/message.hpp"

#include <boost/url/parse.hpp>

#include <charconv>

#include "common/json.hpp"

namespace vikno::http {

std::optional<std::string_view> Request::header(std::string_view lower_name) const {
  auto it = headers.find(lower_name);
  if (it == headers.end()) {
    return std::nullopt;
  }
  return std::string_view(it->second);
}

std::optional<std::string_view> Request::cookie(std::string_view name) const {
  auto cookies = header("cookie");
  if (!cookies) {
    return std::nullopt;
  }
  std::string_view rest = *cookies;
  while (!rest.empty()) {
    std::size_t end = rest.find(';');
    std::string_view pair = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') {
      pair.remove_prefix(1);
    }
    std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return pair.substr(eq + 1);
    }
  }
  return std::nullopt;
}

Result<std::int64_t> Request::id_param(std::string_view name) const {
  auto it = path_params.find(name);
  std::int64_t id = 0;
  if (it != path_params.end()) {
    const std::string& text = it->second;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec == std::errc{} && ptr == text.data() + text.size() && id > 0) {
      return id;
    }
  }
  return fail(Error::not_found("not_found", "no such " + std::string(name)));
}

Result<boost::json::object> Request::json_body() const { return json::parse_object(body); }

bool parse_target(std::string_view target, Request& request) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) {
    return false;
  }
  request.path = url->path();
  if (request.path.empty()) {
    request.path = "/";
  }
  for (auto param : url->params()) {
    request.query.emplace(param.key, param.value);
  }
  return true;
}

Response Response::json(const boost::json::value& value, unsigned status) {
  Response r;
  r.status = status;
  r.body = boost::json::serialize(value);
  return r;
}

Response Response::text(std::string body, std::string content_type, unsigned status) {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

Response Response::no_content() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Response Response::event_stream(std::shared_ptr<live::EventChannel> channel) {
  Response r;
  r.content_type = "text/event-stream; charset=utf-8";
  r.events = std::move(channel);
  return r;
}

unsigned status_for(ErrorKind kind) {
  switch (kind) {
  case ErrorKind::invalid_input:
    return 400;
  case ErrorKind::unauthenticated:
    return 401;
  case ErrorKind::forbidden:
    return 403;
  case ErrorKind::not_found:
    return 404;
  case ErrorKind::method_not_allowed:
    return 405;
  case ErrorKind::conflict:
    return 409;
  case ErrorKind::too_large:
    return 413;
  case ErrorKind::too_many_requests:
    return 429;
  case ErrorKind::unavailable:
    return 503;
  case ErrorKind::internal:
    return 500;
  }
  return 500;
}

Response error_response(const Error& error) { return Response::json(json::error_body(error), status_for(error.kind)); }

} // namespace vikno::http
