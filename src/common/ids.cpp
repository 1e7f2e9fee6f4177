#include "common/ids.hpp"

#include <array>
#include <cstdint>

namespace vikno {

std::string uuid_v7(Millis now, std::span<const unsigned char, 10> random) {
  std::array<unsigned char, 16> b{};
  const auto ms = static_cast<std::uint64_t>(now);
  for (int i = 0; i < 6; ++i) {
    b[static_cast<std::size_t>(i)] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
  }
  for (std::size_t i = 0; i < 10; ++i) {
    b[6 + i] = random[i];
  }
  b[6] = static_cast<unsigned char>(0x70 | (b[6] & 0x0F)); // version 7
  b[8] = static_cast<unsigned char>(0x80 | (b[8] & 0x3F)); // variant 10
  constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      out += '-';
    }
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 0x0F];
  }
  return out;
}

} // namespace vikno
