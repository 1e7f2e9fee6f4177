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
#include <boost/beast/websocket.hpp>

#include <fmt/format.h>

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <mutex>
#include <string_view>
#include <thread>
#include <tuple>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/log.hpp"
#include "common/time.hpp"
#include "http/events.hpp"
#include "http/framing.hpp"
#include "http/limits.hpp"

namespace vikno::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using boost::asio::ip::tcp;

namespace {

constexpr auto kTuple = net::as_tuple(net::use_awaitable);

// Waits, without blocking a thread, until `after` settles; returns its failure (null when done).
// The settling thread only posts to the connection's strand, which ends the wait there.
net::awaitable<std::exception_ptr> settled(const std::shared_ptr<Deferred>& after) {
  auto executor = co_await net::this_coro::executor;
  struct Wait {
    explicit Wait(const net::any_io_executor& ex) : timer(ex, net::steady_timer::time_point::max()) {}
    net::steady_timer timer;
    std::exception_ptr failure;
  };
  auto wait = std::make_shared<Wait>(executor);
  // Runs on the strand, so never before the wait below has begun (this coroutine holds the strand).
  after->then([wait, executor](const std::exception_ptr& failure) {
    net::post(executor, [wait, failure] {
      wait->failure = failure;
      wait->timer.cancel();
    });
  });
  co_await wait->timer.async_wait(kTuple);
  co_return wait->failure;
}

bool is_state_changing(std::string_view method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

// A duration in seconds, rounded to `scale` (1000: milliseconds), for a log field.
double rounded(double value, double scale) { return std::round(value * scale) / scale; }

// The open live-event streams, so that shutdown can end them all (Impl::begin_shutdown).
class StreamRegistry {
public:
  // A stream that opens while the server is stopping has its channel closed at once.
  void add(const std::shared_ptr<live::EventChannel>& channel) {
    std::lock_guard lock(mutex_);
    channels_.insert(channel.get());
    if (closing_) {
      channel->close();
    }
  }
  void remove(live::EventChannel* channel) {
    std::lock_guard lock(mutex_);
    if (auto it = channels_.find(channel); it != channels_.end()) {
      channels_.erase(it);
    }
  }
  void close_all() {
    std::lock_guard lock(mutex_);
    closing_ = true;
    for (live::EventChannel* channel : channels_) {
      channel->close();
    }
  }
  [[nodiscard]] bool closing() const {
    std::lock_guard lock(mutex_);
    return closing_;
  }
  [[nodiscard]] std::size_t size() const {
    std::lock_guard lock(mutex_);
    return channels_.size();
  }

private:
  mutable std::mutex mutex_;
  // Raw pointers: each stream owns its channel and removes it before letting go.
  std::unordered_multiset<live::EventChannel*> channels_;
  bool closing_ = false;
};

// One open connection as the connection cap sees it: its address, and since when it waits for a
// request (0: busy), so that at the cap the longest-idle one can be closed to make room for a new
// one (as nginx reuses idle keep-alive connections). `stream` is set while the connection is in
// its request loop and is touched only on the connection's strand.
struct Connection {
  Connection(net::any_io_executor ex, std::string addr, bool trusted)
      : executor(std::move(ex)), address(std::move(addr)), trusted_proxy(trusted) {}
  net::any_io_executor executor;
  std::string address; // the TCP peer
  bool trusted_proxy;
  std::atomic<std::int64_t> idle_since{0};
  std::atomic<bool> closing{false};
  beast::tcp_stream* stream = nullptr;
};

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The open connections: counted per address (AddressCounter), and listed so that the oldest idle
// one can be found when the total cap is reached. Touched at connect and disconnect only.
class ConnectionTable {
public:
  ConnectionTable(std::size_t total, std::size_t per_address) : counter_(total, per_address) {}

  // The new connection's entry, or null (and why) when it is over a cap with nothing to make room.
  std::shared_ptr<Connection> open(const net::any_io_executor& executor, const std::string& address, bool trusted,
                                   Admission* refused) {
    Admission admission = counter_.acquire(address, trusted);
    if (admission == Admission::total_full && close_oldest_idle()) {
      admission = counter_.acquire(address, trusted, true);
    }
    if (admission != Admission::admitted) {
      *refused = admission;
      return nullptr;
    }
    auto connection = std::make_shared<Connection>(executor, address, trusted);
    std::lock_guard lock(mutex_);
    open_.emplace(connection.get(), connection);
    return connection;
  }

  void close(Connection* connection) {
    {
      std::lock_guard lock(mutex_);
      open_.erase(connection);
    }
    counter_.release(connection->address);
  }

  // Asks the connection that has waited longest for a request to close (on its strand); false
  // when none waits. Also used when accept fails for want of descriptors.
  bool close_oldest_idle() {
    std::shared_ptr<Connection> oldest;
    {
      std::lock_guard lock(mutex_);
      std::int64_t since = 0;
      for (const auto& [raw, weak] : open_) {
        std::int64_t idle = raw->idle_since.load();
        if (idle != 0 && !raw->closing.load() && (since == 0 || idle < since)) {
          if (auto c = weak.lock()) {
            since = idle;
            oldest = std::move(c);
          }
        }
      }
      if (!oldest) {
        return false;
      }
      oldest->closing = true;
    }
    net::post(oldest->executor, [oldest] {
      if (oldest->stream != nullptr && oldest->idle_since.load() != 0) {
        oldest->stream->cancel(); // its read ends with operation_aborted and the session closes
      } else {
        oldest->closing = false; // a request came in meanwhile
      }
    });
    return true;
  }

  void set_total_cap(std::size_t cap) { counter_.set_total_cap(cap); }
  [[nodiscard]] std::size_t size() const { return counter_.total(); }

private:
  AddressCounter counter_;
  mutable std::mutex mutex_;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> open_;
};

// A stream's place under the stream caps, released when the stream ends.
class StreamSlot {
public:
  StreamSlot(AddressCounter& counter, std::string address) : counter_(&counter), address_(std::move(address)) {}
  StreamSlot(const StreamSlot&) = delete;
  StreamSlot& operator=(const StreamSlot&) = delete;
  StreamSlot(StreamSlot&& other) noexcept
      : counter_(std::exchange(other.counter_, nullptr)), address_(std::move(other.address_)) {}
  StreamSlot& operator=(StreamSlot&&) = delete;
  ~StreamSlot() {
    if (counter_ != nullptr) {
      counter_->release(address_);
    }
  }

private:
  AddressCounter* counter_;
  std::string address_;
};

bool out_of_descriptors(const boost::system::error_code& ec) {
  return ec == net::error::no_descriptors || ec == boost::system::errc::too_many_files_open_in_system ||
         ec == net::error::no_buffer_space || ec == net::error::no_memory;
}

// Raises the soft descriptor limit to the hard one; returns the limit now in force (0: unknown).
std::size_t raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return 0;
  }
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) {
      limit = raised;
    }
  }
  return limit.rlim_cur == RLIM_INFINITY ? 0 : static_cast<std::size_t>(limit.rlim_cur);
}

// Descriptors kept for what is not a client connection: the database files or connections, the
// front end's files being read, the event loop's own, a connection being refused.
std::size_t descriptor_reserve(std::size_t limit) { return std::max<std::size_t>(48, limit / 10); }

// The path as the access log shows it: a tracking token (which can cancel a ticket) never
// appears, neither in a route's {token} segment nor in the tracking page /t/<token>.
// Most paths are logged as they are, without a copy; `out` holds a redacted one.
std::string_view logged_path(const Request& request, std::string& out) {
  // The tracking page is the front end's (static, or unmatched when it is not built): no route has it.
  if (request.path.starts_with("/t/")) {
    return "/t/\u2026";
  }
  auto token = request.path_params.find("token");
  if (token == request.path_params.end() || token->second.empty()) {
    return request.path;
  }
  std::string_view path = request.path;
  while (!path.empty()) {
    auto slash = path.find('/', 1);
    std::string_view segment = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
    out += segment.substr(1) == token->second ? std::string_view("/\u2026") : segment;
  }
  return out;
}

enum class StreamEnd { client_left, too_slow, finished, shutdown, write_failed };

const char* to_string(StreamEnd end) {
  switch (end) {
  case StreamEnd::client_left:
    return "client_left";
  case StreamEnd::too_slow:
    return "too_slow";
  case StreamEnd::finished:
    return "finished";
  case StreamEnd::shutdown:
    return "shutdown";
  case StreamEnd::write_failed:
    return "write_failed";
  }
  return "unknown";
}

struct StreamSettings {
  std::chrono::milliseconds heartbeat;
  std::chrono::milliseconds write_timeout;
};

// One open event stream: the channel, the timer the writer sleeps on (the channel's wake cancels
// it), and a watchdog that cuts the connection when one write takes longer than write_timeout.
// Everything here runs on the connection's strand. Owned by shared_ptr, shared by the writer (the
// connection's coroutine) and the reader that notices the client leaving; the last one out closes
// the channel, so the publisher learns that nobody listens (its next push fails).
class LiveStream : public std::enable_shared_from_this<LiveStream> {
public:
  LiveStream(StreamRegistry& registry, const net::any_io_executor& executor,
             std::shared_ptr<live::EventChannel> channel, StreamSettings settings, bool heartbeat_when_busy)
      : registry_(registry), executor_(executor), timer_(executor), deadline_(executor), channel_(std::move(channel)),
        settings_(settings), heartbeat_when_busy_(heartbeat_when_busy) {}
  LiveStream(const LiveStream&) = delete;
  LiveStream& operator=(const LiveStream&) = delete;
  virtual ~LiveStream() {
    // Also runs when the io_context is destroyed with the coroutines still suspended: after this
    // no publisher thread posts to the strand any more.
    channel_->on_ready(nullptr);
    channel_->close();
    registry_.remove(channel_.get());
  }

  // Registers the stream and lets the channel wake it; once owned by a shared_ptr.
  void attach() {
    registry_.add(channel_);
    channel_->on_ready([weak = weak_from_this(), executor = executor_] {
      net::post(executor, [weak] {
        if (auto self = weak.lock()) {
          self->wake();
        }
      });
    });
  }

  // The writer: delivers events and heartbeats until the stream has to end, and says why.
  net::awaitable<StreamEnd> pump();

  // The reader saw the connection end (or the client close the WebSocket).
  void peer_left() {
    peer_gone_ = true;
    timer_.cancel();
  }

  [[nodiscard]] std::size_t sent() const { return sent_; }

protected:
  virtual net::awaitable<bool> send(const std::vector<std::shared_ptr<const live::Event>>& batch) = 0;
  virtual net::awaitable<bool> send_heartbeat() = 0;
  // Closes the socket now: a blocked write completes with an error, the reader ends.
  virtual void cut() = 0;

  // Around every write: a stuck client cannot hold the connection longer than write_timeout.
  void arm_deadline() {
    ++write_serial_;
    deadline_.expires_after(settings_.write_timeout);
    deadline_.async_wait([weak = weak_from_this(), serial = write_serial_](const boost::system::error_code& ec) {
      if (ec) {
        return;
      }
      if (auto self = weak.lock(); self && self->write_serial_ == serial) {
        self->cut();
      }
    });
  }
  void disarm_deadline() {
    ++write_serial_;
    deadline_.cancel();
  }

  [[nodiscard]] const StreamSettings& settings() const { return settings_; }
  [[nodiscard]] live::EventChannel& channel() { return *channel_; }
  [[nodiscard]] bool server_closing() const { return registry_.closing(); }

private:
  void wake() {
    timer_.cancel();
    // A write blocked on a subscriber that is being dropped, or while the server stops, would hold
    // the connection until the write timeout; a publisher's normal close lets it finish.
    if (writing_ && channel_->closed() && (channel_->overflowed() || registry_.closing())) {
      cut();
    }
  }

  [[nodiscard]] StreamEnd why_ended() const {
    if (peer_gone_) {
      return StreamEnd::client_left;
    }
    if (channel_->overflowed()) {
      return StreamEnd::too_slow;
    }
    if (channel_->closed()) {
      return registry_.closing() ? StreamEnd::shutdown : StreamEnd::finished;
    }
    return StreamEnd::write_failed;
  }

  StreamRegistry& registry_;
  net::any_io_executor executor_;
  net::steady_timer timer_;
  net::steady_timer deadline_;
  std::shared_ptr<live::EventChannel> channel_;
  StreamSettings settings_;
  bool heartbeat_when_busy_;
  bool peer_gone_ = false;
  bool writing_ = false;
  std::uint64_t write_serial_ = 0;
  std::size_t sent_ = 0;
};

net::awaitable<StreamEnd> LiveStream::pump() {
  using Clock = std::chrono::steady_clock;
  auto next_heartbeat = Clock::now() + settings_.heartbeat;
  for (;;) {
    if (peer_gone_) {
      co_return StreamEnd::client_left;
    }
    if (Clock::now() >= next_heartbeat && !channel_->closed()) {
      writing_ = true;
      bool ok = co_await send_heartbeat();
      writing_ = false;
      if (!ok) {
        co_return why_ended();
      }
      next_heartbeat = Clock::now() + settings_.heartbeat;
      continue;
    }
    // From take() to the wait below nothing suspends, so a wake posted in between (it runs on this
    // strand) finds the wait pending and cancels it: no event is left waiting for a heartbeat.
    auto batch = channel_->take();
    if (!batch.empty()) {
      writing_ = true;
      bool ok = co_await send(batch);
      writing_ = false;
      if (!ok) {
        co_return why_ended();
      }
      sent_ += batch.size();
      if (!heartbeat_when_busy_) {
        next_heartbeat = Clock::now() + settings_.heartbeat;
      }
      continue;
    }
    if (channel_->closed()) {
      co_return why_ended();
    }
    timer_.expires_at(next_heartbeat);
    co_await timer_.async_wait(kTuple);
  }
}

// Server-Sent Events on the plain connection: a 200 header with no length (the body ends when the
// connection closes, which EventSource and fetch readers handle), then the events as text.
class SseStream final : public LiveStream {
public:
  SseStream(StreamRegistry& registry, beast::tcp_stream stream, std::shared_ptr<live::EventChannel> channel,
            StreamSettings settings)
      : LiveStream(registry, stream.get_executor(), std::move(channel), settings, false), stream_(std::move(stream)) {
    // The expiry of the request's read would otherwise apply to the stream's writes; the
    // watchdog times each write instead.
    stream_.expires_never();
  }

  net::awaitable<bool> start(unsigned version, const std::vector<std::pair<std::string, std::string>>& headers) {
    bhttp::response<bhttp::empty_body> res{bhttp::status::ok, version};
    res.set(bhttp::field::server, "vikno");
    res.set(bhttp::field::content_type, "text/event-stream; charset=utf-8");
    res.set(bhttp::field::cache_control, "no-store");
    res.set("X-Accel-Buffering", "no"); // nginx in front must not hold events back
    for (const auto& [name, value] : headers) {
      res.set(name, value);
    }
    res.keep_alive(false);
    bhttp::response_serializer<bhttp::empty_body> serializer{res};
    arm_deadline();
    auto [ec, n] = co_await bhttp::async_write_header(stream_, serializer, kTuple);
    if (!ec) {
      // How long a browser's EventSource waits before reconnecting.
      static constexpr std::string_view kRetry = "retry: 3000\n\n";
      std::tie(ec, n) = co_await net::async_write(stream_, net::buffer(kRetry), kTuple);
    }
    disarm_deadline();
    co_return !ec;
  }

  // Reads (and ignores) whatever the client sends, until the connection ends.
  static net::awaitable<void> read_until_closed(std::shared_ptr<SseStream> self) {
    std::array<char, 512> ignored{};
    for (;;) {
      auto [ec, n] = co_await self->stream_.socket().async_read_some(net::buffer(ignored), kTuple);
      if (ec) {
        break;
      }
    }
    self->peer_left();
  }

  void finish() {
    boost::system::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

protected:
  net::awaitable<bool> send(const std::vector<std::shared_ptr<const live::Event>>& batch) override {
    std::string text;
    for (const auto& event : batch) {
      text += sse_frame(*event);
    }
    co_return co_await write(text);
  }
  net::awaitable<bool> send_heartbeat() override { co_return co_await write(": ping\n\n"); }
  void cut() override { stream_.close(); }

private:
  net::awaitable<bool> write(std::string_view text) {
    arm_deadline();
    auto [ec, n] = co_await net::async_write(stream_, net::buffer(text), kTuple);
    disarm_deadline();
    co_return !ec;
  }

  beast::tcp_stream stream_;
};

// A WebSocket: one text frame per event, a ping every heartbeat; a reader answers control frames
// and notices the close.
class WsStream final : public LiveStream {
public:
  WsStream(StreamRegistry& registry, beast::tcp_stream stream, std::shared_ptr<live::EventChannel> channel,
           StreamSettings settings, std::size_t message_limit)
      : LiveStream(registry, stream.get_executor(), std::move(channel), settings, true), ws_(std::move(stream)) {
    // websocket::stream keeps its own timeouts; the tcp_stream's must be off.
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout timeout{};
    timeout.handshake_timeout = settings.write_timeout; // accept and close
    // A live client answers our pings (one per heartbeat) long before this; Beast pings too after
    // half of it with nothing received, and drops the connection after the other half.
    timeout.idle_timeout = 2 * (settings.heartbeat + settings.write_timeout);
    timeout.keep_alive_pings = true;
    ws_.set_option(timeout);
    ws_.read_message_max(message_limit);
  }

  net::awaitable<bool> accept(const bhttp::request<bhttp::string_body>& request,
                              std::vector<std::pair<std::string, std::string>> headers) {
    ws_.set_option(websocket::stream_base::decorator([headers = std::move(headers)](websocket::response_type& res) {
      res.set(bhttp::field::server, "vikno");
      for (const auto& [name, value] : headers) {
        res.set(name, value);
      }
    }));
    auto [ec] = co_await ws_.async_accept(request, kTuple);
    co_return !ec;
  }

  static net::awaitable<void> read_until_closed(std::shared_ptr<WsStream> self) {
    beast::flat_buffer buffer;
    for (;;) {
      auto [ec, n] = co_await self->ws_.async_read(buffer, kTuple);
      if (ec) {
        break;
      }
      buffer.consume(buffer.size()); // clients have nothing to say on this stream (yet)
    }
    self->peer_left();
  }

  net::awaitable<void> finish(StreamEnd end) {
    if (end != StreamEnd::client_left && end != StreamEnd::write_failed) {
      websocket::close_reason reason{websocket::close_code::normal, "end of stream"};
      if (end == StreamEnd::too_slow) {
        reason = {websocket::close_code::try_again_later, "too slow"};
      } else if (end == StreamEnd::shutdown) {
        reason = {websocket::close_code::going_away, "server shutting down"};
      }
      arm_deadline();
      co_await ws_.async_close(reason, kTuple);
      disarm_deadline();
    }
    cut();
  }

protected:
  net::awaitable<bool> send(const std::vector<std::shared_ptr<const live::Event>>& batch) override {
    ws_.text(true);
    for (const auto& event : batch) {
      std::string frame = websocket_frame(*event);
      arm_deadline();
      auto [ec, n] = co_await ws_.async_write(net::buffer(frame), kTuple);
      disarm_deadline();
      if (ec) {
        co_return false;
      }
    }
    co_return true;
  }
  net::awaitable<bool> send_heartbeat() override {
    arm_deadline();
    auto [ec] = co_await ws_.async_ping({}, kTuple);
    disarm_deadline();
    co_return !ec;
  }
  void cut() override { beast::get_lowest_layer(ws_).close(); }

private:
  websocket::stream<beast::tcp_stream> ws_;
};

// Streams get this long at shutdown to say goodbye (a WebSocket close frame), within drain_timeout.
constexpr std::chrono::milliseconds kStreamCloseGrace{1000};

} // namespace

struct Server::Impl {
  ServerOptions options;
  const Router& router;
  Metrics& metrics;
  Authenticator authenticator;
  Fallback fallback;

  // Before ioc: the coroutines of open streams and connections, destroyed with it, still
  // unregister here.
  StreamRegistry streams;
  ConnectionTable connections;
  AddressCounter stream_slots;
  std::atomic<int> refusing{0}; // connections being answered 503 too_many_connections
  net::io_context ioc;
  net::thread_pool workers;
  tcp::acceptor acceptor{ioc};
  std::atomic<int> in_flight{0};
  std::atomic<bool> stopping{false};

  Impl(ServerOptions opts, const Router& r, Metrics& m, Authenticator a, Fallback f)
      : options(std::move(opts)), router(r), metrics(m), authenticator(std::move(a)), fallback(std::move(f)),
        connections(options.max_connections, options.max_connections_per_address),
        stream_slots(options.max_streams, options.max_streams_per_address), ioc(options.io_threads),
        workers(static_cast<std::size_t>(options.worker_threads)) {}

  Response handle(Request& request, std::string* route_pattern) const;
  // The response to an exception that aborted a request (logged unless the database is unreachable).
  static Response failure_response(const std::exception_ptr& failure, const std::string& route);
  net::awaitable<void> listen();
  void admit(tcp::socket socket);
  net::awaitable<void> refuse(tcp::socket socket);
  net::awaitable<void> session(beast::tcp_stream stream, std::shared_ptr<Connection> connection);
  // Why an upgrade request may not become a WebSocket (a foreign Origin); nullopt: it may.
  [[nodiscard]] std::optional<Error> refused_upgrade(const bhttp::request<bhttp::string_body>& message) const;
  net::awaitable<void> serve_events(beast::tcp_stream stream, bhttp::request<bhttp::string_body> message,
                                    Request request, Response response, std::string route,
                                    std::chrono::steady_clock::time_point started);
  net::awaitable<void> drain_and_stop();
  void begin_shutdown();
  void log_access(const Request& request, const std::string& route, unsigned status, double seconds, std::size_t bytes);
  void log_stream_end(const Request& request, const std::string& route, StreamEnd end, std::size_t events,
                      double seconds);
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
  } catch (...) {
    return failure_response(std::current_exception(), route.pattern);
  }
}

Response Server::Impl::failure_response(const std::exception_ptr& failure, const std::string& route) {
  try {
    std::rethrow_exception(failure);
  } catch (const Unavailable& e) {
    if (e.reason() == Unavailable::Reason::disk_full) { // logged once by storage, not per request
      return error_response(
          {ErrorKind::unavailable, "disk_full", "на диску сервера закінчилося місце / the server's disk is full", {}});
    }
    return error_response({ErrorKind::unavailable, "database_unavailable", "the database cannot be reached now", {}});
  } catch (const std::exception& e) {
    log::error("handler failed", {{"route", route}, {"what", e.what()}});
  } catch (...) { // NOLINT(bugprone-empty-catch): answered below like any other failure
  }
  return error_response({ErrorKind::internal, "internal", "internal error", {}});
}

void Server::Impl::log_access(const Request& request, const std::string& route, unsigned status, double seconds,
                              std::size_t bytes) {
  if (!options.access_log) {
    return;
  }
  std::string redacted;
  log::record("access", {{"method", request.method},
                         {"path", logged_path(request, redacted)},
                         {"route", route},
                         {"status", status},
                         {"ms", rounded(seconds * 1000.0, 1000.0)},
                         {"bytes", bytes},
                         {"ip", request.remote_ip},
                         {"actor", request.principal.actor()}});
}

void Server::Impl::log_stream_end(const Request& request, const std::string& route, StreamEnd end, std::size_t events,
                                  double seconds) {
  if (!options.access_log) {
    return;
  }
  std::string redacted;
  log::record("stream_end", {{"path", logged_path(request, redacted)},
                             {"route", route},
                             {"reason", to_string(end)},
                             {"events", events},
                             {"s", rounded(seconds, 1000.0)},
                             {"ip", request.remote_ip},
                             {"actor", request.principal.actor()}});
}

net::awaitable<void> Server::Impl::listen() {
  // Out of descriptors, accept fails at once and would fail again at once: wait before the next
  // try (50 ms, doubling to a second), and close an idle connection meanwhile to free one.
  constexpr std::chrono::milliseconds kFirstBackoff{50};
  constexpr std::chrono::milliseconds kMaxBackoff{1000};
  std::chrono::milliseconds backoff{0};
  net::steady_timer timer(ioc);
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(net::make_strand(ioc), kTuple);
    if (ec) {
      if (stopping || ec == net::error::operation_aborted) {
        co_return;
      }
      if (!out_of_descriptors(ec)) {
        continue; // this one connection failed (e.g. reset before it was accepted)
      }
      if (backoff.count() == 0) {
        log::warn("cannot accept connections: out of file descriptors; backing off",
                  {{"error", ec.message()}, {"open_connections", connections.size()}});
        backoff = kFirstBackoff;
      } else {
        backoff = std::min(backoff * 2, kMaxBackoff);
      }
      connections.close_oldest_idle();
      timer.expires_after(backoff);
      co_await timer.async_wait(kTuple);
      continue;
    }
    if (backoff.count() != 0) {
      log::info("accepting connections again", {{"open_connections", connections.size()}});
      backoff = std::chrono::milliseconds{0};
    }
    admit(std::move(socket));
  }
}

void Server::Impl::admit(tcp::socket socket) {
  boost::system::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  if (ec) {
    return; // gone already; the socket closes here
  }
  std::string address = endpoint.address().to_string();
  bool trusted = options.trusted_proxies.contains(address);
  auto executor = socket.get_executor();
  Admission refused = Admission::admitted;
  auto connection = connections.open(executor, address, trusted, &refused);
  if (!connection) {
    // Answering takes a descriptor for a moment; a flood beyond that is closed unanswered.
    constexpr int kMaxRefusing = 64;
    if (refusing.fetch_add(1) >= kMaxRefusing) {
      refusing.fetch_sub(1);
      return;
    }
    net::co_spawn(executor, refuse(std::move(socket)), [this](const std::exception_ptr&) { refusing.fetch_sub(1); });
    return;
  }
  // A failure inside one connection ends that connection, never the server: an exception that
  // escaped a detached coroutine would leave io_context::run() and stop every connection.
  net::co_spawn(executor, session(beast::tcp_stream(std::move(socket)), std::move(connection)),
                [](const std::exception_ptr& error) {
                  if (!error) {
                    return;
                  }
                  try {
                    std::rethrow_exception(error);
                  } catch (const std::exception& e) {
                    log::error("connection failed", {{"what", e.what()}});
                  } catch (...) {
                    log::error("connection failed");
                  }
                });
}

namespace {

// Closes after what the client sends, so that closing with unread bytes does not reset the
// connection before the client has read our answer: half-close, then read and drop up to 64 KiB
// for up to a second.
net::awaitable<void> linger(beast::tcp_stream& stream) {
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.expires_after(std::chrono::seconds(1));
  std::array<char, 4096> sink{};
  for (std::size_t total = 0; total < std::size_t{64} * 1024;) {
    auto [ec, n] = co_await stream.async_read_some(net::buffer(sink), kTuple);
    if (ec) {
      break;
    }
    total += n;
  }
  stream.close();
}

} // namespace

net::awaitable<void> Server::Impl::refuse(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  Response r = error_response(
      {ErrorKind::unavailable, "too_many_connections", "too many connections are open; try again shortly", {}});
  bhttp::response<bhttp::string_body> res{bhttp::status::service_unavailable, 11};
  res.set(bhttp::field::server, "vikno");
  res.set(bhttp::field::content_type, r.content_type);
  res.set(bhttp::field::retry_after, "5");
  res.keep_alive(false);
  res.body() = std::move(r.body);
  res.prepare_payload();
  stream.expires_after(std::chrono::seconds(1));
  auto [ec, n] = co_await bhttp::async_write(stream, res, kTuple);
  if (!ec) {
    co_await linger(stream);
  }
}

net::awaitable<void> Server::Impl::session(beast::tcp_stream stream, std::shared_ptr<Connection> connection) {
  beast::flat_buffer buffer;
  // Counted until this coroutine ends (a live stream included), on whatever path.
  struct Open {
    ConnectionTable& table;
    Connection& connection;
    ~Open() {
      connection.stream = nullptr;
      table.close(&connection);
    }
  } open{connections, *connection};
  const std::string& peer = connection->address;

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
    connection->stream = &stream;
    connection->idle_since = steady_ns();
    auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
    connection->idle_since = 0;
    if (ec) {
      if (ec == bhttp::error::header_limit) {
        Response r =
            error_response({ErrorKind::too_large, "header_too_large", "the request headers are too large", {}});
        r.status = 431;
        if (co_await send(r, 11, false)) {
          co_await linger(stream);
        }
      } else if (ec != bhttp::error::end_of_stream && ec != beast::error::timeout &&
                 ec != net::error::operation_aborted && ec != net::error::connection_reset && ec != net::error::eof) {
        Response r = error_response(Error::invalid("bad_request", "malformed HTTP request: " + ec.message()));
        if (co_await send(r, 11, false)) {
          co_await linger(stream);
        }
      }
      break;
    }
    if (auto framing = framing_error(parser.get().base())) {
      // Where the body ends is unclear, so nothing after this header can be trusted: answer, close.
      Response r = error_response(*framing);
      if (co_await send(r, parser.get().version(), false)) {
        co_await linger(stream);
      }
      break;
    }
    auto started = std::chrono::steady_clock::now();
    in_flight.fetch_add(1);
    struct Done {
      std::atomic<int>& count;
      bool counted = true;
      void end() {
        if (std::exchange(counted, false)) {
          count.fetch_sub(1);
        }
      }
      ~Done() { end(); }
    } done{in_flight};

    const auto& header = parser.get();
    Request request;
    request.method = std::string(header.method_string());
    request.remote_ip = peer;
    if (connection->trusted_proxy) {
      // Only here is the header read: without trusted proxies a request pays nothing for it.
      std::string chain;
      for (auto range = header.equal_range("X-Forwarded-For"); range.first != range.second; ++range.first) {
        if (!chain.empty()) {
          chain += ',';
        }
        chain += range.first->value();
      }
      request.remote_ip = options.trusted_proxies.client(peer, chain);
    }
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
      bool sent = co_await send(r, header.version(), false);
      metrics.record(request.method, "unmatched", 413, 0);
      log_access(request, "", 413, 0, 0);
      if (sent) {
        co_await linger(stream);
      }
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
    } else if (auto refused = refused_upgrade(message)) {
      response = error_response(*refused);
    } else {
      response = co_await net::co_spawn(
          workers,
          [this, &request, &route_pattern]() -> net::awaitable<Response> { co_return handle(request, &route_pattern); },
          net::use_awaitable);
    }
    if (auto after = std::exchange(response.after, nullptr)) {
      if (auto failure = co_await settled(after)) {
        response = failure_response(failure, route_pattern);
      }
    }
    if (response.events) {
      if (response.status == 200 && request.method != "HEAD") {
        // Per client: behind a trusted proxy, the address X-Forwarded-For names.
        if (stream_slots.acquire(request.remote_ip) == Admission::admitted) {
          StreamSlot slot(stream_slots, request.remote_ip);
          // A stream is not a request in flight: the drain at shutdown does not wait for it.
          done.end();
          connection->stream = nullptr; // no longer in the request loop: never closed as idle
          co_await serve_events(std::move(stream), std::move(message), std::move(request), std::move(response),
                                std::move(route_pattern), started);
          co_return;
        }
        response.events->close(); // nobody will drain it
        response = error_response(
            {ErrorKind::unavailable, "too_many_streams", "too many live streams are open; try again shortly", {}});
        response.headers.emplace_back("Retry-After", "5");
      } else {
        response.events->close(); // nobody will drain it
        response.events.reset();
      }
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

std::optional<Error> Server::Impl::refused_upgrade(const bhttp::request<bhttp::string_body>& message) const {
  if (!websocket::is_upgrade(message)) {
    return std::nullopt;
  }
  auto origin = message.find(bhttp::field::origin);
  if (origin == message.end()) {
    return std::nullopt; // not a browser (a browser always sends it with an upgrade)
  }
  std::string_view value = origin->value();
  if (!options.public_origin.empty() && beast::iequals(value, options.public_origin)) {
    return std::nullopt;
  }
  // The page was loaded from the address this request is sent to.
  if (auto host = message.find(bhttp::field::host); host != message.end() && !host->value().empty()) {
    for (std::string_view scheme : {"http://", "https://"}) {
      if (value.size() == scheme.size() + host->value().size() &&
          beast::iequals(value.substr(0, scheme.size()), scheme) &&
          beast::iequals(value.substr(scheme.size()), host->value())) {
        return std::nullopt;
      }
    }
  }
  return Error{
      ErrorKind::forbidden, "origin_not_allowed", "a WebSocket may be opened only from this server's own pages", {}};
}

net::awaitable<void> Server::Impl::serve_events(beast::tcp_stream stream, bhttp::request<bhttp::string_body> message,
                                                Request request, Response response, std::string route,
                                                std::chrono::steady_clock::time_point started) {
  StreamSettings settings{options.event_heartbeat, options.request_timeout};
  auto executor = stream.get_executor();
  auto log_start = [&](unsigned status) {
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics.record(request.method, route, status, seconds);
    log_access(request, route, status, seconds, 0);
  };
  auto log_end = [&](StreamEnd end, std::size_t events) {
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    log_stream_end(request, route, end, events, seconds);
  };

  if (websocket::is_upgrade(message)) {
    auto live = std::make_shared<WsStream>(streams, std::move(stream), response.events, settings, options.body_limit);
    live->attach();
    if (!co_await live->accept(message, std::move(response.headers))) {
      log_start(400); // Beast has answered the failed handshake itself
      co_return;
    }
    log_start(101);
    net::co_spawn(executor, WsStream::read_until_closed(live), net::detached);
    StreamEnd end = co_await live->pump();
    co_await live->finish(end);
    log_end(end, live->sent());
    co_return;
  }

  auto live = std::make_shared<SseStream>(streams, std::move(stream), response.events, settings);
  live->attach();
  bool started_ok = co_await live->start(message.version(), response.headers);
  log_start(200);
  if (!started_ok) {
    live->finish();
    log_end(StreamEnd::write_failed, 0);
    co_return;
  }
  net::co_spawn(executor, SseStream::read_until_closed(live), net::detached);
  StreamEnd end = co_await live->pump();
  live->finish();
  log_end(end, live->sent());
}

net::awaitable<void> Server::Impl::drain_and_stop() {
  net::steady_timer timer(ioc);
  auto now = std::chrono::steady_clock::now();
  auto deadline = now + options.drain_timeout;
  auto streams_deadline = now + std::min(options.drain_timeout, kStreamCloseGrace);
  // Open streams were told to end (begin_shutdown); they get a moment to send their goodbye.
  auto busy = [&] {
    auto t = std::chrono::steady_clock::now();
    return t < deadline && (in_flight.load() > 0 || (streams.size() > 0 && t < streams_deadline));
  };
  while (busy()) {
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(kTuple);
  }
  ioc.stop();
}

void Server::Impl::begin_shutdown() {
  if (stopping.exchange(true)) {
    return;
  }
  streams.close_all();
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
  // Each connection is a descriptor: take what the system allows, and keep the cap below it so that
  // a flood meets the cap (and idle connections make room) before accept runs out of descriptors.
  std::size_t nofile = raise_descriptor_limit();
  std::size_t cap = impl_->options.max_connections;
  if (nofile != 0) {
    cap = std::min(cap, nofile > descriptor_reserve(nofile) ? nofile - descriptor_reserve(nofile) : std::size_t{1});
  }
  impl_->connections.set_total_cap(cap);
  impl_->stream_slots.set_total_cap(std::min(impl_->options.max_streams, cap));
  log::info("descriptor limit",
            {{"nofile", nofile}, {"max_connections", cap}, {"max_streams", std::min(impl_->options.max_streams, cap)}});
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

std::size_t Server::open_streams() const { return impl_->streams.size(); }

std::size_t Server::open_connections() const { return impl_->connections.size(); }

Response Server::handle(Request& request, std::string* route_pattern) const {
  std::string route;
  Response response = impl_->handle(request, &route);
  if (route_pattern != nullptr) {
    *route_pattern = route;
  }
  if (auto after = std::exchange(response.after, nullptr)) {
    try {
      after->wait();
    } catch (...) {
      return Impl::failure_response(std::current_exception(), route);
    }
  }
  return response;
}

} // namespace vikno::http
