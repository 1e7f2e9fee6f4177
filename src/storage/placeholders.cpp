#include "storage/placeholders.hpp"

#include <cctype>

namespace vikno::storage::detail {

namespace {

bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$'; }

// Length of a dollar-quote tag ($$ or $tag$) starting at sql[i], or 0 when there is none.
std::size_t dollar_tag_length(std::string_view sql, std::size_t i) {
  if (i > 0 && is_ident_char(sql[i - 1])) {
    return 0; // part of an identifier such as a$b, or a parameter like $1
  }
  std::size_t j = i + 1;
  while (j < sql.size() && (std::isalpha(static_cast<unsigned char>(sql[j])) != 0 || sql[j] == '_' ||
                            (j > i + 1 && std::isdigit(static_cast<unsigned char>(sql[j])) != 0))) {
    ++j;
  }
  if (j < sql.size() && sql[j] == '$') {
    return j - i + 1;
  }
  return 0;
}

} // namespace

RewrittenSql rewrite_placeholders(std::string_view sql) {
  RewrittenSql out;
  out.sql.reserve(sql.size() + 16);
  std::size_t i = 0;
  const std::size_t n = sql.size();
  auto copy_until = [&](std::size_t end) {
    out.sql.append(sql.substr(i, end - i));
    i = end;
  };
  while (i < n) {
    const char c = sql[i];
    if (c == '?') {
      out.sql += '$';
      out.sql += std::to_string(++out.placeholders);
      ++i;
    } else if (c == '\'') {
      // E'...' strings allow backslash escapes; standard strings only double the quote.
      const bool escapes = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !is_ident_char(sql[i - 2]));
      std::size_t j = i + 1;
      while (j < n) {
        if (escapes && sql[j] == '\\') {
          j += 2;
        } else if (sql[j] == '\'') {
          if (j + 1 < n && sql[j + 1] == '\'') {
            j += 2;
          } else {
            break;
          }
        } else {
          ++j;
        }
      }
      copy_until(j < n ? j + 1 : n);
    } else if (c == '"') {
      std::size_t j = i + 1;
      while (j < n && sql[j] != '"') {
        ++j;
      }
      copy_until(j < n ? j + 1 : n);
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      std::size_t j = sql.find('\n', i);
      copy_until(j == std::string_view::npos ? n : j);
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      // PostgreSQL block comments nest.
      int depth = 0;
      std::size_t j = i;
      while (j < n) {
        if (sql[j] == '/' && j + 1 < n && sql[j + 1] == '*') {
          ++depth;
          j += 2;
        } else if (sql[j] == '*' && j + 1 < n && sql[j + 1] == '/') {
          j += 2;
          if (--depth == 0) {
            break;
          }
        } else {
          ++j;
        }
      }
      copy_until(j);
    } else if (c == '$') {
      const std::size_t tag = dollar_tag_length(sql, i);
      if (tag == 0) {
        out.sql += c;
        ++i;
        continue;
      }
      const std::string_view delimiter = sql.substr(i, tag);
      const std::size_t close = sql.find(delimiter, i + tag);
      copy_until(close == std::string_view::npos ? n : close + tag);
    } else {
      out.sql += c;
      ++i;
    }
  }
  return out;
}

} // namespace vikno::storage::detail
