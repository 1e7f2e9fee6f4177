// Deferred: an outcome that arrives later, on another thread: done, or the exception that failed it.
//
// The queue answers a command before its rows are committed and attaches the Deferred that the
// commit settles; the HTTP server sends the answer only once it settled (the failure's response
// instead, as if the handler had thrown it), without a thread waiting for it.
//
//   auto done = std::make_shared<Deferred>();
//   after.on_commit([done] { done->settle(); });             // any thread
//   done->then([](const std::exception_ptr& failed) { ... }); // now if settled, else from settle()
//   done->wait();                                            // blocks; rethrows the failure
#pragma once

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <vector>

namespace vikno {

class Deferred {
public:
  using Callback = std::move_only_function<void(const std::exception_ptr&)>;

  // Settles it: a null exception means done. Only the first call counts. Runs the callbacks here.
  void settle(std::exception_ptr failure = nullptr);
  // Calls fn with the failure (null when done): now, on this thread, if it settled; else from settle().
  void then(Callback fn);
  // Blocks until it settled; rethrows its failure.
  void wait();
  // Whether it settled, and whether without a failure (never block).
  [[nodiscard]] bool settled();
  [[nodiscard]] bool succeeded();

private:
  std::mutex mutex_;
  std::condition_variable settled_cv_;
  bool settled_ = false;
  std::exception_ptr failure_;
  std::vector<Callback> callbacks_;
};

} // namespace vikno
