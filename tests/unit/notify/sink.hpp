// A test's local server (tests/support/<name>.mjs under node): started with its arguments, its
// port read from its first line, every later line (one received message, JSON) kept for the test
// to wait for. Stopped (stdin closed, then SIGTERM) when destroyed.
#pragma once

#include <boost/json/value.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace vikno::notify::testing {

class Sink {
public:
  Sink(const std::string& script, const std::vector<std::string>& args);
  ~Sink();
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;

  [[nodiscard]] int port() const { return port_; }
  // The received messages once there are at least n (fewer after the timeout).
  std::vector<boost::json::value> wait_for(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  [[nodiscard]] std::size_t count();

private:
  void read_lines();

  int pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int port_ = 0;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<boost::json::value> lines_;
  std::thread reader_;
};

} // namespace vikno::notify::testing
