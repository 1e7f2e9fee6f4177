// storage::Db: the one interface every module uses to reach the database.
//
// Two drivers implement it: SQLite (embedded, one writer connection and a pool of readers, WAL)
// and PostgreSQL (libpq, a pool of connections, reconnect). SQL is written once, in a portable
// dialect with `?` placeholders; the PostgreSQL driver rewrites them to $1..$n. Inserts that need
// the new id use `INSERT ... RETURNING id` (both databases support it).
//
// Calls block: run them on the worker pool, never on the network threads (http::Server does).
// A lost database is an exception (vikno::Unavailable, common/error.hpp), which the HTTP layer
// answers with 503; everything else a statement can get wrong is a bug and throws storage::DbError.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "common/error.hpp"
#include "storage/group_commit.hpp"

namespace vikno::storage {

enum class Dialect { sqlite, postgresql };

// A parameter or a column value. Booleans are stored as 0/1 integers in both dialects;
// times as int64 UTC milliseconds; money as int64 kopiykas.
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

// Thrown for any other failure of a statement (syntax, constraint). A bug or a race; -> HTTP 500,
// except UniqueViolation, which callers may catch to report a conflict.
class DbError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};
class UniqueViolation : public DbError {
public:
  using DbError::DbError;
};

// One row of a result, materialized. Column access by index; typed getters throw DbError on a
// NULL or a value of another type (a bug in the query), the opt_ getters return nullopt for NULL.
class Row {
public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  [[nodiscard]] std::size_t size() const { return values_.size(); }
  [[nodiscard]] bool is_null(std::size_t i) const;
  [[nodiscard]] std::int64_t int64(std::size_t i) const;
  [[nodiscard]] double real(std::size_t i) const; // accepts integer columns too
  [[nodiscard]] std::string text(std::size_t i) const;
  [[nodiscard]] std::optional<std::int64_t> opt_int64(std::size_t i) const;
  [[nodiscard]] std::optional<std::string> opt_text(std::size_t i) const;
  [[nodiscard]] const Value& value(std::size_t i) const;

private:
  std::vector<Value> values_;
};

using Rows = std::vector<Row>;

// A connection checked out for one unit of work (a read, or a transaction).
class Connection {
public:
  virtual ~Connection() = default;
  // Runs one statement and returns its rows (empty for statements without a result).
  virtual Rows query(std::string_view sql, std::span<const Value> params = {}) = 0;
  // Runs one statement and returns the number of rows it changed.
  virtual std::int64_t execute(std::string_view sql, std::span<const Value> params = {}) = 0;
  // Runs a script of several statements without parameters (migrations).
  virtual void execute_script(std::string_view sql) = 0;

  // Convenience: the first row, or nullopt.
  std::optional<Row> query_one(std::string_view sql, std::span<const Value> params = {}) {
    Rows rows = query(sql, params);
    if (rows.empty()) {
      return std::nullopt;
    }
    return std::move(rows.front());
  }
  Rows query(std::string_view sql, std::initializer_list<Value> params) {
    return query(sql, std::span<const Value>(params.begin(), params.size()));
  }
  std::optional<Row> query_one(std::string_view sql, std::initializer_list<Value> params) {
    return query_one(sql, std::span<const Value>(params.begin(), params.size()));
  }
  std::int64_t execute(std::string_view sql, std::initializer_list<Value> params) {
    return execute(sql, std::span<const Value>(params.begin(), params.size()));
  }
};

using WriteIntent = GroupCommit::Intent;
using PendingCommit = GroupCommit::Pending;

struct PoolStats {
  int size = 0;    // connections open
  int in_use = 0;  // connections checked out now
  int waiting = 0; // callers waiting for a connection
};

class Db {
public:
  virtual ~Db() = default;
  [[nodiscard]] virtual Dialect dialect() const = 0;

  // Runs fn(Connection&) on a reader connection (SQLite: one of the pooled readers, so a slow
  // write does not block reads; PostgreSQL: a pooled connection). No transaction is opened.
  template <class F> auto read(F&& fn) -> std::invoke_result_t<F, Connection&> {
    using R = std::invoke_result_t<F, Connection&>;
    if constexpr (std::is_void_v<R>) {
      with_reader([&](Connection& c) { fn(c); });
    } else {
      std::optional<R> out;
      with_reader([&](Connection& c) { out.emplace(fn(c)); });
      return std::move(*out);
    }
  }

  // Runs fn(Connection&) inside one transaction on the writer (SQLite: the single writer
  // connection, BEGIN IMMEDIATE; PostgreSQL: a pooled connection, BEGIN). Commits when fn returns,
  // unless it returns a Result holding an error; rolls back on that or on an exception.
  template <class F> auto transact(F&& fn) -> std::invoke_result_t<F, Connection&> {
    using R = std::invoke_result_t<F, Connection&>;
    if constexpr (std::is_void_v<R>) {
      with_transaction([&](Connection& c) {
        fn(c);
        return true;
      });
    } else {
      std::optional<R> out;
      with_transaction([&](Connection& c) {
        out.emplace(fn(c));
        if constexpr (IsResult<R>::value) {
          return out->has_value();
        } else {
          return true;
        }
      });
      return std::move(*out);
    }
  }

  // Group commit (group_commit.hpp): announce a write before taking your own locks, run it with
  // write(), release your locks, then wait() on the PendingCommit before answering anyone.
  // fn(Connection&, AfterCommit&) runs in a savepoint of a transaction shared with other writes;
  // a Result holding an error (or an exception) undoes only fn's statements. SQLite runs every
  // transact() this way too; PostgreSQL keeps transact() on its pool and groups write() on one
  // connection.
  [[nodiscard]] WriteIntent intend_write() { return group().intend(); }
  [[nodiscard]] GroupCommit::Stats group_stats() { return group().stats(); }
  template <class F> auto write(WriteIntent& intent, F&& fn) {
    using R = std::invoke_result_t<F, Connection&, AfterCommit&>;
    std::optional<R> out;
    PendingCommit pending = group().write(intent, [&](Connection& c, AfterCommit& after) {
      out.emplace(fn(c, after));
      if constexpr (IsResult<R>::value) {
        return out->has_value();
      } else {
        return true;
      }
    });
    return std::pair<R, PendingCommit>{std::move(*out), std::move(pending)};
  }

  // A write handed to the group commit's writer thread, to run after the writes queued before it
  // and be committed (GroupCommit::submit): after's actions tell how it ended.
  void submit(WriteIntent& intent, std::function<void(Connection&)> work, AfterCommit after) {
    group().submit(intent, std::move(work), std::move(after));
  }

  // True while writes fail for want of the database (a full disk, a lost connection): set by a
  // failed group commit, cleared by the next successful one (GroupCommit::writes_failing). /readyz.
  [[nodiscard]] bool writes_failing() { return group().writes_failing(); }
  // False while writes fail. When the last failure is older than kWriteProbeAfter, first tries
  // one small write (a row rewritten as it is), so that a freed disk is noticed even when nobody
  // else writes. (Only then: a full disk may still take a write that small, and /readyz must not
  // call a disk that refuses every real write "ready" a moment after it refused one.) Never throws.
  bool writes_work() noexcept;
  static constexpr std::chrono::seconds kWriteProbeAfter{30};

  // True when a trivial statement succeeds now (for /readyz). Never throws.
  virtual bool ping() noexcept = 0;
  virtual PoolStats stats() const = 0;
  // Closes every connection; further calls throw Unavailable. Called at shutdown.
  virtual void close() = 0;

protected:
  virtual void with_reader(const std::function<void(Connection&)>& fn) = 0;
  // fn returns true to commit, false to roll back.
  virtual void with_transaction(const std::function<bool(Connection&)>& fn) = 0;
  virtual GroupCommit& group() = 0;
};

struct SqliteOptions {
  std::string path;                 // file path; ":memory:" is not supported (readers need a file)
  std::string synchronous = "FULL"; // FULL (default: power cuts are real) or NORMAL
  int readers = 4;
  int busy_timeout_ms = 5000;
};

struct PostgresOptions {
  std::string conninfo; // a libpq connection string or postgresql:// URI
  int pool_size = 8;
  int connect_timeout_s = 3;
  int acquire_timeout_ms = 5000; // how long a caller waits for a free pooled connection -> Unavailable
};

// Opens a database from a URL: "sqlite:PATH" or "postgresql://..." / "postgres://...".
// Throws Unavailable when it cannot connect, std::invalid_argument on a malformed URL.
std::unique_ptr<Db> open(std::string_view url, const std::string& sqlite_synchronous = "FULL");
std::unique_ptr<Db> open_sqlite(const SqliteOptions& options);
std::unique_ptr<Db> open_postgres(const PostgresOptions& options);

} // namespace vikno::storage
