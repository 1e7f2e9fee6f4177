#include "auth/secrets.hpp"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>
#include <thread>
#include <vector>

namespace vikno::auth {

void init_crypto() {
  if (sodium_init() < 0) {
    throw std::runtime_error("libsodium failed to initialize");
  }
}

std::string hash_password(std::string_view password) {
  std::string out(crypto_pwhash_STRBYTES, '\0');
  if (crypto_pwhash_str(out.data(), password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

bool verify_password(std::string_view password, const std::string& stored_hash) {
  return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

namespace {
std::string base32(const unsigned char* data, std::size_t size) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < size; ++i) {
    buffer = (buffer << 8U) | data[i];
    bits += 8;
    while (bits >= 5) {
      out += kAlphabet[(buffer >> static_cast<unsigned>(bits - 5)) & 31U];
      bits -= 5;
    }
  }
  if (bits > 0) {
    out += kAlphabet[(buffer << static_cast<unsigned>(5 - bits)) & 31U];
  }
  return out;
}
} // namespace

std::string random_token(std::size_t bytes) {
  if (bytes == 0) {
    return {}; // randombytes_buf must not get the null data() of an empty vector
  }
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  return base32(buf.data(), buf.size());
}

std::string token_hash(std::string_view token) {
  unsigned char hash[32];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr, 0);
  char hex[sizeof hash * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return {hex, sizeof hash * 2};
}

std::string random_password() { return random_token(10); }

HashSlots::HashSlots(int limit, int max_waiting, std::chrono::milliseconds max_wait)
    : limit_(limit >= 1 ? limit : std::max(1, static_cast<int>(std::thread::hardware_concurrency() / 2))),
      max_waiting_(std::max(0, max_waiting)), max_wait_(max_wait) {}

HashSlots::Held HashSlots::take() {
  std::unique_lock lock(mutex_);
  if (running_ >= limit_) {
    if (waiting_ >= max_waiting_) {
      return {};
    }
    ++waiting_;
    bool freed = freed_.wait_for(lock, max_wait_, [this] { return running_ < limit_; });
    --waiting_;
    if (!freed) {
      return {};
    }
  }
  ++running_;
  return Held(this);
}

int HashSlots::waiting() const {
  std::lock_guard lock(mutex_);
  return waiting_;
}

void HashSlots::release() {
  {
    std::lock_guard lock(mutex_);
    --running_;
  }
  freed_.notify_one();
}

HashSlots::Held& HashSlots::Held::operator=(Held&& other) noexcept {
  if (this != &other) {
    if (slots_ != nullptr) {
      slots_->release();
    }
    slots_ = std::exchange(other.slots_, nullptr);
  }
  return *this;
}

HashSlots::Held::~Held() {
  if (slots_ != nullptr) {
    slots_->release();
  }
}

} // namespace vikno::auth
