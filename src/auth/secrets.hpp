// Secrets: passwords (argon2id through libsodium) and random tokens. Tokens a person or device
// holds are 128 or 256 random bits in base32; the database keeps only their BLAKE2b hash, so a
// copy of the database does not let anyone sign in.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace vikno::auth {

// Throws std::runtime_error when libsodium cannot start (no entropy source).
void init_crypto();

std::string hash_password(std::string_view password);
bool verify_password(std::string_view password, const std::string& stored_hash);

// `bytes` random bytes in lower-case base32 without padding (16 bytes -> 26 characters).
std::string random_token(std::size_t bytes = 16);
// Hex BLAKE2b-256 of a token: what the database stores and looks up.
std::string token_hash(std::string_view token);

// A password a person can type once from the console: 16 characters of base32.
std::string random_password();

// HashSlots: how many password hashes (argon2id: ~0.1 s of a core and 64 MiB each) may run at once.
// A few callers may wait a moment for a slot (staff signing in together at opening time); beyond
// those the caller is refused at once instead of queueing: a flood of sign-ins queued on the worker
// threads would still take the CPU and the threads from the queue's requests.
class HashSlots {
public:
  // A slot while it lives; empty (false) when none was free in time.
  class Held {
  public:
    Held() = default;
    explicit Held(HashSlots* slots) : slots_(slots) {}
    Held(Held&& other) noexcept : slots_(std::exchange(other.slots_, nullptr)) {}
    Held& operator=(Held&& other) noexcept;
    Held(const Held&) = delete;
    Held& operator=(const Held&) = delete;
    ~Held();
    explicit operator bool() const { return slots_ != nullptr; }

  private:
    HashSlots* slots_ = nullptr;
  };

  // `limit` < 1: half the cores, at least one. At most `max_waiting` callers wait, each at most
  // `max_wait`, for a slot to free.
  explicit HashSlots(int limit = 0, int max_waiting = 4,
                     std::chrono::milliseconds max_wait = std::chrono::milliseconds(1000));
  [[nodiscard]] Held take();
  [[nodiscard]] int limit() const { return limit_; }
  [[nodiscard]] int waiting() const;

private:
  void release();

  int limit_;
  int max_waiting_;
  std::chrono::milliseconds max_wait_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  int running_ = 0;
  int waiting_ = 0;
};

} // namespace vikno::auth
