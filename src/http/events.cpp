#include "http/events.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <string_view>
#include <utility>

namespace vikno::http {

EventChannel::EventChannel(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

bool EventChannel::push(std::shared_ptr<const Event> event) {
  bool wake = false;
  bool accepted = false;
  {
    std::lock_guard lock(mutex_);
    if (closed_) {
      return false;
    }
    if (buffer_.size() >= capacity_) {
      closed_ = true;
      overflowed_ = true;
      // The subscriber is dropped: it resumes after reconnecting, so what it missed is not kept.
      std::vector<std::shared_ptr<const Event>>().swap(buffer_);
      wake = true;
    } else {
      buffer_.push_back(std::move(event));
      accepted = true;
      wake = !notified_;
      notified_ = true;
    }
  }
  if (wake) {
    notify();
  }
  return accepted;
}

void EventChannel::close() {
  {
    std::lock_guard lock(mutex_);
    if (closed_) {
      return;
    }
    closed_ = true;
  }
  notify();
}

bool EventChannel::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

bool EventChannel::overflowed() const {
  std::lock_guard lock(mutex_);
  return overflowed_;
}

std::vector<std::shared_ptr<const Event>> EventChannel::take() {
  std::vector<std::shared_ptr<const Event>> out;
  std::lock_guard lock(mutex_);
  out.swap(buffer_);
  notified_ = false;
  return out;
}

std::size_t EventChannel::size() const {
  std::lock_guard lock(mutex_);
  return buffer_.size();
}

void EventChannel::on_ready(std::function<void()> wake) {
  std::function<void()> old;
  {
    std::lock_guard lock(wake_mutex_);
    old.swap(wake_);
    wake_ = std::move(wake);
  }
  // `old` is destroyed here, outside the lock: its captures may own things whose destructors
  // lock again.
}

void EventChannel::notify() {
  std::lock_guard lock(wake_mutex_);
  if (wake_) {
    wake_();
  }
}

namespace {

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  out += value;
  out += '\n';
}

} // namespace

std::string sse_frame(const Event& event) {
  std::string out;
  out.reserve(event.data.size() + event.type.size() + 40);
  if (event.id != 0) {
    append_field(out, "id", std::to_string(event.id));
  }
  if (!event.type.empty()) {
    // A line break would end the field early and let the rest pass for other fields.
    std::string type = event.type;
    std::replace_if(
        type.begin(), type.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
    append_field(out, "event", type);
  }
  // CR, LF and CRLF all end a line in an event stream; each line of DATA is its own data: field,
  // and the client joins them back with "\n".
  std::string_view rest = event.data;
  for (;;) {
    std::size_t end = rest.find_first_of("\r\n");
    append_field(out, "data", rest.substr(0, end));
    if (end == std::string_view::npos) {
      break;
    }
    std::size_t next = end + 1;
    if (rest[end] == '\r' && next < rest.size() && rest[next] == '\n') {
      ++next;
    }
    rest.remove_prefix(next);
  }
  out += '\n';
  return out;
}

std::string websocket_frame(const Event& event) {
  std::string out = "{\"id\":";
  out += std::to_string(event.id);
  out += ",\"type\":";
  out += boost::json::serialize(boost::json::string(event.type));
  out += ",\"data\":";
  out += event.data.empty() ? std::string_view("null") : std::string_view(event.data);
  out += '}';
  return out;
}

} // namespace vikno::http
