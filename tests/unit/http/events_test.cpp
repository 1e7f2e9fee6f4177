// Live events: EventChannel on its own, then a real Server on a loopback port delivering a channel
// to Server-Sent Events and WebSocket clients, dropping a subscriber that stops reading, noticing
// a client that leaves, and ending open streams at shutdown.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/events.hpp"
#include "http/server.hpp"

namespace vikno::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
namespace bj = boost::json;
using net::ip::tcp;
using namespace std::chrono_literals;
using live::Event; // the channel moved to src/live; these tests drive it through the server
using live::EventChannel;

Request get(std::string path) {
  Request r;
  r.method = "GET";
  r.path = std::move(path);
  return r;
}

std::shared_ptr<const Event> event(std::uint64_t id, std::string type, std::string data) {
  return std::make_shared<const Event>(Event{id, std::move(type), std::move(data)});
}

// Polls `condition` until it holds or `timeout` passes ("eventually", never a timing assertion).
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 10s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// EventChannel

TEST(EventChannel, KeepsOrderAndTakeEmptiesTheBuffer) {
  EventChannel channel(8);
  EXPECT_TRUE(channel.push(event(1, "a", "1")));
  EXPECT_TRUE(channel.push(event(2, "b", "2")));
  EXPECT_TRUE(channel.push(event(3, "c", "3")));
  EXPECT_EQ(channel.size(), 3U);
  auto taken = channel.take();
  ASSERT_EQ(taken.size(), 3U);
  EXPECT_EQ(taken[0]->id, 1U);
  EXPECT_EQ(taken[1]->id, 2U);
  EXPECT_EQ(taken[2]->id, 3U);
  EXPECT_EQ(channel.size(), 0U);
  EXPECT_TRUE(channel.take().empty());
  EXPECT_TRUE(channel.push(event(4, "d", "4")));
  EXPECT_EQ(channel.take().at(0)->id, 4U);
}

TEST(EventChannel, FullChannelClosesAndDropsTheSubscriber) {
  EventChannel channel(3);
  for (std::uint64_t id = 1; id <= 3; ++id) {
    EXPECT_TRUE(channel.push(event(id, "t", "{}")));
  }
  EXPECT_FALSE(channel.overflowed());
  EXPECT_FALSE(channel.push(event(4, "t", "{}")));
  EXPECT_TRUE(channel.overflowed());
  EXPECT_TRUE(channel.closed());
  EXPECT_EQ(channel.size(), 0U); // what a dropped subscriber held is freed at once
  EXPECT_FALSE(channel.push(event(5, "t", "{}")));
}

TEST(EventChannel, CloseKeepsWhatIsBufferedAndRefusesMore) {
  EventChannel channel(4);
  EXPECT_TRUE(channel.push(event(1, "t", "{}")));
  channel.close();
  channel.close(); // idempotent
  EXPECT_TRUE(channel.closed());
  EXPECT_FALSE(channel.overflowed());
  EXPECT_FALSE(channel.push(event(2, "t", "{}")));
  auto taken = channel.take();
  ASSERT_EQ(taken.size(), 1U);
  EXPECT_EQ(taken[0]->id, 1U);
}

TEST(EventChannel, WakeWhenSomethingIsReadyAndOnClose) {
  EventChannel channel(4);
  std::atomic<int> wakes{0};
  channel.on_ready([&wakes] { ++wakes; });
  EXPECT_TRUE(channel.push(event(1, "t", "{}")));
  EXPECT_EQ(wakes, 1);
  EXPECT_TRUE(channel.push(event(2, "t", "{}")));
  EXPECT_EQ(wakes, 1); // not taken yet: the server already knows
  channel.take();
  EXPECT_TRUE(channel.push(event(3, "t", "{}")));
  EXPECT_EQ(wakes, 2);
  channel.close();
  EXPECT_EQ(wakes, 3);
  channel.on_ready(nullptr);
  channel.close();
  EXPECT_EQ(wakes, 3);
}

TEST(EventChannel, WakeOnOverflowAndFromOtherThreads) {
  EventChannel channel(2);
  std::atomic<int> wakes{0};
  channel.on_ready([&wakes] { ++wakes; });
  std::thread publisher([&channel] {
    for (std::uint64_t id = 1; id <= 3; ++id) {
      channel.push(event(id, "t", "{}"));
    }
  });
  publisher.join();
  EXPECT_TRUE(channel.overflowed());
  EXPECT_EQ(wakes, 2); // became ready, then overflowed
}

TEST(EventFrames, ServerSentEvents) {
  EXPECT_EQ(sse_frame({7, "ticket_called", R"({"ticket":"A-012"})"}),
            "id: 7\nevent: ticket_called\ndata: {\"ticket\":\"A-012\"}\n\n");
  EXPECT_EQ(sse_frame({0, "", "1"}), "data: 1\n\n"); // no id, no type
  // A line break inside the data cannot end the event early or forge another field.
  EXPECT_EQ(sse_frame({1, "t", "[1,\n2]\r\nid: 99"}), "id: 1\nevent: t\ndata: [1,\ndata: 2]\ndata: id: 99\n\n");
  EXPECT_EQ(sse_frame({1, "a\nid: 5", "{}"}), "id: 1\nevent: a id: 5\ndata: {}\n\n");
}

TEST(EventFrames, WebSocketJson) {
  auto frame = bj::parse(websocket_frame({42, "queue_length", R"({"service":3,"waiting":5})"}));
  EXPECT_EQ(frame.at("id").as_int64(), 42);
  EXPECT_EQ(frame.at("type").as_string(), "queue_length");
  EXPECT_EQ(frame.at("data").at("waiting").as_int64(), 5);
  EXPECT_EQ(websocket_frame({1, "a\"b", ""}), R"({"id":1,"type":"a\"b","data":null})");
}

// ---------------------------------------------------------------------------------------------
// Over a socket

// A Server on 127.0.0.1:<any port> running in its own thread. GET /events answers with a new
// channel (after pushing the backlog into it), which the test then publishes to.
class LiveServer {
public:
  explicit LiveServer(std::chrono::milliseconds heartbeat, std::size_t capacity = 256,
                      std::vector<std::shared_ptr<const Event>> backlog = {})
      : capacity_(capacity), backlog_(std::move(backlog)) {
    router_.add("GET", "/events", [this](Request&) -> Result<Response> {
      auto channel = std::make_shared<EventChannel>(capacity_);
      for (const auto& e : backlog_) {
        channel->push(e);
      }
      {
        std::lock_guard lock(mutex_);
        channels_.push_back(channel);
      }
      changed_.notify_all();
      return Response::event_stream(channel);
    });
    router_.add("GET", "/healthz", [](Request&) -> Result<Response> {
      return Response::json(bj::object{{"status", "ok"}});
    });
    router_.add("GET", "/later", [this](Request&) -> Result<Response> {
      Response r = Response::json(bj::object{{"answered", true}});
      r.after = std::make_shared<Deferred>();
      {
        std::lock_guard lock(mutex_);
        laters_.push_back(r.after);
      }
      changed_.notify_all();
      return r;
    });
    ServerOptions options;
    options.port = 0;
    options.io_threads = 2;
    options.worker_threads = 2;
    options.access_log = false;
    options.event_heartbeat = heartbeat;
    server_ = std::make_unique<Server>(options, router_, metrics_, Authenticator{});
    server_->bind();
    port_ = server_->bound_port();
    thread_ = std::thread([this] { server_->run(); });
  }
  ~LiveServer() { stop(); }
  LiveServer(const LiveServer&) = delete;
  LiveServer& operator=(const LiveServer&) = delete;

  void stop() {
    if (thread_.joinable()) {
      server_->stop();
      thread_.join();
    }
  }

  // The channel of the n-th stream opened (0-based), once its handler has run.
  std::shared_ptr<EventChannel> channel(std::size_t n = 0) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, 10s, [&] { return channels_.size() > n; });
    return channels_.size() > n ? channels_[n] : nullptr;
  }

  // What the n-th answer of /later waits for, once its handler has run.
  std::shared_ptr<Deferred> later(std::size_t n) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, 10s, [&] { return laters_.size() > n; });
    return laters_.size() > n ? laters_[n] : nullptr;
  }

  [[nodiscard]] unsigned short port() const { return port_; }
  Server& server() { return *server_; }

private:
  std::size_t capacity_;
  std::vector<std::shared_ptr<const Event>> backlog_;
  Router router_;
  Metrics metrics_;
  std::unique_ptr<Server> server_;
  unsigned short port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::shared_ptr<EventChannel>> channels_;
  std::vector<std::shared_ptr<Deferred>> laters_;
};

// A plain HTTP client that reads the event stream as text. Every read has a deadline (the
// tcp_stream closes the socket when it passes), so a broken server fails the test, never hangs it.
class SseClient {
public:
  explicit SseClient(unsigned short port, std::string_view path = "/events") {
    stream_.expires_after(10s);
    stream_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    std::string request =
        "GET " + std::string(path) + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n";
    net::write(stream_.socket(), net::buffer(request));
  }

  // Reads until `text` has arrived (true) or the stream ends or the deadline passes (false).
  bool read_until(std::string_view text, std::chrono::milliseconds timeout = 10s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (received_.find(text) == std::string::npos) {
      if (ended_ || std::chrono::steady_clock::now() >= deadline) {
        return false;
      }
      read_some(deadline);
    }
    return true;
  }

  // Reads until the server ends the connection (true) or the deadline passes.
  bool read_to_end(std::chrono::milliseconds timeout = 10s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!ended_ && std::chrono::steady_clock::now() < deadline) {
      read_some(deadline);
    }
    return ended_ && !timed_out_;
  }

  void close() { stream_.close(); }
  [[nodiscard]] const std::string& received() const { return received_; }
  // Bytes that arrived and are not read yet (a read that times out closes the stream; this does not).
  [[nodiscard]] std::size_t unread() { return stream_.socket().available(); }

private:
  void read_some(std::chrono::steady_clock::time_point deadline) {
    std::array<char, 16384> buffer{};
    boost::system::error_code result;
    std::size_t got = 0;
    stream_.expires_at(deadline);
    stream_.async_read_some(net::buffer(buffer), [&](boost::system::error_code ec, std::size_t n) {
      result = ec;
      got = n;
    });
    ioc_.restart();
    ioc_.run();
    received_.append(buffer.data(), got);
    if (result) {
      ended_ = true;
      timed_out_ = result == beast::error::timeout;
    }
  }

  net::io_context ioc_;
  beast::tcp_stream stream_{ioc_};
  std::string received_;
  bool ended_ = false;
  bool timed_out_ = false;
};

// A WebSocket client on /events; the same deadline on every operation.
class WsClient {
public:
  explicit WsClient(unsigned short port) {
    auto& lowest = beast::get_lowest_layer(ws_);
    lowest.expires_after(10s);
    lowest.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    boost::system::error_code result;
    ws_.async_handshake("localhost", "/events", [&](boost::system::error_code ec) { result = ec; });
    run();
    if (result) {
      throw boost::system::system_error(result);
    }
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
      if (kind == websocket::frame_type::ping) {
        ++pings_;
      }
    });
  }

  // The next text message, or the error that ended the stream.
  std::pair<boost::system::error_code, std::string> read(std::chrono::milliseconds timeout = 10s) {
    beast::get_lowest_layer(ws_).expires_after(timeout);
    beast::flat_buffer buffer;
    boost::system::error_code result;
    ws_.async_read(buffer, [&](boost::system::error_code ec, std::size_t) { result = ec; });
    run();
    return {result, beast::buffers_to_string(buffer.data())};
  }

  void close() {
    beast::get_lowest_layer(ws_).expires_after(10s);
    ws_.async_close(websocket::close_code::normal, [](boost::system::error_code) {});
    run();
  }

  [[nodiscard]] websocket::close_reason reason() const { return ws_.reason(); }
  [[nodiscard]] int pings() const { return pings_; }

private:
  void run() {
    ioc_.restart();
    ioc_.run();
  }

  net::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_{ioc_};
  int pings_ = 0;
};

std::string called(std::uint64_t id) { return R"({"ticket":"A-)" + std::to_string(id) + R"("})"; }

TEST(LiveEvents, ServerSentEventsDeliverTheBacklogThenLiveEvents) {
  LiveServer live(60s, 256, {event(1, "called", called(1)), event(2, "called", called(2))});
  SseClient client(live.port());
  ASSERT_TRUE(client.read_until("data: " + called(2) + "\n\n")) << client.received();
  const std::string& text = client.received();
  std::string head = text.substr(0, text.find("\r\n\r\n"));
  EXPECT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0U) << head;
  EXPECT_NE(head.find("Content-Type: text/event-stream; charset=utf-8\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("Cache-Control: no-store\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("X-Accel-Buffering: no\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;
  EXPECT_EQ(head.find("chunked"), std::string::npos) << head;
  EXPECT_NE(text.find("\r\n\r\nretry: 3000\n\n"), std::string::npos);

  auto channel = live.channel();
  ASSERT_NE(channel, nullptr);
  EXPECT_EQ(live.server().open_streams(), 1U);
  std::thread publisher([channel] {
    EXPECT_TRUE(channel->push(event(3, "called", called(3))));
    EXPECT_TRUE(channel->push(event(4, "queue_length", R"({"waiting":7})")));
  });
  publisher.join();
  ASSERT_TRUE(client.read_until("data: {\"waiting\":7}\n\n")) << client.received();

  std::string body = client.received().substr(client.received().find("\r\n\r\n") + 4);
  EXPECT_EQ(body, "retry: 3000\n\n"
                  "id: 1\nevent: called\ndata: " +
                      called(1) +
                      "\n\n"
                      "id: 2\nevent: called\ndata: " +
                      called(2) +
                      "\n\n"
                      "id: 3\nevent: called\ndata: " +
                      called(3) +
                      "\n\n"
                      "id: 4\nevent: queue_length\ndata: {\"waiting\":7}\n\n");

  // The publisher ends the stream: the client sees the end of the response.
  channel->close();
  EXPECT_TRUE(client.read_to_end());
  EXPECT_TRUE(eventually([&] { return live.server().open_streams() == 0; }));
}

TEST(LiveEvents, IdleServerSentEventsGetAHeartbeatComment) {
  LiveServer live(100ms);
  SseClient client(live.port());
  EXPECT_TRUE(client.read_until("\n\n: ping\n\n")) << client.received();
}

TEST(LiveEvents, WebSocketDeliversEventsAsJsonFrames) {
  LiveServer live(100ms, 256, {event(1, "called", called(1))});
  WsClient client(live.port());
  auto channel = live.channel();
  ASSERT_NE(channel, nullptr);

  auto [ec1, first] = client.read();
  ASSERT_FALSE(ec1) << ec1.message();
  auto json = bj::parse(first);
  EXPECT_EQ(json.at("id").as_int64(), 1);
  EXPECT_EQ(json.at("type").as_string(), "called");
  EXPECT_EQ(json.at("data").at("ticket").as_string(), "A-1");

  std::thread publisher([channel] { EXPECT_TRUE(channel->push(event(2, "queue_length", R"({"waiting":7})"))); });
  publisher.join();
  auto [ec2, second] = client.read();
  ASSERT_FALSE(ec2) << ec2.message();
  EXPECT_EQ(second, R"({"id":2,"type":"queue_length","data":{"waiting":7}})");

  // Pings arrive every heartbeat (100 ms); the client sees them while it waits for a message.
  std::thread later([channel] {
    std::this_thread::sleep_for(500ms);
    channel->push(event(3, "called", called(3)));
  });
  auto [ec3, third] = client.read();
  later.join();
  ASSERT_FALSE(ec3) << ec3.message();
  EXPECT_EQ(bj::parse(third).at("id").as_int64(), 3);
  EXPECT_GE(client.pings(), 1);

  // The publisher ends the stream: a normal close.
  channel->close();
  auto [ec4, none] = client.read();
  EXPECT_EQ(ec4, websocket::error::closed) << ec4.message();
  EXPECT_EQ(client.reason().code, websocket::close_code::normal);
  EXPECT_TRUE(eventually([&] { return live.server().open_streams() == 0; }));
}

TEST(LiveEvents, SubscriberThatDoesNotReadIsDropped) {
  LiveServer live(60s, 16);
  SseClient client(live.port());
  auto channel = live.channel();
  ASSERT_NE(channel, nullptr);
  // Large events fill the socket buffers quickly; the client reads nothing meanwhile.
  std::string payload = "\"" + std::string(4096, 'x') + "\"";
  bool refused = false;
  for (std::uint64_t id = 1; id <= 10000 && !refused; ++id) {
    refused = !channel->push(event(id, "big", payload));
  }
  EXPECT_TRUE(refused);
  EXPECT_TRUE(channel->overflowed());
  EXPECT_FALSE(channel->push(event(10001, "big", payload)));
  // The server cuts the connection (even with a write blocked) and forgets the stream.
  EXPECT_TRUE(eventually([&] { return live.server().open_streams() == 0; }));
  EXPECT_TRUE(client.read_to_end());
}

TEST(LiveEvents, SubscriberIsDroppedWhileAWriteToItIsBlocked) {
  LiveServer live(60s, 16); // request_timeout (the write timeout) is the default 15 s
  SseClient client(live.port());
  auto channel = live.channel();
  ASSERT_NE(channel, nullptr);
  std::string payload = "\"" + std::string(16384, 'x') + "\"";
  // Publish at the pace the server drains, until the socket buffers are full and a write blocks:
  // then the channel stops draining.
  std::uint64_t id = 0;
  bool blocked = false;
  while (!blocked && id < 10000) {
    ASSERT_TRUE(channel->push(event(++id, "big", payload)));
    blocked = !eventually([&] { return channel->size() == 0; }, 500ms);
  }
  ASSERT_TRUE(blocked);
  while (channel->push(event(++id, "big", payload))) {
  }
  EXPECT_TRUE(channel->overflowed());
  // Cut at once, not after the 15 s write timeout.
  EXPECT_TRUE(eventually([&] { return live.server().open_streams() == 0; }, 5s));
  EXPECT_TRUE(client.read_to_end());
}

TEST(LiveEvents, ChannelClosesWhenTheClientLeaves) {
  LiveServer live(60s);
  {
    SseClient sse(live.port());
    ASSERT_TRUE(sse.read_until("retry: 3000\n\n"));
    auto channel = live.channel(0);
    ASSERT_NE(channel, nullptr);
    EXPECT_FALSE(channel->closed());
    sse.close();
    EXPECT_TRUE(eventually([&] { return channel->closed(); }));
    EXPECT_FALSE(channel->overflowed());
    EXPECT_FALSE(channel->push(event(1, "t", "{}"))); // the publisher learns nobody listens
  }
  {
    WsClient ws(live.port());
    auto channel = live.channel(1);
    ASSERT_NE(channel, nullptr);
    EXPECT_FALSE(channel->closed());
    ws.close();
    EXPECT_TRUE(eventually([&] { return channel->closed(); }));
  }
  EXPECT_TRUE(eventually([&] { return live.server().open_streams() == 0; }));
}

TEST(LiveEvents, StopEndsOpenStreamsPromptly) {
  LiveServer live(60s);
  SseClient sse(live.port());
  ASSERT_TRUE(sse.read_until("retry: 3000\n\n"));
  WsClient ws(live.port());
  auto sse_channel = live.channel(0);
  auto ws_channel = live.channel(1);
  ASSERT_NE(ws_channel, nullptr);
  ASSERT_TRUE(eventually([&] { return live.server().open_streams() == 2; }));

  auto began = std::chrono::steady_clock::now();
  std::thread stopper([&live] { live.stop(); });
  auto [ec, none] = ws.read();
  EXPECT_EQ(ec, websocket::error::closed) << ec.message();
  EXPECT_EQ(ws.reason().code, websocket::close_code::going_away);
  EXPECT_TRUE(sse.read_to_end());
  stopper.join();
  // Generous: the drain would wait 10 s (drain_timeout) if streams counted as requests in flight.
  EXPECT_LT(std::chrono::steady_clock::now() - began, 5s);
  EXPECT_TRUE(sse_channel->closed());
  EXPECT_TRUE(ws_channel->closed());
}

TEST(LiveEvents, HandleWithoutASocketReturnsTheChannel) {
  Router router;
  auto channel = std::make_shared<EventChannel>();
  router.add("GET", "/events", [channel](Request&) -> Result<Response> { return Response::event_stream(channel); });
  Metrics metrics;
  Server server({}, router, metrics, Authenticator{});
  Request request = get("/events");
  Response response = server.handle(request);
  EXPECT_EQ(response.status, 200U);
  EXPECT_EQ(response.events, channel);
  EXPECT_EQ(response.content_type, "text/event-stream; charset=utf-8");
  EXPECT_FALSE(channel->closed());
}

TEST(LiveEvents, OrdinaryRequestsStillWork) {
  LiveServer live(60s);
  SseClient client(live.port()); // a stream open beside them
  ASSERT_TRUE(client.read_until("retry: 3000\n\n"));
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), live.port()));
  std::string request = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  net::write(stream.socket(), net::buffer(request));
  std::string reply;
  std::array<char, 1024> buffer{};
  boost::system::error_code ec;
  while (!ec) {
    std::size_t n = stream.socket().read_some(net::buffer(buffer), ec);
    reply.append(buffer.data(), n);
  }
  EXPECT_EQ(reply.rfind("HTTP/1.1 200 OK\r\n", 0), 0U) << reply;
  EXPECT_NE(reply.find(R"({"status":"ok"})"), std::string::npos) << reply;
}

// Answers sent later: a handler's response waits for its Deferred (the queue: the commit of a
// command's rows) without holding a worker thread.

TEST(AnswersSentLater, WaitForTheirDeferredWithoutHoldingAWorker) {
  LiveServer live(60s); // 2 worker threads
  std::vector<std::unique_ptr<SseClient>> waiting;
  for (std::size_t i = 0; i < 3; ++i) {
    waiting.push_back(std::make_unique<SseClient>(live.port(), "/later"));
    ASSERT_TRUE(live.later(i)) << "the handler ran";
  }
  // More answers wait than there are workers: if each held one, this request would find none.
  SseClient health(live.port(), "/healthz");
  EXPECT_TRUE(health.read_until(R"({"status":"ok"})"));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(waiting[0]->unread(), 0U) << "nothing is sent before it settles";

  live.later(0)->settle();
  EXPECT_TRUE(waiting[0]->read_until(R"({"answered":true})"));
  EXPECT_EQ(waiting[0]->received().rfind("HTTP/1.1 200 OK\r\n", 0), 0U) << waiting[0]->received();

  // A failure is answered as if the handler had thrown it.
  live.later(1)->settle(std::make_exception_ptr(Unavailable("disk gone")));
  EXPECT_TRUE(waiting[1]->read_until("database_unavailable"));
  EXPECT_EQ(waiting[1]->received().rfind("HTTP/1.1 503", 0), 0U) << waiting[1]->received();
  EXPECT_EQ(waiting[1]->received().find("answered"), std::string::npos);

  live.later(2)->settle(std::make_exception_ptr(std::runtime_error("secret detail")));
  EXPECT_TRUE(waiting[2]->read_until(R"("code":"internal")"));
  EXPECT_EQ(waiting[2]->received().rfind("HTTP/1.1 500", 0), 0U) << waiting[2]->received();
  EXPECT_EQ(waiting[2]->received().find("secret detail"), std::string::npos);
}

TEST(AnswersSentLater, HandleWithoutASocketGivesTheResponseOrItsFailure) {
  auto answered_after = [](std::exception_ptr failure) {
    return [failure](Request&) -> Result<Response> {
      Response r = Response::json(bj::object{{"answered", true}});
      r.after = std::make_shared<Deferred>();
      r.after->settle(failure);
      return r;
    };
  };
  Router router;
  router.add("GET", "/done", answered_after(nullptr));
  router.add("GET", "/failed", answered_after(std::make_exception_ptr(Unavailable("gone"))));
  Metrics metrics;
  Server server({}, router, metrics, Authenticator{});
  Request done = get("/done");
  EXPECT_EQ(server.handle(done).body, R"({"answered":true})");
  Request failed = get("/failed");
  Response r = server.handle(failed);
  EXPECT_EQ(r.status, 503U);
  EXPECT_EQ(r.after, nullptr);
}

} // namespace
} // namespace vikno::http
