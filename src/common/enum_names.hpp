// EnumNames: one table per enum with its names in declaration order, so to_string and the parse
// back from text cannot drift apart. Used for every enum that crosses JSON or SQL.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace vikno {

template <class E, std::size_t N> struct EnumNames {
  std::array<std::string_view, N> names;
  [[nodiscard]] constexpr std::string_view of(E v) const { return names.at(static_cast<std::size_t>(v)); }
  [[nodiscard]] constexpr std::optional<E> from(std::string_view s) const {
    for (std::size_t i = 0; i < N; ++i) {
      if (names[i] == s) {
        return static_cast<E>(i);
      }
    }
    return std::nullopt;
  }
};

} // namespace vikno
