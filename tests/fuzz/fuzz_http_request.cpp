// libFuzzer target: bytes from the network, through everything that reads them before a handler
// does its work. Each input is used twice:
//  - as wire bytes, parsed by Beast's request parser with the server's limits, the way the server
//    reads a request, then turned into a Request (method, target -> path and query, headers, body);
//  - leniently split into method, target, header lines and body, so that inputs Beast would
//    refuse still reach the router, the cookie and id readers and the JSON readers.
// The input is also parsed as a JSON document and read with every typed reader.
// Each Request goes to Router::match and Server::handle (authentication, CSRF, policy, handlers
// that parse JSON bodies with the common/json readers, the static-files fallback).
//
// Besides crashes and sanitizer reports, the target aborts on answers a client must never get:
// a 500 (our handlers never throw, so a 500 means a reader threw), an error whose body is not the
// one error shape, a 405 without Allow, or a file from outside the static folder.
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

#include "auth/accounts.hpp"
#include "common/json.hpp"
#include "http/framing.hpp"
#include "http/peer.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"

namespace {

namespace bj = boost::json;
namespace bhttp = boost::beast::http;
using vikno::Error;
using vikno::Result;
using vikno::auth::Permission;
using vikno::auth::Principal;
using vikno::auth::PrincipalKind;
using vikno::http::framing_error;
using vikno::http::parse_target;
using vikno::http::Request;
using vikno::http::Response;
using vikno::http::RouteOptions;
using vikno::http::status_for;
using vikno::http::TrustedProxies;
namespace json = vikno::json;

constexpr std::string_view kSecret = "FUZZ-SECRET-OUTSIDE-THE-WEB-FOLDER";

[[noreturn]] void defect(const char* what, const Response& r) {
  std::fprintf(stderr, "fuzz_http_request: %s (status %u)\nbody: %s\n", what, r.status, r.body.c_str());
  std::abort();
}

// Every typed reader on one field; none may throw, whatever the value.
void read_field(const bj::object& body, std::string_view field) {
  (void)json::required_string(body, field);
  (void)json::required_int(body, field);
  (void)json::required_bool(body, field);
  (void)json::optional_string(body, field);
  (void)json::optional_int(body, field);
  (void)json::optional_number(body, field);
  (void)json::optional_bool(body, field);
  if (auto array = json::optional_array(body, field); array && *array != nullptr) {
    for (const auto& item : **array) {
      if (item.is_object()) {
        (void)json::optional_int(item.as_object(), "id");
      }
    }
  }
}

// A principal from made-up credentials, so authentication never needs a database:
// "Authorization: Bearer <kind>.<role>.<center>" or "Cookie: vikno_session=<role>.<center>".
Result<Principal> fake_authenticate(const Request& request) {
  Principal p;
  std::string_view credential;
  if (auto header = request.header("authorization"); header && header->starts_with("Bearer ")) {
    credential = header->substr(7);
    std::string_view kind = credential.substr(0, credential.find('.'));
    if (kind == "kiosk" || kind == "display") {
      p.kind = PrincipalKind::device;
      p.device_purpose = vikno::auth::device_purpose_from_string(kind);
    } else if (kind == "token") {
      p.kind = PrincipalKind::api_token;
    } else {
      return vikno::fail(Error::unauthenticated("unknown or revoked token"));
    }
    credential.remove_prefix(std::min(credential.size(), kind.size() + 1));
  } else if (auto session = request.cookie("vikno_session")) {
    p.kind = PrincipalKind::user;
    p.csrf_token = "csrf";
    p.session_id = "s";
    credential = *session;
  } else {
    return p;
  }
  std::string_view role = credential.substr(0, credential.find('.'));
  p.role = vikno::auth::role_from_string(role);
  Request probe; // reuse id_param's strict parsing for the center
  probe.path_params.emplace("c", std::string(credential.substr(std::min(credential.size(), role.size() + 1))));
  if (auto center = probe.id_param("c")) {
    p.centers.push_back(*center);
  }
  return p;
}

struct World {
  std::filesystem::path base;
  vikno::http::Router router;
  vikno::http::Metrics metrics;
  std::unique_ptr<vikno::http::StaticFiles> files;
  std::unique_ptr<vikno::http::Server> server;

  World() {
    base = std::filesystem::temp_directory_path() / ("vikno-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(base / "dist" / "assets");
    std::ofstream(base / "dist" / "index.html") << "<!doctype html>";
    std::ofstream(base / "dist" / "assets" / "app.js") << "console.log(1)";
    std::ofstream(base / "secret.txt") << kSecret;
    files = std::make_unique<vikno::http::StaticFiles>(base / "dist");

    auto ok = [](Request&) -> Result<Response> { return Response::json(bj::object{{"ok", true}}); };
    router.add("GET", "/healthz", ok);
    router.add(
        "POST", "/api/v1/auth/login",
        [](Request& req) -> Result<Response> {
          VIKNO_TRY(body, req.json_body());
          VIKNO_TRY(login, json::required_string(body, "login"));
          VIKNO_TRY(password, json::required_string(body, "password"));
          VIKNO_CHECK(vikno::auth::validate_login(login));
          VIKNO_CHECK(vikno::auth::validate_password(password));
          return Response::json(bj::object{{"login", login}});
        },
        RouteOptions{.body_limit = 4096, .state_changing_without_csrf = true});
    router.add("GET", "/api/v1/users/me", ok, RouteOptions{.permission = Permission::signed_in});
    router.add(
        "GET", "/api/v1/users/{user_id}",
        [](Request& req) -> Result<Response> {
          VIKNO_TRY(id, req.id_param("user_id"));
          return Response::json(bj::object{{"id", id}});
        },
        RouteOptions{.permission = Permission::users_manage});
    router.add(
        "POST", "/api/v1/centers/{center_id}/devices",
        [](Request& req) -> Result<Response> {
          VIKNO_TRY(body, req.json_body());
          VIKNO_TRY(purpose, json::required_string(body, "purpose"));
          VIKNO_TRY(label, json::required_string(body, "label"));
          if (!vikno::auth::device_purpose_from_string(purpose)) {
            return vikno::fail(Error::field("purpose", "must be kiosk or display"));
          }
          return Response::json(bj::object{{"label", label}}, 201);
        },
        RouteOptions{.permission = Permission::center_manage, .center_param = "center_id"});
    router.add(
        "DELETE", "/api/v1/centers/{center_id}/devices/{device_id}",
        [](Request& req) -> Result<Response> {
          VIKNO_TRY(device, req.id_param("device_id"));
          (void)device;
          return Response::no_content();
        },
        RouteOptions{.permission = Permission::center_manage, .center_param = "center_id"});
    router.add(
        "PATCH", "/api/v1/centers/{center_id}/settings",
        [](Request& req) -> Result<Response> {
          VIKNO_TRY(body, req.json_body());
          for (const auto& [key, value] : body) {
            read_field(body, key);
          }
          for (std::string_view field : {"name", "count", "open", "ratio", "hours", "role"}) {
            read_field(body, field);
          }
          VIKNO_TRY(role, json::optional_string(body, "role"));
          if (role && !vikno::auth::role_from_string(*role)) {
            return vikno::fail(Error::field("role", "unknown role"));
          }
          return Response::no_content();
        },
        RouteOptions{.permission = Permission::center_manage, .center_param = "center_id", .body_limit = 16384});
    router.add(
        "GET", "/api/v1/kiosk/{center_id}/services",
        [](Request& req) -> Result<Response> {
          bj::object out;
          for (const auto& [k, v] : req.query) {
            out[k] = v;
          }
          return Response::json(out);
        },
        RouteOptions{.permission = Permission::kiosk, .center_param = "center_id"});

    vikno::http::ServerOptions options;
    options.io_threads = 1;
    options.worker_threads = 1;
    options.access_log = false;
    server = std::make_unique<vikno::http::Server>(options, router, metrics, fake_authenticate,
                                                   [this](const Request& req) { return files->serve(req); });
  }
  ~World() {
    std::error_code ec;
    std::filesystem::remove_all(base, ec);
  }
};

World& world() {
  static World w;
  return w;
}

void check(const Response& r, const std::string& route) {
  switch (r.status) {
  case 200:
  case 201:
  case 204:
  case 400:
  case 401:
  case 403:
  case 404:
  case 405:
  case 409:
  case 413:
  case 429:
  case 503:
    break;
  default:
    defect("unexpected status", r);
  }
  // Only files count: the fuzzer learns the marker from this very comparison and puts it in
  // messages that quote the input.
  if (route == "static" && r.body.find(kSecret) != std::string::npos) {
    defect("served a file from outside the static folder", r);
  }
  if (r.status >= 400) {
    boost::system::error_code ec;
    bj::value body = bj::parse(r.body, ec);
    const bj::object* error = nullptr;
    if (!ec && body.is_object()) {
      if (const auto* e = body.as_object().if_contains("error"); e != nullptr && e->is_object()) {
        error = &e->as_object();
      }
    }
    if (error == nullptr || !error->contains("code") || !error->at("code").is_string() || !error->contains("message") ||
        !error->contains("details") || !error->at("details").is_object()) {
      defect("error body is not {\"error\":{\"code\",\"message\",\"details\"}}", r);
    }
  }
  if (r.status == 405) {
    bool allow = false;
    for (const auto& [name, value] : r.headers) {
      allow = allow || (name == "Allow" && !value.empty());
    }
    if (!allow) {
      defect("405 without Allow", r);
    }
  }
}

void run(Request& request) {
  World& w = world();
  vikno::http::Match m = w.router.match(request.method, request.path);
  if (m.route != nullptr) {
    for (const auto& [name, value] : m.params) {
      if (value.empty()) {
        std::abort(); // a parameter never matches an empty segment
      }
    }
  }
  (void)request.cookie("vikno_session");
  (void)request.json_body();
  // The query readers: a value they accept lies in the range asked for, whatever was sent.
  for (const auto& [name, value] : request.query) {
    (void)request.query_text(name);
    if (auto n = request.query_int_or(name, -1, 0, 1000); n && (*n < -1 || *n > 1000)) {
      std::abort();
    }
    if (auto n = request.optional_query_int(name, -5, 5); n && *n && (**n < -5 || **n > 5)) {
      std::abort();
    }
  }
  std::string route;
  Response response = w.server->handle(request, &route);
  check(response, route);
}

void from_wire(std::string_view bytes) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(8 * 1024); // the server's defaults
  parser.body_limit(64 * 1024);
  parser.eager(true);
  boost::system::error_code ec;
  while (!bytes.empty() && !parser.is_done()) {
    std::size_t used = parser.put(boost::asio::const_buffer(bytes.data(), bytes.size()), ec);
    bytes.remove_prefix(used);
    if (ec || used == 0) {
      break;
    }
  }
  if (!parser.is_header_done()) {
    return;
  }
  // As the server does once the header is in: ambiguous framing is 400 and the connection closes.
  if (auto framing = framing_error(parser.get().base())) {
    if (framing->code.empty() || status_for(framing->kind) != 400) {
      std::fprintf(stderr, "fuzz_http_request: framing refusal without a code or not 400\n");
      std::abort();
    }
    return;
  }
  if (!parser.is_done()) {
    return;
  }
  auto message = parser.release();
  Request request;
  request.method = std::string(message.method_string());
  request.remote_ip = "192.0.2.1";
  // Behind a trusted proxy the client comes from X-Forwarded-For, which anyone can write.
  static const TrustedProxies kProxies = *TrustedProxies::parse("192.0.2.0/24, 2001:db8::/32");
  for (auto range = message.equal_range("X-Forwarded-For"); range.first != range.second; ++range.first) {
    request.remote_ip = kProxies.client("192.0.2.1", range.first->value());
  }
  if (!parse_target(message.target(), request)) {
    return; // the server answers 400 bad_target without routing
  }
  for (const auto& field : message) {
    std::string name(field.name_string());
    for (char& c : name) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    request.headers.emplace(std::move(name), std::string(field.value()));
  }
  request.body = std::move(message.body());
  run(request);
}

std::string_view next_line(std::string_view& rest) {
  std::size_t end = rest.find('\n');
  std::string_view line = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  return line;
}

void lenient(std::string_view bytes) {
  Request request;
  std::string_view rest = bytes;
  std::string_view first = next_line(rest);
  std::size_t space = first.find(' ');
  request.method = std::string(first.substr(0, space));
  // A method reaches the server only as an HTTP token (Beast refuses anything else), and the 405
  // message quotes it; other bytes would make findings that cannot happen.
  if (request.method.empty() ||
      request.method.find_first_not_of(
          "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != std::string::npos) {
    return;
  }
  std::string_view target = space == std::string_view::npos ? std::string_view{} : first.substr(space + 1);
  target = target.substr(0, target.find(' '));
  if (!parse_target(target, request)) {
    // The server answers 400 bad_target without routing; the router alone must cope with anything.
    (void)world().router.match(request.method, target);
    return;
  }
  for (std::string_view line = next_line(rest); !line.empty(); line = next_line(rest)) {
    std::size_t colon = line.find(':');
    std::string name(line.substr(0, colon));
    for (char& c : name) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    std::string_view value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') {
      value.remove_prefix(1);
    }
    request.headers.emplace(std::move(name), std::string(value));
  }
  request.body = std::string(rest);
  run(request);
}

// The whole input as a JSON document, with every reader on every key.
void as_json(std::string_view bytes) {
  if (auto object = json::parse_object(bytes)) {
    for (const auto& [key, value] : *object) {
      read_field(*object, key);
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  from_wire(bytes);
  lenient(bytes);
  as_json(bytes);
  return 0;
}
