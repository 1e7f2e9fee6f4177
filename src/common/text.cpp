#include "common/text.hpp"

#include <cstdint>

namespace vikno::text {

namespace {

// The next code point of `s` at `i` (advancing i), or nullopt for bytes that are not UTF-8
// (overlong forms and surrogates included).
std::optional<std::uint32_t> next(std::string_view s, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b = byte(i);
  std::size_t len = 0;
  std::uint32_t cp = 0;
  std::uint32_t min = 0;
  if (b < 0x80) {
    ++i;
    return b;
  }
  if ((b & 0xE0) == 0xC0) {
    len = 2, cp = b & 0x1F, min = 0x80;
  } else if ((b & 0xF0) == 0xE0) {
    len = 3, cp = b & 0x0F, min = 0x800;
  } else if ((b & 0xF8) == 0xF0) {
    len = 4, cp = b & 0x07, min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (i + len > s.size()) {
    return std::nullopt;
  }
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      return std::nullopt;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return std::nullopt;
  }
  i += len;
  return cp;
}

} // namespace

std::optional<std::string> problem(std::string_view value, Kind kind) {
  for (std::size_t i = 0; i < value.size();) {
    auto cp = next(value, i);
    if (!cp) {
      return "is not valid UTF-8 text";
    }
    const std::uint32_t c = *cp;
    if (c == 0) {
      return "must not contain a NUL character";
    }
    if (kind == Kind::paragraphs && (c == '\n' || c == '\r' || c == '\t')) {
      continue;
    }
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
      return kind == Kind::line ? "must not contain control characters (a line break or tab included)"
                                : "must not contain control characters";
    }
    if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) {
      return "must not contain bidirectional override characters (U+202A-U+202E, U+2066-U+2069)";
    }
  }
  return std::nullopt;
}

std::string_view trim_blanks(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
    value.remove_prefix(1);
  }
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) {
    value.remove_suffix(1);
  }
  return value;
}

} // namespace vikno::text
