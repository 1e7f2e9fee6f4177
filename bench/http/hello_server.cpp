// "Hello world" over the same design as http::Server (Beast on Asio, a coroutine per connection on
// its own strand, keep-alive, a timeout on every read) but with nothing else: no routing, no
// worker pool hand-off, no authentication, no database. scripts/bench.sh measures Vikno against
// it, so the ratio says what our layers cost on this machine, not how fast the machine is.
//
// Usage: hello_server [port=0] [io_threads=2]; prints "listening on PORT" once bound (127.0.0.1),
// stops on SIGINT/SIGTERM.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr auto kTuple = net::as_tuple(net::use_awaitable);

net::awaitable<void> session(beast::tcp_stream stream) {
  beast::flat_buffer buffer;
  for (;;) {
    bhttp::request<bhttp::string_body> req;
    stream.expires_after(std::chrono::seconds(15));
    auto [ec, n] = co_await bhttp::async_read(stream, buffer, req, kTuple);
    if (ec) {
      break;
    }
    bhttp::response<bhttp::string_body> res{bhttp::status::ok, req.version()};
    res.set(bhttp::field::server, "hello");
    res.set(bhttp::field::content_type, "application/json");
    res.keep_alive(req.keep_alive());
    res.body() = R"({"status":"ok"})"; // the same body as Vikno's /healthz
    res.prepare_payload();
    auto [wec, wn] = co_await bhttp::async_write(stream, res, kTuple);
    if (wec || !res.keep_alive()) {
      break;
    }
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

net::awaitable<void> listen(tcp::acceptor& acceptor) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(net::make_strand(acceptor.get_executor()), kTuple);
    if (ec) {
      if (ec == net::error::operation_aborted) {
        co_return;
      }
      continue;
    }
    auto executor = socket.get_executor();
    net::co_spawn(executor, session(beast::tcp_stream(std::move(socket))), net::detached);
  }
}

} // namespace

int main(int argc, char** argv) {
  const auto port = static_cast<unsigned short>(argc > 1 ? std::atoi(argv[1]) : 0);
  const int threads = argc > 2 ? std::max(1, std::atoi(argv[2])) : 2;
  net::io_context ioc(threads);
  tcp::acceptor acceptor(ioc, {net::ip::make_address("127.0.0.1"), port});
  std::printf("listening on %u\n", acceptor.local_endpoint().port());
  std::fflush(stdout);
  net::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) { ioc.stop(); });
  net::co_spawn(ioc, listen(acceptor), net::detached);
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) {
    pool.emplace_back([&ioc] { ioc.run(); });
  }
  ioc.run();
  for (auto& t : pool) {
    t.join();
  }
  return 0;
}
