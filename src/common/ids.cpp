#include "common/ids.hpp"

#include <array>
#include <cstdint>

namespace vikno {

std::string uuid_v7(Millis now, std::span<const unsigned char, 10> random) {
  const auto ms = static_cast<std::uint64_t>(now < 0 ? 0 : now) & 0xFFFFFFFFFFFFULL;
  std::array<unsigned char, 16> b{};
  for (int i = 0; i < 6; ++i) {
    b[static_cast<std::size_t>(i)] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
  }
  b[6] = static_cast<unsigned char>(0x70U | (random[0] & 0x0FU)); // version 7
  b[7] = random[1];
  b[8] = static_cast<unsigned char>(0x80U | (random[2] & 0x3FU)); // variant 10
  for (std::size_t i = 9; i < 16; ++i) {
    b[i] = random[i - 6];
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      out.push_back('-');
    }
    out.push_back(kHex[b[i] >> 4U]);
    out.push_back(kHex[b[i] & 0x0FU]);
  }
  return out;
}

} // namespace vikno
