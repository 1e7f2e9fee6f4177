#include "http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <fmt/format.h>

#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

#include "common/time.hpp"
#include "storage/db.hpp"

namespace vikno::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using boost::asio::ip::tcp;

namespace {

constexpr auto kTuple = net::as_tuple(net::use_awaitable);

bool is_state_changing(std::string_view method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

std::string json_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        out += fmt::format("\\u{:04x}", static_cast<int>(c));
      } else {
        out += c;
      }
    }
  }
  return out;
}

} // namespace

struct Server::Impl {
  ServerOptions options;
  const Router& router;
  Metrics& metrics;
  Authenticator authenticator;
  Fallback fallback;

  net::io_context ioc;
  net::thread_pool workers;
  tcp::acceptor acceptor{ioc};
  std::atomic<int> in_flight{0};
  std::atomic<bool> stopping{false};
  std::mutex log_mutex;

  Impl(ServerOptions opts, const Router& r, Metrics& m, Authenticator a, Fallback f)
      : options(std::move(opts)), router(r), metrics(m), authenticator(std::move(a)), fallback(std::move(f)),
        ioc(options.io_threads), workers(static_cast<std::size_t>(options.worker_threads)) {}

  Response handle(Request& request, std::string* route_pattern) const;
  net::awaitable<void> listen();
  net::awaitable<void> session(beast::tcp_stream stream);
  net::awaitable<void> drain_and_stop();
  void begin_shutdown();
  void log_access(const Request& request, const std::string& route, unsigned status, double seconds, std::size_t bytes);
};

Response Server::Impl::handle(Request& request, std::string* route_pattern) const {
  // HEAD is GET without the body (the session drops it when writing).
  Match match = router.match(request.method == "HEAD" ? "GET" : request.method, request.path);
  if (match.route == nullptr) {
    if (!match.allowed_methods.empty()) {
      std::string allow;
      for (const auto& m : match.allowed_methods) {
        allow += allow.empty() ? m : ", " + m;
      }
      Response r = error_response({ErrorKind::method_not_allowed,
                                   "method_not_allowed",
                                   request.method + " is not allowed here; use " + allow,
                                   {}});
      r.headers.emplace_back("Allow", allow);
      return r;
    }
    if (fallback && (request.method == "GET" || request.method == "HEAD")) {
      if (auto r = fallback(request)) {
        if (route_pattern != nullptr) {
          *route_pattern = "static";
        }
        return *r;
      }
    }
    // The path is not echoed: percent-decoding can make it invalid UTF-8, and so the body invalid JSON.
    return error_response(Error::not_found("not_found", "no such resource"));
  }
  const Route& route = *match.route;
  if (route_pattern != nullptr) {
    *route_pattern = route.pattern;
  }
  for (auto& [name, value] : match.params) {
    request.path_params.emplace(std::move(name), std::move(value));
  }
  try {
    // Public routes never look at who is asking, so they do not pay for (or depend on) the
    // database lookup of a session: /healthz answers while the database is down.
    if (route.options.permission != auth::Permission::public_read && authenticator) {
      auto principal = authenticator(request);
      if (!principal) {
        return error_response(principal.error());
      }
      request.principal = std::move(*principal);
    }
    if (request.principal.kind == auth::PrincipalKind::user && is_state_changing(request.method) &&
        !route.options.state_changing_without_csrf) {
      auto token = request.header("x-csrf-token");
      if (!token || *token != request.principal.csrf_token) {
        return error_response(
            {ErrorKind::forbidden, "csrf_failed", "missing or wrong X-CSRF-Token header for this session", {}});
      }
    }
    std::optional<std::int64_t> center;
    if (!route.options.center_param.empty()) {
      auto id = request.id_param(route.options.center_param);
      if (!id) {
        return error_response(id.error());
      }
      center = *id;
    }
    if (auto allowed = auth::authorize(request.principal, route.options.permission, center); !allowed) {
      return error_response(allowed.error());
    }
    auto result = route.handler(request);
    if (!result) {
      return error_response(result.error());
    }
    return std::move(*result);
  } catch (const storage::Unavailable&) {
    return error_response({ErrorKind::unavailable, "database_unavailable", "the database cannot be reached now", {}});
  } catch (const std::exception& e) {
    std::fprintf(stderr, "{\"level\":\"error\",\"msg\":\"handler failed\",\"route\":\"%s\",\"what\":\"%s\"}\n",
                 json_escape(route.pattern).c_str(), json_escape(e.what()).c_str());
    return error_response({ErrorKind::internal, "internal", "internal error", {}});
  } catch (...) {
    return error_response({ErrorKind::internal, "internal", "internal error", {}});
  }
}

void Server::Impl::log_access(const Request& request, const std::string& route, unsigned status, double seconds,
                              std::size_t bytes) {
  if (!options.access_log) {
    return;
  }
  std::string line = fmt::format(
      "{{\"ts\":\"{}\",\"type\":\"access\",\"method\":\"{}\",\"path\":\"{}\",\"route\":\"{}\",\"status\":{},"
      "\"ms\":{:.3f},\"bytes\":{},\"ip\":\"{}\",\"actor\":\"{}\"}}\n",
      format_iso8601(system_clock()()), json_escape(request.method), json_escape(request.path), json_escape(route),
      status, seconds * 1000.0, bytes, json_escape(request.remote_ip), request.principal.actor());
  std::lock_guard lock(log_mutex);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

net::awaitable<void> Server::Impl::listen() {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(net::make_strand(ioc), kTuple);
    if (ec) {
      if (stopping || ec == net::error::operation_aborted) {
        co_return;
      }
      continue; // e.g. too many open files: keep serving the connections we have
    }
    auto executor = socket.get_executor();
    // A failure inside one connection ends that connection, never the server: an exception that
    // escaped a detached coroutine would leave io_context::run() and stop every connection.
    net::co_spawn(executor, session(beast::tcp_stream(std::move(socket))), [](const std::exception_ptr& error) {
      if (!error) {
        return;
      }
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "{\"level\":\"error\",\"msg\":\"connection failed\",\"what\":\"%s\"}\n",
                     json_escape(e.what()).c_str());
      } catch (...) {
        std::fprintf(stderr, "{\"level\":\"error\",\"msg\":\"connection failed\"}\n");
      }
    });
  }
}

net::awaitable<void> Server::Impl::session(beast::tcp_stream stream) {
  beast::flat_buffer buffer;
  boost::system::error_code ep_ec;
  std::string remote_ip = stream.socket().remote_endpoint(ep_ec).address().to_string();

  auto send = [&](Response& response, unsigned version, bool keep_alive) -> net::awaitable<bool> {
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(response.status), version};
    res.set(bhttp::field::server, "vikno");
    if (!response.content_type.empty()) {
      res.set(bhttp::field::content_type, response.content_type);
    }
    for (const auto& [name, value] : response.headers) {
      res.insert(name, value);
    }
    res.keep_alive(keep_alive);
    res.body() = std::move(response.body);
    res.prepare_payload();
    stream.expires_after(options.request_timeout);
    auto [ec, n] = co_await bhttp::async_write(stream, res, kTuple);
    co_return !ec;
  };

  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
    // The body limit depends on the route, known only once the header is read; until then the
    // parser must not judge the Content-Length itself.
    parser.body_limit(boost::none);
    stream.expires_after(options.request_timeout);
    auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
    if (ec) {
      if (ec == bhttp::error::header_limit) {
        Response r =
            error_response({ErrorKind::too_large, "header_too_large", "the request headers are too large", {}});
        r.status = 431;
        co_await send(r, 11, false);
      } else if (ec != bhttp::error::end_of_stream && ec != beast::error::timeout &&
                 ec != net::error::operation_aborted && ec != net::error::connection_reset && ec != net::error::eof) {
        Response r = error_response(Error::invalid("bad_request", "malformed HTTP request: " + ec.message()));
        co_await send(r, 11, false);
      }
      break;
    }
    auto started = std::chrono::steady_clock::now();
    in_flight.fetch_add(1);
    struct Done {
      std::atomic<int>& count;
      ~Done() { count.fetch_sub(1); }
    } done{in_flight};

    const auto& header = parser.get();
    Request request;
    request.method = std::string(header.method_string());
    request.remote_ip = remote_ip;
    bool target_ok = parse_target(header.target(), request);

    std::size_t body_limit = options.body_limit;
    if (target_ok) {
      Match m = router.match(request.method, request.path);
      if (m.route != nullptr && m.route->options.body_limit) {
        body_limit = *m.route->options.body_limit;
      }
    }
    bool too_large = parser.content_length() && *parser.content_length() > body_limit;
    if (!too_large && !parser.is_done()) {
      parser.body_limit(body_limit); // chunked bodies are cut off while they arrive
      auto [body_ec, body_n] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
      too_large = body_ec == bhttp::error::body_limit;
      if (body_ec && !too_large) {
        break;
      }
    }
    if (too_large) {
      Response r = error_response({ErrorKind::too_large,
                                   "body_too_large",
                                   "the request body is larger than " + std::to_string(body_limit) + " bytes",
                                   {}});
      co_await send(r, header.version(), false);
      metrics.record(request.method, "unmatched", 413, 0);
      log_access(request, "", 413, 0, 0);
      break;
    }
    auto message = parser.release();
    for (const auto& field : message) {
      std::string name(field.name_string());
      for (char& c : name) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      request.headers.emplace(std::move(name), std::string(field.value()));
    }
    request.body = std::move(message.body());

    std::string route_pattern = "unmatched";
    Response response;
    if (!target_ok) {
      response = error_response(Error::invalid("bad_target", "the request target is not a valid path"));
    } else {
      response = co_await net::co_spawn(
          workers,
          [this, &request, &route_pattern]() -> net::awaitable<Response> { co_return handle(request, &route_pattern); },
          net::use_awaitable);
    }
    bool keep_alive = message.keep_alive() && !stopping;
    unsigned status = response.status;
    std::size_t bytes = response.body.size();
    if (request.method == "HEAD") {
      response.body.clear();
    }
    bool written = co_await send(response, message.version(), keep_alive);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics.record(request.method, route_pattern, status, seconds);
    log_access(request, route_pattern, status, seconds, bytes);
    if (!written || !keep_alive) {
      break;
    }
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

net::awaitable<void> Server::Impl::drain_and_stop() {
  net::steady_timer timer(ioc);
  auto deadline = std::chrono::steady_clock::now() + options.drain_timeout;
  while (in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(kTuple);
  }
  ioc.stop();
}

void Server::Impl::begin_shutdown() {
  if (stopping.exchange(true)) {
    return;
  }
  net::post(ioc, [this] {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    net::co_spawn(ioc, drain_and_stop(), net::detached);
  });
}

Server::Server(ServerOptions options, const Router& router, Metrics& metrics, Authenticator authenticator,
               Fallback fallback)
    : impl_(
          std::make_unique<Impl>(std::move(options), router, metrics, std::move(authenticator), std::move(fallback))) {}

Server::~Server() {
  impl_->ioc.stop();
  impl_->workers.join();
}

void Server::bind() {
  auto address = net::ip::make_address(impl_->options.address);
  tcp::endpoint endpoint{address, impl_->options.port};
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(net::socket_base::reuse_address(true));
  boost::system::error_code ec;
  impl_->acceptor.bind(endpoint, ec);
  if (ec) {
    throw std::runtime_error(
        fmt::format("cannot listen on {}:{}: {}", impl_->options.address, impl_->options.port, ec.message()));
  }
  impl_->acceptor.listen(net::socket_base::max_listen_connections);
}

unsigned short Server::bound_port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::run() {
  net::signal_set signals(impl_->ioc, SIGINT, SIGTERM);
  signals.async_wait([this](const boost::system::error_code& ec, int) {
    if (!ec) {
      impl_->begin_shutdown();
    }
  });
  net::co_spawn(impl_->ioc, impl_->listen(), net::detached);
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->options.io_threads; ++i) {
    threads.emplace_back([this] { impl_->ioc.run(); });
  }
  impl_->ioc.run();
  for (auto& t : threads) {
    t.join();
  }
  impl_->workers.join();
}

void Server::stop() { impl_->begin_shutdown(); }

Response Server::handle(Request& request, std::string* route_pattern) const {
  return impl_->handle(request, route_pattern);
}

} // namespace vikno::http
