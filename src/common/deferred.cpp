#include "common/deferred.hpp"

namespace vikno {

void Deferred::settle(std::exception_ptr failure) {
  std::vector<Callback> callbacks;
  {
    std::lock_guard lock(mutex_);
    if (settled_) {
      return;
    }
    settled_ = true;
    failure_ = std::move(failure);
    callbacks.swap(callbacks_);
  }
  settled_cv_.notify_all();
  for (auto& fn : callbacks) {
    fn(failure_); // no longer changes
  }
}

void Deferred::then(Callback fn) {
  {
    std::lock_guard lock(mutex_);
    if (!settled_) {
      callbacks_.push_back(std::move(fn));
      return;
    }
  }
  fn(failure_);
}

void Deferred::wait() {
  std::unique_lock lock(mutex_);
  settled_cv_.wait(lock, [&] { return settled_; });
  if (failure_) {
    std::rethrow_exception(failure_);
  }
}

bool Deferred::settled() {
  std::lock_guard lock(mutex_);
  return settled_;
}

bool Deferred::succeeded() {
  std::lock_guard lock(mutex_);
  return settled_ && !failure_;
}

} // namespace vikno
