// Small libsodium helpers shared by the audit files (not part of the module's interface).
#pragma once

#include <sodium.h>

#include <array>
#include <cstddef>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vikno::audit {

inline void ensure_sodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) {
      throw std::runtime_error("libsodium failed to initialize");
    }
  });
}

template <std::size_t N> std::string to_hex(const std::array<unsigned char, N>& bytes) {
  std::array<char, N * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  return std::string(hex.data(), N * 2);
}

// Exactly N bytes as 2N hex digits (either case), nothing else.
template <std::size_t N> bool from_hex(std::string_view hex, std::array<unsigned char, N>& out) {
  std::size_t decoded = 0;
  return hex.size() == N * 2 &&
         sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &decoded, nullptr) == 0 &&
         decoded == N;
}

} // namespace vikno::audit
