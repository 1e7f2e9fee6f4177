#include "http/message.hpp"

#include <boost/url/parse.hpp>

#include <fmt/format.h>

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

std::optional<std::string_view> Request::query_text(std::string_view name) const {
  auto it = query.find(name);
  if (it == query.end()) {
    return std::nullopt;
  }
  return std::string_view(it->second);
}

namespace {
Error bad_query_int(std::string_view name, std::int64_t lo, std::int64_t hi) {
  std::string problem = fmt::format("must be an integer from {} to {}", lo, hi);
  std::string message = fmt::format("query parameter '{}' {}", name, problem);
  return Error::invalid("invalid_field", std::move(message), {{std::string(name), std::move(problem), 0}});
}
} // namespace

Result<std::optional<std::int64_t>> Request::optional_query_int(std::string_view name, std::int64_t lo,
                                                                std::int64_t hi) const {
  auto text = query_text(name);
  if (!text || text->empty()) {
    return std::optional<std::int64_t>{};
  }
  std::int64_t value = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc{} || ptr != end || value < lo || value > hi) {
    return fail(bad_query_int(name, lo, hi));
  }
  return std::optional<std::int64_t>(value);
}

Result<std::int64_t> Request::query_int(std::string_view name, std::int64_t lo, std::int64_t hi) const {
  VIKNO_TRY(value, optional_query_int(name, lo, hi));
  if (!value) {
    return fail(bad_query_int(name, lo, hi));
  }
  return *value;
}

Result<std::int64_t> Request::query_int_or(std::string_view name, std::int64_t fallback, std::int64_t lo,
                                           std::int64_t hi) const {
  VIKNO_TRY(value, optional_query_int(name, lo, hi));
  return value.value_or(fallback);
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
  case ErrorKind::unsupported_media_type:
    return 415;
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
