// Text normalization for the citizen catalog search (пошук послуг). SQLite's lower() and LIKE fold
// ASCII only, so "Паспорт" would not match "паспорт"; instead every service version stores a
// normalized search text computed here, and a query is normalized the same way. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vikno::registry {

// Lower-case (Latin and Cyrillic, including і ї є ґ), apostrophes of every kind removed ("сім'ї",
// "сім’ї" and "сімʼї" all become "сімї"), everything that is not a letter or digit turned into
// one space; trimmed. Invalid UTF-8 bytes are dropped.
std::string normalize_search_text(std::string_view text);

// The words of a query as matched against normalized text: normalized, at most `max_words`, each
// shortened by a common Ukrainian inflection ending when at least four letters remain, so
// "паспорти" and "паспорта" both become "паспорт" and match as substrings.
std::vector<std::string> search_words(std::string_view query, std::size_t max_words = 8);

} // namespace vikno::registry
