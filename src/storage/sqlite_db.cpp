// The SQLite driver: one writer connection behind a mutex and a pool of reader connections.
//
// WAL lets readers see the last committed state while the writer holds its transaction, so reads
// (display boards, queue views) never wait for a writer's fsync. Writes are serialized by the
// writer mutex inside the process and by BEGIN IMMEDIATE against other processes (vikno migrate,
// a backup), where busy_timeout makes them wait instead of failing at once.
#include "storage/db.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace vikno::storage {

namespace {

constexpr std::size_t kStatementCacheLimit = 256;

std::string excerpt(std::string_view sql) {
  constexpr std::size_t kMax = 200;
  if (sql.size() <= kMax) {
    return std::string(sql);
  }
  return std::string(sql.substr(0, kMax)) + "...";
}

[[noreturn]] void throw_sqlite(sqlite3* db, int rc, std::string_view sql) {
  const int extended = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  std::string message = "sqlite: ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (!sql.empty()) {
    message += " (in: " + excerpt(sql) + ")";
  }
  if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY) {
    throw UniqueViolation(message);
  }
  // SQLite says SQLITE_FULL when a write meets ENOSPC; an I/O error with errno ENOSPC is the same.
  if ((rc & 0xff) == SQLITE_FULL ||
      ((rc & 0xff) == SQLITE_IOERR && db != nullptr && sqlite3_system_errno(db) == ENOSPC)) {
    throw Unavailable(message, Unavailable::Reason::disk_full);
  }
  switch (rc & 0xff) {
  // The file is gone, full, locked by someone else for too long or damaged: the database is not
  // usable right now, which callers answer with 503, not a bug report.
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
  case SQLITE_IOERR:
  case SQLITE_FULL:
  case SQLITE_CANTOPEN:
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB:
  case SQLITE_NOMEM:
    throw Unavailable(message);
  default:
    throw DbError(message);
  }
}

bool only_blank_or_semicolons(const char* tail) {
  for (; tail != nullptr && *tail != '\0'; ++tail) {
    const char c = *tail;
    if (c != ';' && c != ' ' && c != '\n' && c != '\r' && c != '\t') {
      return false;
    }
  }
  return true;
}

class SqliteConnection final : public Connection {
public:
  SqliteConnection(const std::string& path, int flags, int busy_timeout_ms) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string message =
          "cannot open SQLite database " + path + ": " + (db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
      sqlite3_close_v2(db_);
      db_ = nullptr;
      throw Unavailable(message);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, busy_timeout_ms);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) {
      sqlite3_finalize(stmt);
    }
    sqlite3_close_v2(db_);
  }

  Rows query(std::string_view sql, std::span<const Value> params) override {
    Rows rows;
    run(sql, params, &rows);
    return rows;
  }

  std::int64_t execute(std::string_view sql, std::span<const Value> params) override {
    run(sql, params, nullptr);
    return sqlite3_changes64(db_);
  }

  void execute_script(std::string_view sql) override {
    check_transaction_usable();
    const std::string text(sql);
    char* error = nullptr;
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      sqlite3_free(error);
      note_failure();
      throw_sqlite(db_, rc, sql);
    }
  }

  // Runs a statement that is not expected to fail (BEGIN, COMMIT, PRAGMA); throws if it does.
  void exec_plain(const char* sql) {
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
      throw_sqlite(db_, rc, sql);
    }
  }

  [[nodiscard]] bool in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }
  // Rows inserted, updated or deleted on this connection since it opened.
  [[nodiscard]] std::int64_t total_changes() const { return sqlite3_total_changes64(db_); }

  // Transaction bookkeeping: after a failed statement the whole transaction is lost, as on
  // PostgreSQL, so code that catches an error inside transact() behaves the same on both.
  void begin_tracking() { tracking_ = true, failed_ = false; }
  void end_tracking() { tracking_ = false, failed_ = false; }
  [[nodiscard]] bool failed() const { return failed_; }

private:
  void check_transaction_usable() const {
    if (tracking_ && failed_) {
      throw DbError("an earlier statement of this transaction failed; the transaction will be rolled back");
    }
  }
  void note_failure() {
    if (tracking_) {
      failed_ = true;
    }
  }

  sqlite3_stmt* prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) {
      return it->second;
    }
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    const int rc =
        sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) {
      throw_sqlite(db_, rc, sql);
    }
    if (stmt == nullptr) {
      throw DbError("empty SQL statement");
    }
    if (!only_blank_or_semicolons(tail)) {
      sqlite3_finalize(stmt);
      throw DbError("query/execute take one statement; use execute_script for several (in: " + excerpt(sql) + ")");
    }
    if (cache_.size() >= kStatementCacheLimit) {
      // Queries are named constants, so the set is small; this only guards against a caller
      // that builds SQL text dynamically.
      for (auto& [cached_sql, cached] : cache_) {
        sqlite3_finalize(cached);
      }
      cache_.clear();
    }
    cache_.emplace(std::move(key), stmt);
    return stmt;
  }

  void bind(sqlite3_stmt* stmt, std::span<const Value> params, std::string_view sql) {
    const int expected = sqlite3_bind_parameter_count(stmt);
    if (expected != static_cast<int>(params.size())) {
      throw DbError("statement has " + std::to_string(expected) + " placeholders but " + std::to_string(params.size()) +
                    " parameters were given (in: " + excerpt(sql) + ")");
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      const Value& v = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::nullptr_t>(v)) {
        rc = sqlite3_bind_null(stmt, index);
      } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, index, *n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, index, *d);
      } else {
        const auto& s = std::get<std::string>(v);
        // SQLITE_STATIC: params outlive the statement's use; the guard resets it before return.
        rc = sqlite3_bind_text64(stmt, index, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) {
        throw_sqlite(db_, rc, sql);
      }
    }
  }

  static Value column(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return static_cast<std::int64_t>(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, i);
    case SQLITE_NULL:
      return nullptr;
    default: { // TEXT and BLOB
      const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt, i));
      const int size = sqlite3_column_bytes(stmt, i);
      return std::string(data == nullptr ? "" : data, static_cast<std::size_t>(size));
    }
    }
  }

  void run(std::string_view sql, std::span<const Value> params, Rows* rows) {
    check_transaction_usable();
    try {
      sqlite3_stmt* stmt = prepare(sql);
      struct Reset {
        sqlite3_stmt* s;
        ~Reset() {
          sqlite3_reset(s);
          sqlite3_clear_bindings(s);
        }
      } reset{stmt};
      bind(stmt, params, sql);
      const int columns = sqlite3_column_count(stmt);
      int rc = SQLITE_OK;
      while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (rows == nullptr) {
          continue; // execute() of an INSERT ... RETURNING: run it to the end, ignore the rows
        }
        std::vector<Value> values;
        values.reserve(static_cast<std::size_t>(columns));
        for (int i = 0; i < columns; ++i) {
          values.push_back(column(stmt, i));
        }
        rows->emplace_back(std::move(values));
      }
      if (rc != SQLITE_DONE) {
        throw_sqlite(db_, rc, sql);
      }
    } catch (...) {
      note_failure();
      throw;
    }
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
  bool tracking_ = false;
  bool failed_ = false;
};

std::string checked_synchronous(const std::string& value) {
  std::string upper = value;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  // Spliced into a PRAGMA, so only known words pass.
  if (upper != "FULL" && upper != "NORMAL" && upper != "EXTRA" && upper != "OFF") {
    throw std::invalid_argument("SQLite synchronous must be FULL, NORMAL, EXTRA or OFF, not '" + value + "'");
  }
  return upper;
}

class SqliteDb final : public Db, private GroupHost {
public:
  explicit SqliteDb(const SqliteOptions& options) {
    if (options.path.empty() || options.path == ":memory:" || options.path.starts_with("file:")) {
      throw std::invalid_argument("SQLite needs a plain file path (readers open it separately): '" + options.path +
                                  "'");
    }
    const std::string synchronous = checked_synchronous(options.synchronous);
    const std::filesystem::path parent = std::filesystem::path(options.path).parent_path();
    if (!parent.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(parent, ec);
      if (ec) {
        throw Unavailable("cannot create the folder of the SQLite database " + parent.string() + ": " + ec.message());
      }
    }
    writer_ = std::make_unique<SqliteConnection>(
        options.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, options.busy_timeout_ms);
    auto mode = writer_->query_one("PRAGMA journal_mode=WAL");
    if (!mode || mode->text(0) != "wal") {
      throw Unavailable("SQLite database " + options.path + " cannot switch to WAL mode");
    }
    writer_->exec_plain(("PRAGMA synchronous=" + synchronous).c_str());
    writer_->exec_plain("PRAGMA foreign_keys=ON");

    // Readers open after the writer made the file and its WAL; query_only guards against a
    // write slipping into read(), which would bypass the writer lock.
    const int readers = std::max(1, options.readers);
    for (int i = 0; i < readers; ++i) {
      auto reader = std::make_unique<SqliteConnection>(options.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                                                       options.busy_timeout_ms);
      reader->exec_plain("PRAGMA query_only=ON");
      reader->exec_plain("PRAGMA foreign_keys=ON");
      idle_readers_.push_back(std::move(reader));
    }
    reader_count_ = readers;
  }

  ~SqliteDb() override { close(); }

  [[nodiscard]] Dialect dialect() const override { return Dialect::sqlite; }

  bool ping() noexcept override {
    try {
      bool ok = false;
      with_reader([&](Connection& c) { ok = c.query_one("SELECT 1").has_value(); });
      return ok;
    } catch (...) {
      return false;
    }
  }

  PoolStats stats() const override {
    std::lock_guard lock(mutex_);
    PoolStats s;
    s.size = closed_ ? 0 : reader_count_ + 1;
    s.in_use = readers_in_use_ + (writer_busy_.load() ? 1 : 0);
    s.waiting = readers_waiting_;
    return s;
  }

  void close() override {
    {
      std::unique_lock lock(mutex_);
      if (closed_) {
        return;
      }
      closed_ = true;
      idle_readers_.clear();
      cv_.notify_all();
      // Readers out on loan are closed by release(); wait so the file is really closed on return.
      cv_.wait(lock, [&] { return readers_in_use_ == 0; });
    }
    group_.close();
    std::lock_guard writer_lock(writer_mutex_);
    writer_.reset();
  }

protected:
  void with_reader(const std::function<void(Connection&)>& fn) override {
    std::unique_ptr<SqliteConnection> reader = acquire_reader();
    struct Release {
      SqliteDb* self;
      std::unique_ptr<SqliteConnection>& conn;
      ~Release() { self->release_reader(std::move(conn)); }
    } release{this, reader};
    fn(*reader);
  }

  // Every write goes through the group: one writer connection, a transaction shared by the
  // writes that arrive together, one commit for all of them.
  void with_transaction(const std::function<bool(Connection&)>& fn) override {
    WriteIntent intent = group_.intend();
    group_.write(intent, [&](Connection& c, AfterCommit&) { return fn(c); }).wait();
  }

  GroupCommit& group() override { return group_; }

private:
  // --- GroupHost: the writer connection lent to the group commit -----------------------------
  Connection& begin_group() override {
    std::lock_guard lock(writer_mutex_);
    if (!writer_) {
      throw Unavailable("database is closed");
    }
    writer_busy_ = true;
    writer_->exec_plain("BEGIN IMMEDIATE");
    changes_at_begin_ = writer_->total_changes();
    return *writer_;
  }
  void end_group(bool commit) override {
    std::lock_guard lock(writer_mutex_);
    writer_busy_ = false;
    if (!writer_) {
      return;
    }
    if (!commit) {
      rollback(*writer_);
      return;
    }
    try {
      writer_->exec_plain("COMMIT");
    } catch (...) {
      rollback(*writer_);
      throw;
    }
  }
  bool group_changed() override {
    std::lock_guard lock(writer_mutex_);
    return writer_ && writer_->total_changes() != changes_at_begin_;
  }
  void run(const char* sql) override { writer_->execute(sql, {}); } // prepared once, cached
  void begin_write() override { writer_->begin_tracking(); }
  bool write_failed() override { return writer_->failed(); }
  void end_write() override { writer_->end_tracking(); }

  static void rollback(SqliteConnection& c) {
    // Some errors (SQLITE_FULL, IOERR, BUSY) already rolled the transaction back.
    if (c.in_transaction()) {
      try {
        c.exec_plain("ROLLBACK");
      } catch (...) {
        // Nothing more to do: the original error is the one worth reporting.
      }
    }
  }

  std::unique_ptr<SqliteConnection> acquire_reader() {
    std::unique_lock lock(mutex_);
    ++readers_waiting_;
    cv_.wait(lock, [&] { return closed_ || !idle_readers_.empty(); });
    --readers_waiting_;
    if (closed_) {
      throw Unavailable("database is closed");
    }
    auto reader = std::move(idle_readers_.back());
    idle_readers_.pop_back();
    ++readers_in_use_;
    return reader;
  }

  void release_reader(std::unique_ptr<SqliteConnection> reader) {
    std::lock_guard lock(mutex_);
    --readers_in_use_;
    if (!closed_) {
      idle_readers_.push_back(std::move(reader));
    } else {
      reader.reset();
    }
    cv_.notify_all();
  }

  mutable std::mutex mutex_; // guards the reader pool and closed_
  std::condition_variable cv_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;
  int reader_count_ = 0;
  int readers_in_use_ = 0;
  int readers_waiting_ = 0;
  bool closed_ = false;

  std::mutex writer_mutex_; // guards writer_ against close(); the group runs one write at a time
  std::unique_ptr<SqliteConnection> writer_;
  std::atomic<bool> writer_busy_{false};
  std::int64_t changes_at_begin_ = 0; // the writer's total_changes() when its group began
  GroupCommit group_{*this};
};

} // namespace

std::unique_ptr<Db> open_sqlite(const SqliteOptions& options) { return std::make_unique<SqliteDb>(options); }

} // namespace vikno::storage
