#include "registry/search.hpp"

#include <array>

namespace vikno::registry {

namespace {

// Decodes UTF-8 leniently: a malformed sequence yields nothing for its first byte.
std::u32string decode(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) {
      ++i;
      continue;
    }
    char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    bool ok = true;
    for (int k = 1; k < len; ++k) {
      auto c = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((c & 0xC0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (c & 0x3F);
    }
    if (!ok) {
      ++i;
      continue;
    }
    out.push_back(cp);
    i += static_cast<std::size_t>(len);
  }
  return out;
}

void encode(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool is_apostrophe(char32_t cp) {
  return cp == U'\'' || cp == U'`' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC || cp == 0x02B9 || cp == 0x2032 ||
         cp == 0x00B4;
}

// Lower-cases one code point; 0 for a character that separates words.
char32_t fold(char32_t cp) {
  if (cp >= U'A' && cp <= U'Z') {
    return cp + 0x20;
  }
  if ((cp >= U'a' && cp <= U'z') || (cp >= U'0' && cp <= U'9')) {
    return cp;
  }
  if (cp >= 0x0410 && cp <= 0x042F) { // А..Я
    return cp + 0x20;
  }
  if (cp >= 0x0400 && cp <= 0x040F) { // Ѐ..Џ, including Є І Ї
    return cp + 0x50;
  }
  if (cp >= 0x0430 && cp <= 0x045F) {
    return cp;
  }
  if (cp == 0x0490 || cp == 0x0491) { // Ґ ґ
    return 0x0491;
  }
  return 0;
}

// Longest first, so "ами" is tried before "и".
constexpr std::array<std::u32string_view, 30> kEndings = {
    U"ями", U"ами", U"ого", U"ому", U"ими", U"ій", U"их", U"іх", U"ів", U"ою", U"ею", U"ам", U"ям", U"ах", U"ях",
    U"ом",  U"ем",  U"ий",  U"ої",  U"ії",  U"а",  U"я",  U"у",  U"ю",  U"і",  U"и",  U"е",  U"о",  U"ь",  U"ї"};

} // namespace

std::string normalize_search_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (char32_t cp : decode(text)) {
    if (is_apostrophe(cp)) {
      continue; // inside a word: "сім'я" stays one word
    }
    char32_t f = fold(cp);
    if (f == 0) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    encode(f, out);
  }
  return out;
}

std::vector<std::string> search_words(std::string_view query, std::size_t max_words) {
  std::vector<std::string> out;
  std::u32string all = decode(normalize_search_text(query));
  std::size_t start = 0;
  while (start < all.size() && out.size() < max_words) {
    std::size_t end = all.find(U' ', start);
    if (end == std::u32string::npos) {
      end = all.size();
    }
    std::u32string word = all.substr(start, end - start);
    start = end + 1;
    if (word.size() < 2) {
      continue;
    }
    for (auto ending : kEndings) {
      if (word.size() >= ending.size() + 4 && word.ends_with(ending)) {
        word.resize(word.size() - ending.size());
        break;
      }
    }
    std::string utf8;
    for (char32_t cp : word) {
      encode(cp, utf8);
    }
    out.push_back(std::move(utf8));
  }
  return out;
}

} // namespace vikno::registry
