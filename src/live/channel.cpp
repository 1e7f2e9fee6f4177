#include "live/channel.hpp"

#include <algorithm>
#include <utility>

namespace vikno::live {

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

} // namespace vikno::live
