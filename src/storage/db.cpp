// Row accessors and the URL front door; the drivers live in sqlite_db.cpp and postgres_db.cpp.
#include "storage/db.hpp"

#include <cmath>
#include <limits>
#include <string>

namespace vikno::storage {

namespace {

const char* type_name(const Value& v) {
  switch (v.index()) {
  case 0:
    return "NULL";
  case 1:
    return "integer";
  case 2:
    return "real";
  default:
    return "text";
  }
}

[[noreturn]] void wrong_type(std::size_t i, const Value& v, const char* wanted) {
  throw DbError("column " + std::to_string(i) + " is " + type_name(v) + ", expected " + wanted);
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

} // namespace

const Value& Row::value(std::size_t i) const {
  if (i >= values_.size()) {
    throw DbError("column " + std::to_string(i) + " out of range (row has " + std::to_string(values_.size()) + ")");
  }
  return values_[i];
}

bool Row::is_null(std::size_t i) const { return std::holds_alternative<std::nullptr_t>(value(i)); }

std::int64_t Row::int64(std::size_t i) const {
  const Value& v = value(i);
  if (const auto* n = std::get_if<std::int64_t>(&v)) {
    return *n;
  }
  // PostgreSQL answers SUM(bigint) and similar aggregates as numeric, which the driver reads as
  // double; SQLite answers an integer. Accepting an integral double keeps such queries portable.
  if (const auto* d = std::get_if<double>(&v)) {
    constexpr double kLimit = 9223372036854775808.0; // 2^63
    if (std::isfinite(*d) && std::trunc(*d) == *d && *d >= -kLimit && *d < kLimit) {
      return static_cast<std::int64_t>(*d);
    }
  }
  wrong_type(i, v, "integer");
}

double Row::real(std::size_t i) const {
  const Value& v = value(i);
  if (const auto* d = std::get_if<double>(&v)) {
    return *d;
  }
  if (const auto* n = std::get_if<std::int64_t>(&v)) {
    return static_cast<double>(*n);
  }
  wrong_type(i, v, "real");
}

std::string Row::text(std::size_t i) const {
  const Value& v = value(i);
  if (const auto* s = std::get_if<std::string>(&v)) {
    return *s;
  }
  wrong_type(i, v, "text");
}

std::optional<std::int64_t> Row::opt_int64(std::size_t i) const {
  if (is_null(i)) {
    return std::nullopt;
  }
  return int64(i);
}

std::optional<std::string> Row::opt_text(std::size_t i) const {
  if (is_null(i)) {
    return std::nullopt;
  }
  return text(i);
}

bool Db::writes_work() noexcept {
  if (!writes_failing()) {
    return true;
  }
  if (std::chrono::steady_clock::now() - group().last_write_failure() < kWriteProbeAfter) {
    return false;
  }
  try {
    // A real change on disk (both databases write a row updated to the same value), in no table
    // anyone reads for its timestamps' sake.
    // Through the group commit, whose outcome is what writes_failing() tracks.
    WriteIntent intent = intend_write();
    auto written = write(intent, [](Connection& c, AfterCommit&) {
      c.execute("UPDATE schema_migrations SET applied_at_ms = applied_at_ms "
                "WHERE version = (SELECT MAX(version) FROM schema_migrations)");
      return true;
    });
    written.second.wait();
  } catch (...) { // NOLINT(bugprone-empty-catch): still failing, which writes_failing() says
  }
  return !writes_failing();
}

std::unique_ptr<Db> open(std::string_view url, const std::string& sqlite_synchronous) {
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
    PostgresOptions options;
    options.conninfo = std::string(url);
    return open_postgres(options);
  }
  if (starts_with(url, "sqlite:")) {
    std::string_view path = url.substr(7);
    // Accept the URL-looking spelling too: sqlite:///var/vikno.db and sqlite://rel.db.
    if (starts_with(path, "//")) {
      path.remove_prefix(2);
    }
    if (path.empty()) {
      throw std::invalid_argument("sqlite URL without a file path: " + std::string(url));
    }
    SqliteOptions options;
    options.path = std::string(path);
    options.synchronous = sqlite_synchronous;
    return open_sqlite(options);
  }
  throw std::invalid_argument("unsupported database URL (expected sqlite:PATH or postgresql://...): " +
                              std::string(url));
}

} // namespace vikno::storage
