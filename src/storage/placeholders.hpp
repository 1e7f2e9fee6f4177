// Placeholder rewriting for the PostgreSQL driver: the portable dialect writes `?`, libpq wants
// `$1..$n`. Kept apart from the driver so it can be tested without a server.
#pragma once

#include <string>
#include <string_view>

namespace vikno::storage::detail {

struct RewrittenSql {
  std::string sql;
  int placeholders = 0;
};

// Replaces each `?` outside string literals ('...', E'...', $tag$...$tag$), quoted identifiers
// ("...") and comments (-- and /* */) with $1, $2, ... in order. A `?` meant as a PostgreSQL
// operator (jsonb `?`) cannot be written in the portable dialect; use jsonb_exists() instead.
RewrittenSql rewrite_placeholders(std::string_view sql);

} // namespace vikno::storage::detail
