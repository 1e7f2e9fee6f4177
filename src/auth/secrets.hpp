// Secrets: passwords (argon2id through libsodium) and random tokens. Tokens a person or device
// holds are 128 or 256 random bits in base32; the database keeps only their BLAKE2b hash, so a
// copy of the database does not let anyone sign in.
#pragma once

#include <atomic>
#include <cstddef>
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
// A caller that finds every slot taken is refused at once instead of waiting: a flood of sign-ins
// queued on the worker threads would still take the CPU and the threads from the queue's requests.
class HashSlots {
public:
  // A slot while it lives; empty (false) when every slot was taken.
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

  // `limit` < 1: half the cores, at least one.
  explicit HashSlots(int limit = 0);
  [[nodiscard]] Held try_take();
  [[nodiscard]] int limit() const { return limit_; }

private:
  int limit_;
  std::atomic<int> running_{0};
};

} // namespace vikno::auth
