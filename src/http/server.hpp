// Server: the HTTP/1.1 server every Vikno endpoint is served by (Boost.Beast on Asio, C++20
// coroutines), shaped after Beast's awaitable examples: an acceptor, one coroutine per connection
// on its own strand, a timeout on every read, header and body limits (the body limit per route).
//
// Handlers block (they call the database), so they never run on the network threads: each request
// is handed to a separate worker pool and the connection's coroutine waits for the result. A slow
// fsync then delays only the requests that wait for it.
//
// A handler may answer with a live event stream (Response::events): the connection then leaves
// the request loop and the server delivers the channel's events as Server-Sent Events or over a
// WebSocket until the client leaves, the channel closes or overflows, or the server stops.
//
// SIGINT/SIGTERM stop accepting, end every open event stream, let the requests in flight finish
// (up to drain_timeout), then run() returns and the caller closes the database.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/error.hpp"
#include "http/message.hpp"
#include "http/metrics.hpp"
#include "http/peer.hpp"
#include "http/router.hpp"

namespace vikno::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080; // 0: any free port (reported by bound_port())
  int io_threads = 2;
  // Handlers wait for reads (and a login for its password hash), not for a command's commit, which
  // is awaited without a thread: a few more than cores. More only adds thread switches.
  int worker_threads = 8;
  std::size_t header_limit = std::size_t{8} * 1024;
  std::size_t body_limit = std::size_t{64} * 1024;
  std::chrono::milliseconds request_timeout{15000}; // to read one request, and to wait for the next
  std::chrono::milliseconds drain_timeout{10000};   // at shutdown, for requests in flight
  std::chrono::milliseconds event_heartbeat{15000}; // live streams: SSE comment when idle, WebSocket ping
  bool access_log = true;                           // one JSON line per request on stdout
  // Reverse proxies whose X-Forwarded-For names the client (peer.hpp); empty: the TCP peer is the client.
  TrustedProxies trusted_proxies;
  // Caps on descriptors (docs/security.md). Beyond max_connections the longest-idle connection (one
  // waiting for a request) is closed to make room, and when none is idle the new one gets 503
  // too_many_connections; beyond the per-address cap it gets that 503 at once. Trusted proxies have
  // no per-address connection cap (their connections carry many clients). max_connections is also
  // held below the process's descriptor limit. A live stream beyond a stream cap is 503
  // too_many_streams (per address: per client, after X-Forwarded-For).
  std::size_t max_connections = 16384;
  std::size_t max_connections_per_address = 1024;
  std::size_t max_streams = 12288;
  std::size_t max_streams_per_address = 256;
  // A WebSocket upgrade that sends Origin must come from this origin ("https://cnap.example.ua", the
  // public URL's) or from the origin its Host header names; otherwise 403 origin_not_allowed.
  std::string public_origin;
};

// Establishes who sent a request (session cookie, device or API token); runs on the worker pool.
// An error (e.g. an expired token) ends the request with that error.
using Authenticator = std::function<Result<auth::Principal>(const Request&)>;

// Serves what no route matches on GET (the web front end's files); nullopt -> 404.
using Fallback = std::function<std::optional<Response>(const Request&)>;

class Server {
public:
  Server(ServerOptions options, const Router& router, Metrics& metrics, Authenticator authenticator,
         Fallback fallback = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Raises the descriptor limit to its hard limit, holds max_connections below it, and binds the
  // listening socket; throws std::runtime_error when the port is taken.
  void bind();
  [[nodiscard]] unsigned short bound_port() const;
  // Serves until SIGINT/SIGTERM or stop(); returns after requests in flight have finished.
  void run();
  // Asks a running server to shut down gracefully (thread-safe).
  void stop();
  // Live event streams (SSE and WebSocket) open now; thread-safe, for a gauge.
  [[nodiscard]] std::size_t open_streams() const;
  // Connections open now (streams included); thread-safe.
  [[nodiscard]] std::size_t open_connections() const;

  // Runs one request through authentication, authorization and the handler, with no socket:
  // what the server does for each request once it is read. Exposed for tests and the fuzzer.
  Response handle(Request& request, std::string* route_pattern = nullptr) const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace vikno::http
