#include "notify/worker.hpp"

#include <algorithm>
#include <exception>

#include "common/log.hpp"

namespace vikno::notify {

namespace {

// Due messages, oldest due first. The lease below is written in the same transaction.
constexpr std::string_view kDueSqlite =
    "SELECT id, channel, recipient_sealed, subject, body, attempts, created_at_ms FROM notify_messages "
    "WHERE status = 'pending' AND next_attempt_at_ms <= ? ORDER BY next_attempt_at_ms, id LIMIT ?";
constexpr std::string_view kDuePostgres =
    "SELECT id, channel, recipient_sealed, subject, body, attempts, created_at_ms FROM notify_messages "
    "WHERE status = 'pending' AND next_attempt_at_ms <= ? ORDER BY next_attempt_at_ms, id LIMIT ? "
    "FOR UPDATE SKIP LOCKED";
constexpr std::string_view kLease = "UPDATE notify_messages SET next_attempt_at_ms = ? WHERE id = ?";
// Only the claim that is still current records (a lease that ran out let another worker retry).
constexpr std::string_view kRecordMessage =
    "UPDATE notify_messages SET status = ?, attempts = ?, next_attempt_at_ms = ?, sent_at_ms = ? "
    "WHERE id = ? AND status = 'pending' AND attempts = ?";
constexpr std::string_view kRecordAttempt =
    "INSERT INTO notify_attempts (message_id, n, at_ms, ok, error) VALUES (?, ?, ?, ?, ?)";
constexpr std::string_view kNextDue = "SELECT MIN(next_attempt_at_ms) FROM notify_messages WHERE status = 'pending'";

// What a server answered may be any bytes; the database takes UTF-8 only. Invalid bytes become
// '?', and the text is cut at `max` bytes on a character boundary.
std::string clean_error(std::string_view text, std::size_t max = 300) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    std::size_t len = b < 0x80 ? 1 : (b >> 5U) == 0x6 ? 2 : (b >> 4U) == 0xE ? 3 : (b >> 3U) == 0x1E ? 4 : 0;
    bool ok = len > 0 && i + len <= text.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      ok = (static_cast<unsigned char>(text[i + k]) & 0xC0U) == 0x80U;
    }
    if (!ok) {
      len = 1;
    }
    if (out.size() + (ok ? len : 1) > max) {
      break;
    }
    if (ok && (len > 1 || b >= 0x20)) {
      out.append(text.substr(i, len));
    } else {
      out.push_back(b == '\t' ? ' ' : '?');
    }
    i += len;
  }
  return out;
}

} // namespace

Worker::Worker(storage::Db& db, const seal::Keyring& keys, Channels channels, Clock clock, WorkerOptions options)
    : db_(db), keys_(keys), channels_(std::move(channels)), clock_(std::move(clock)), options_(std::move(options)) {}

Worker::~Worker() { stop(); }

void Worker::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) {
    return;
  }
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void Worker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void Worker::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_cv_.notify_all();
}

void Worker::on_attempt(std::function<void(const AttemptEvent&)> callback) {
  std::lock_guard lock(round_);
  on_attempt_ = std::move(callback);
}

std::uint64_t Worker::attempts() const {
  std::lock_guard lock(mutex_);
  return attempts_;
}

bool Worker::wait_for_attempts(std::uint64_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return attempts_cv_.wait_for(lock, timeout, [&] { return attempts_ >= n; });
}

std::vector<Worker::Claimed> Worker::claim(Millis now) {
  return db_.transact([&](storage::Connection& c) {
    std::vector<Claimed> out;
    const auto sql = db_.dialect() == storage::Dialect::postgresql ? kDuePostgres : kDueSqlite;
    for (const auto& row : c.query(sql, {now, static_cast<std::int64_t>(options_.batch)})) {
      Claimed claimed;
      claimed.id = row.text(0);
      claimed.channel = channel_from(row.text(1)).value_or(ChannelKind::sms);
      claimed.attempts = row.int64(5);
      claimed.outgoing.id = claimed.id;
      claimed.outgoing.channel = claimed.channel;
      auto recipient = keys_.open(row.text(2));
      claimed.opened = recipient.has_value();
      if (recipient) {
        claimed.outgoing.recipient = std::move(*recipient);
      }
      claimed.outgoing.subject = row.text(3);
      claimed.outgoing.body = row.text(4);
      claimed.outgoing.created_at_ms = row.int64(6);
      c.execute(kLease, {now + options_.lease_ms, claimed.id});
      out.push_back(std::move(claimed));
    }
    return out;
  });
}

void Worker::record(const Claimed& claimed, const SendResult& result, Millis now) {
  const std::int64_t n = claimed.attempts + 1;
  Status status = Status::sent;
  storage::Value next = nullptr;
  storage::Value sent_at = nullptr;
  if (result.ok) {
    sent_at = now;
  } else if (n <= static_cast<std::int64_t>(options_.backoff.size())) {
    status = Status::pending;
    next = now + options_.backoff[static_cast<std::size_t>(n - 1)];
  } else {
    status = Status::failed;
  }
  const bool recorded = db_.transact([&](storage::Connection& c) {
    if (c.execute(kRecordMessage, {std::string(to_string(status)), n, next, sent_at, claimed.id, claimed.attempts}) !=
        1) {
      return false;
    }
    c.execute(kRecordAttempt, {claimed.id, n, now, std::int64_t{result.ok ? 1 : 0}, clean_error(result.error)});
    return true;
  });
  // The message id, channel and outcome only: never its recipient, text or the server's answer.
  if (!recorded) {
    log::warn("notify: an attempt finished after its lease ran out; not recorded",
              {{"message", claimed.id}, {"channel", to_string(claimed.channel)}});
    return;
  }
  if (!result.ok) {
    log::warn("notify: a message was not delivered", {{"message", claimed.id},
                                                      {"channel", to_string(claimed.channel)},
                                                      {"attempt", n},
                                                      {"status", to_string(status)}});
  }
  const AttemptEvent event{claimed.id, claimed.channel, static_cast<int>(n), result.ok, status};
  if (on_attempt_) {
    on_attempt_(event);
  }
  {
    std::lock_guard lock(mutex_);
    ++attempts_;
  }
  attempts_cv_.notify_all();
}

int Worker::run_once() {
  std::lock_guard round(round_);
  int made = 0;
  for (;;) {
    auto batch = claim(clock_());
    if (batch.empty()) {
      return made;
    }
    for (const auto& claimed : batch) {
      SendResult result;
      if (!claimed.opened) {
        result.error = "the recipient cannot be opened (its key is not in the key file)";
      } else if (auto it = channels_.find(claimed.channel); it == channels_.end() || !it->second) {
        result.error = std::string("the ") + to_string(claimed.channel) + " channel is not configured";
      } else {
        try {
          result = it->second->send(claimed.outgoing);
        } catch (const std::exception& e) {
          result = {false, std::string("sending failed: ") + e.what()};
        }
      }
      record(claimed, result, clock_());
      ++made;
    }
    if (static_cast<int>(batch.size()) < options_.batch) {
      return made;
    }
  }
}

std::chrono::milliseconds Worker::next_wait() {
  auto next = db_.read([](storage::Connection& c) { return c.query_one(kNextDue); });
  if (!next || next->is_null(0)) {
    return options_.poll;
  }
  const Millis in = next->int64(0) - clock_();
  return std::clamp(std::chrono::milliseconds(in), std::chrono::milliseconds(0), options_.poll);
}

void Worker::loop() {
  for (;;) {
    std::chrono::milliseconds wait = options_.poll;
    try {
      run_once();
      wait = next_wait();
    } catch (const std::exception& e) {
      // A lost database: the messages stay pending; try again after the poll interval.
      log::error("notify: a round of the outbox failed", {{"error", e.what()}});
    }
    std::unique_lock lock(mutex_);
    wake_cv_.wait_for(lock, wait, [&] { return woken_ || stopping_; });
    if (stopping_) {
      return;
    }
    woken_ = false;
  }
}

} // namespace vikno::notify
