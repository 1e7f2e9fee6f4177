// The busy day's load generator: kiosks issue tickets and administrators call, start and finish
// them over HTTP against a running server, as fast as it answers. The server and the center are
// set up by scripts/bench-queue.mjs, which hands over what the clients need in a JSON file and
// reads this program's JSON answer (latencies per command, errors, the client's own CPU time).
//
// Why C++: the same loop in node spent ~140 us of CPU per command on the 2 cores the server also
// uses; blocking Beast clients, one thread per administrator, spend a fraction of that, so the
// figure measures the server rather than its client (the ceiling is measured with wrk as well).
//
// Usage: queue_replay_client SETUP.json
//   {"port": N, "center_id": N, "visits": 2000, "kiosk_loops": 16, "ahead": 100, "seed": N,
//    "kiosk_token": "...", "groups": [id, ...], "popularity": [25, ...],
//    "desks": [{"cookie": "vikno_session=...", "csrf": "..."}, ...], "track_every": 0}
// With "track_every": K, every K-th citizen follows their ticket from their phone: a Server-Sent
// Events stream on the ticket's token, each from its own loopback address (127.1.x.y) as phones
// have their own, read until the end of the run.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace bj = boost::json;
using Tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Reply {
  unsigned status = 0;
  bj::value body;
};

// One keep-alive connection with the headers of one client (a kiosk's token or a staff session).
class Client {
public:
  Client(asio::io_context& io, unsigned short port, std::vector<std::pair<std::string, std::string>> headers)
      : port_(port), headers_(std::move(headers)), socket_(io) {}

  Reply post(const std::string& target, const std::string& body) {
    for (int attempt = 0;; ++attempt) {
      try {
        if (!socket_.is_open()) {
          socket_.connect(Tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
          socket_.set_option(Tcp::no_delay(true));
        }
        http::request<http::string_body> req{http::verb::post, target, 11};
        req.set(http::field::host, "127.0.0.1");
        for (const auto& [name, value] : headers_) {
          req.set(name, value);
        }
        if (!body.empty()) {
          req.set(http::field::content_type, "application/json");
        }
        req.body() = body;
        req.prepare_payload();
        http::write(socket_, req);
        http::response<http::string_body> res;
        http::read(socket_, buffer_, res);
        if (!res.keep_alive()) {
          socket_.close();
        }
        Reply r;
        r.status = res.result_int();
        boost::system::error_code ec;
        r.body = bj::parse(res.body(), ec);
        return r;
      } catch (const boost::system::system_error&) {
        socket_.close(); // the server closed an idle connection: once more on a new one
        buffer_.clear();
        if (attempt > 0) {
          return Reply{}; // status 0: counted as an error
        }
      }
    }
  }

private:
  unsigned short port_;
  std::vector<std::pair<std::string, std::string>> headers_;
  Tcp::socket socket_;
  beast::flat_buffer buffer_;
};

// The citizens who follow their tickets: one thread polls every stream and reads what comes.
class Followers {
public:
  explicit Followers(unsigned short port) : port_(port), thread_([this] { loop(); }) {}
  Followers(const Followers&) = delete;
  Followers& operator=(const Followers&) = delete;
  ~Followers() {
    stop_ = true;
    thread_.join();
    for (const auto& f : fds_) {
      ::close(f.fd);
    }
  }
  void follow(const std::string& token) {
    std::lock_guard lock(mutex_);
    pending_.push_back(token);
  }
  [[nodiscard]] long events() const { return events_; }
  [[nodiscard]] int streams() const { return streams_; }
  [[nodiscard]] int refused() const { return refused_; }

private:
  void open(const std::string& token) {
    const int n = streams_ + refused_;
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in from{};
    from.sin_family = AF_INET;
    from.sin_addr.s_addr = htonl((127U << 24) | (1U << 16) | static_cast<unsigned>(2 + n));
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port_);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // NOLINTBEGIN(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API takes sockaddr*
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
        ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
      // NOLINTEND(cppcoreguidelines-pro-type-reinterpret-cast)
      ++refused_;
      if (fd >= 0) {
        ::close(fd);
      }
      return;
    }
    const std::string request = "GET /api/v1/queue/tickets/" + token +
                                "/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n";
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) {
      ++refused_;
      ::close(fd);
      return;
    }
    fds_.push_back(pollfd{fd, POLLIN, 0});
    ++streams_;
  }

  void loop() {
    std::vector<char> buffer(std::size_t{64} * 1024);
    while (!stop_) {
      std::vector<std::string> tokens;
      {
        std::lock_guard lock(mutex_);
        tokens.swap(pending_);
      }
      for (const auto& token : tokens) {
        open(token);
      }
      if (fds_.empty() || ::poll(fds_.data(), fds_.size(), 5) <= 0) {
        if (fds_.empty()) {
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        continue;
      }
      for (auto& f : fds_) {
        if ((f.revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
          continue;
        }
        const ssize_t got = ::recv(f.fd, buffer.data(), buffer.size(), 0);
        if (got <= 0) {
          f.events = 0; // the server ended the stream
          continue;
        }
        std::string_view text(buffer.data(), static_cast<std::size_t>(got));
        for (auto at = text.find("\nevent:"); at != std::string_view::npos; at = text.find("\nevent:", at + 1)) {
          ++events_;
        }
      }
    }
  }

  unsigned short port_;
  std::mutex mutex_;
  std::vector<std::string> pending_;
  std::vector<pollfd> fds_;
  std::atomic<bool> stop_{false};
  std::atomic<long> events_{0};
  std::atomic<int> streams_{0};
  std::atomic<int> refused_{0};
  std::thread thread_; // last: starts once the rest is ready
};

struct Recorder {
  std::mutex mutex;
  std::map<std::string, std::vector<double>> latency{
      {"issue", {}}, {"next", {}}, {"next_empty", {}}, {"start", {}}, {"finish", {}}};
  std::map<std::string, int> errors;
  std::atomic<int> error_count{0};

  void record(const std::string& kind, double ms) {
    std::lock_guard lock(mutex);
    latency[kind].push_back(ms);
  }
  void error(const std::string& kind, const Reply& r) {
    std::string code;
    if (r.body.is_object()) {
      if (const auto* e = r.body.as_object().if_contains("error"); e && e->is_object()) {
        if (const auto* c = e->as_object().if_contains("code"); c && c->is_string()) {
          code = std::string(c->as_string());
        }
      }
    }
    std::lock_guard lock(mutex);
    ++errors[kind + " " + std::to_string(r.status) + " " + code];
    ++error_count;
  }
};

double since_ms(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: queue_replay_client SETUP.json\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  std::stringstream text;
  text << in.rdbuf();
  const bj::object setup = bj::parse(text.str()).as_object();
  const auto port = static_cast<unsigned short>(setup.at("port").to_number<int>());
  const std::string queue =
      "/api/v1/centers/" + std::to_string(setup.at("center_id").to_number<std::int64_t>()) + "/queue";
  const int visits = setup.at("visits").to_number<int>();
  const int ahead = setup.at("ahead").to_number<int>();
  const int kiosk_loops = setup.at("kiosk_loops").to_number<int>();
  const auto seed = setup.at("seed").to_number<std::uint32_t>();
  const auto* track = setup.if_contains("track_every");
  const int track_every = track != nullptr ? track->to_number<int>() : 0;
  std::optional<Followers> followers;
  if (track_every > 0) {
    followers.emplace(port);
  }
  std::vector<std::int64_t> groups;
  std::vector<double> popularity;
  for (const auto& g : setup.at("groups").as_array()) {
    groups.push_back(g.to_number<std::int64_t>());
  }
  for (const auto& p : setup.at("popularity").as_array()) {
    popularity.push_back(p.to_number<double>());
  }

  asio::io_context io;
  Recorder rec;
  std::atomic<int> issued{0};
  std::atomic<int> issued_ok{0};
  std::atomic<int> called{0};
  std::atomic<bool> failed{false};
  auto too_many_errors = [&] {
    if (rec.error_count > 100) {
      failed = true;
    }
  };

  auto kiosk_loop = [&](std::uint32_t stream) {
    Client kiosk(io, port, {{"authorization", "Bearer " + std::string(setup.at("kiosk_token").as_string())}});
    std::mt19937 random(seed + stream);
    std::discrete_distribution<std::size_t> pick(popularity.begin(), popularity.end());
    std::bernoulli_distribution consultation(0.6);
    while (!failed) {
      if (issued_ok - called >= ahead) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        continue;
      }
      int n = issued.load();
      if (n >= visits) {
        break;
      }
      if (!issued.compare_exchange_weak(n, n + 1)) {
        continue;
      }
      bj::object body{{"group_id", groups[pick(random)]},
                      {"purpose", consultation(random) ? "consultation" : "submit_documents"}};
      auto t0 = Clock::now();
      Reply r = kiosk.post(queue + "/tickets", bj::serialize(body));
      if (r.status != 201) {
        rec.error("issue", r);
        --issued;
        too_many_errors();
        continue;
      }
      rec.record("issue", since_ms(t0));
      const int nth = ++issued_ok;
      if (followers && nth % track_every == 0 && r.body.is_object()) {
        followers->follow(std::string(r.body.at("ticket").at("token").as_string()));
      }
    }
  };

  auto admin_loop = [&](const bj::object& desk) {
    Client client(io, port,
                  {{"cookie", std::string(desk.at("cookie").as_string())},
                   {"x-csrf-token", std::string(desk.at("csrf").as_string())}});
    while (called < visits && !failed) {
      auto t0 = Clock::now();
      Reply next = client.post(queue + "/desk/next", "");
      double ms = since_ms(t0);
      if (next.status != 200) {
        rec.error("next", next);
        too_many_errors();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        continue;
      }
      const bj::value* ticket = next.body.is_object() ? next.body.as_object().if_contains("ticket") : nullptr;
      if (ticket == nullptr || !ticket->is_object()) {
        rec.record("next_empty", ms);
        std::this_thread::sleep_for(std::chrono::milliseconds(2)); // nothing in my groups now
        continue;
      }
      rec.record("next", ms);
      ++called;
      const std::string id = std::to_string(ticket->as_object().at("id").to_number<std::int64_t>());
      for (const auto& [kind, path, body] :
           {std::tuple{"start", "/tickets/" + id + "/start", std::string()},
            std::tuple{"finish", "/tickets/" + id + "/finish", std::string(R"({"outcome":"consultation_given"})")}}) {
        auto t1 = Clock::now();
        Reply r = client.post(queue + path, body);
        if (r.status != 200) {
          rec.error(kind, r);
        } else {
          rec.record(kind, since_ms(t1));
        }
      }
    }
  };

  const double cpu0 = cpu_seconds();
  const auto t0 = Clock::now();
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(kiosk_loops) + setup.at("desks").as_array().size());
  for (int k = 0; k < kiosk_loops; ++k) {
    threads.emplace_back(kiosk_loop, static_cast<std::uint32_t>(k));
  }
  for (const auto& desk : setup.at("desks").as_array()) {
    threads.emplace_back(admin_loop, std::cref(desk.as_object()));
  }
  for (auto& t : threads) {
    t.join();
  }
  const double seconds = since_ms(t0) / 1000;

  bj::object out{{"seconds", seconds}, {"cpu_seconds", cpu_seconds() - cpu0}, {"failed", failed.load()}};
  if (followers) {
    out["followers"] = bj::object{
        {"streams", followers->streams()}, {"refused", followers->refused()}, {"events", followers->events()}};
  }
  bj::object latency;
  for (const auto& [kind, values] : rec.latency) {
    latency[kind] = bj::array(values.begin(), values.end());
  }
  out["latency"] = std::move(latency);
  bj::object errors;
  for (const auto& [key, n] : rec.errors) {
    errors[key] = n;
  }
  out["errors"] = std::move(errors);
  std::cout << bj::serialize(out) << '\n';
  return 0;
}
