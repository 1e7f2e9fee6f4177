// Worker: the background thread that sends the outbox's due messages (outbox.hpp).
//
// Each round it claims a batch of due messages in one short transaction, pushing their next
// attempt on by a lease (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so two instances never claim one
// message; SQLite: the single writer does the same), then sends each through its channel with no
// transaction open, then records the attempt in another transaction: sent, or pending again after
// the next backoff step, or failed after the last. A process that dies while sending leaves the
// message to be tried again when its lease ends (at least once, never lost).
//
// It wakes when told (wake(), which the service calls after a commit that enqueued), when the
// first pending message falls due, and at least every `poll` (messages of another instance).
// The clock is injected: tests move it on and call wake() instead of waiting.
// Nothing here logs a recipient, a subject, a body or a server's answer.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common/time.hpp"
#include "notify/channel.hpp"
#include "seal/seal.hpp"
#include "storage/db.hpp"

namespace vikno::notify {

struct WorkerOptions {
  // The wait after attempt 1, 2, ...; after as many failed attempts as steps here, plus one, the
  // message is failed.
  std::vector<Millis> backoff = {30'000, 120'000, 600'000, 3'600'000, 21'600'000};
  int batch = 20;
  Millis lease_ms = 300'000;              // longer than any channel's timeout
  std::chrono::milliseconds poll{30'000}; // real time between rounds when nothing is due sooner
};

// What happened to one attempt (for tests and metrics; no personal data).
struct AttemptEvent {
  std::string message_id;
  ChannelKind channel = ChannelKind::sms;
  int n = 0;
  bool ok = false;
  Status status = Status::pending; // after this attempt
};

class Worker {
public:
  using Channels = std::map<ChannelKind, std::unique_ptr<Channel>>;

  Worker(storage::Db& db, const seal::Keyring& keys, Channels channels, Clock clock, WorkerOptions options = {});
  ~Worker(); // stops
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void start();
  // Finishes the message being sent, then returns; pending messages stay for the next start.
  void stop();
  void wake();

  // One round on the calling thread: claims and sends what is due now; returns the attempts made.
  int run_once();

  // Attempts recorded since construction, and a wait for the count to reach `n` (false on timeout).
  [[nodiscard]] std::uint64_t attempts() const;
  bool wait_for_attempts(std::uint64_t n, std::chrono::milliseconds timeout) const;
  // Called on the worker's thread after each recorded attempt.
  void on_attempt(std::function<void(const AttemptEvent&)> callback);

private:
  struct Claimed {
    std::string id;
    ChannelKind channel = ChannelKind::sms;
    std::int64_t attempts = 0; // before this one
    Outgoing outgoing;
    bool opened = false;
  };
  std::vector<Claimed> claim(Millis now);
  void record(const Claimed& claimed, const SendResult& result, Millis now);
  void loop();
  [[nodiscard]] std::chrono::milliseconds next_wait();

  storage::Db& db_;
  seal::Keyring keys_; // a copy shares the keys (cheap)
  Channels channels_;
  Clock clock_;
  WorkerOptions options_;
  std::function<void(const AttemptEvent&)> on_attempt_;

  mutable std::mutex mutex_;
  mutable std::condition_variable wake_cv_;
  mutable std::condition_variable attempts_cv_;
  bool woken_ = false;
  bool stopping_ = false;
  std::uint64_t attempts_ = 0;
  std::mutex round_; // one round at a time (the thread, or run_once from a test)
  std::thread thread_;
};

} // namespace vikno::notify
