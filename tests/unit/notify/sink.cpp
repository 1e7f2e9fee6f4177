#include "sink.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/parse.hpp>

#include <stdexcept>

namespace vikno::notify::testing {

Sink::Sink(const std::string& script, const std::vector<std::string>& args) {
  int in[2];
  int out[2];
  if (::pipe(in) != 0 || ::pipe(out) != 0) {
    throw std::runtime_error("pipe failed");
  }
  const std::string path = std::string(VIKNO_SOURCE_DIR) + "/tests/support/" + script;
  std::vector<std::string> argv_s = {"node", path};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::close(in[1]);
    ::close(out[0]);
    ::execvp("node", argv.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  stdin_fd_ = in[1];
  stdout_fd_ = out[0];
  reader_ = std::thread([this] { read_lines(); });
  std::unique_lock lock(mutex_);
  if (!cv_.wait_for(lock, std::chrono::seconds(20), [&] { return port_ != 0; })) {
    throw std::runtime_error(script + " did not print its port in time");
  }
  if (port_ < 0) {
    throw std::runtime_error(script + " ended before it listened (is node there, and web/node_modules?)");
  }
}

Sink::~Sink() {
  ::close(stdin_fd_);
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  reader_.join();
  ::close(stdout_fd_);
}

void Sink::read_lines() {
  std::string buffer;
  char chunk[4096];
  for (;;) {
    const ssize_t n = ::read(stdout_fd_, chunk, sizeof chunk);
    if (n <= 0) {
      break;
    }
    buffer.append(chunk, static_cast<std::size_t>(n));
    std::size_t nl = 0;
    while ((nl = buffer.find('\n')) != std::string::npos) {
      const std::string line = buffer.substr(0, nl);
      buffer.erase(0, nl + 1);
      boost::system::error_code ec;
      auto value = boost::json::parse(line, ec);
      if (ec) {
        continue;
      }
      std::lock_guard lock(mutex_);
      if (port_ == 0 && value.is_object() && value.as_object().contains("port")) {
        port_ = static_cast<int>(value.as_object().at("port").as_int64());
      } else {
        lines_.push_back(std::move(value));
      }
      cv_.notify_all();
    }
  }
  std::lock_guard lock(mutex_);
  if (port_ == 0) {
    port_ = -1;
  }
  cv_.notify_all();
}

std::vector<boost::json::value> Sink::wait_for(std::size_t n, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  cv_.wait_for(lock, timeout, [&] { return lines_.size() >= n; });
  return lines_;
}

std::size_t Sink::count() {
  std::lock_guard lock(mutex_);
  return lines_.size();
}

} // namespace vikno::notify::testing
