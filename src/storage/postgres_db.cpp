// The PostgreSQL driver: a pool of libpq connections that heals itself.
//
// Connections open lazily up to pool_size. A connection found broken (the server restarted, the
// network dropped) is thrown away together with the idle ones, which are most likely dead too,
// and the call fails with Unavailable (-> 503); the next call opens fresh connections, so the
// server recovers by itself when PostgreSQL comes back.
#include "storage/db.hpp"
#include "storage/placeholders.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <mutex>

namespace vikno::storage {

namespace {

// Type OIDs from pg_type.h (stable since forever; the header is server-side only).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

std::string excerpt(std::string_view sql) {
  constexpr std::size_t kMax = 200;
  if (sql.size() <= kMax) {
    return std::string(sql);
  }
  return std::string(sql.substr(0, kMax)) + "...";
}

std::string trimmed(const char* message) {
  std::string s = message == nullptr ? "" : message;
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) {
    s.pop_back();
  }
  return s;
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// Text form of a parameter. Integers and doubles go out typed (int8, float8) so expressions
// like `? IS NULL OR col = ?` and `SELECT ?` resolve; strings and NULL stay untyped so the
// server fits them to the column (text, date, jsonb...).
struct ParamText {
  std::string text;
  Oid type = 0;
  bool null = false;
};

ParamText param_text(const Value& v) {
  ParamText p;
  if (std::holds_alternative<std::nullptr_t>(v)) {
    p.null = true;
  } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
    p.text = std::to_string(*n);
    p.type = kInt8Oid;
  } else if (const auto* d = std::get_if<double>(&v)) {
    p.type = kFloat8Oid;
    if (std::isnan(*d)) {
      p.text = "NaN";
    } else if (std::isinf(*d)) {
      p.text = *d > 0 ? "Infinity" : "-Infinity";
    } else {
      std::array<char, 64> buf{};
      auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), *d); // shortest exact form
      p.text.assign(buf.data(), end);
    }
  } else {
    p.text = std::get<std::string>(v);
  }
  return p;
}

Value column_value(const PGresult* res, int row, int col) {
  if (PQgetisnull(res, row, col) != 0) {
    return nullptr;
  }
  const char* text = PQgetvalue(res, row, col);
  const auto length = static_cast<std::size_t>(PQgetlength(res, row, col));
  switch (PQftype(res, col)) {
  case kInt2Oid:
  case kInt4Oid:
  case kInt8Oid:
  case kOidOid: {
    std::int64_t n = 0;
    std::from_chars(text, text + length, n);
    return n;
  }
  case kFloat4Oid:
  case kFloat8Oid:
  case kNumericOid:
    return std::strtod(text, nullptr); // also reads NaN and Infinity
  case kBoolOid:
    return static_cast<std::int64_t>(text[0] == 't' ? 1 : 0);
  default:
    return std::string(text, length);
  }
}

class PgConnection final : public Connection {
public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection() override { PQfinish(conn_); }

  Rows query(std::string_view sql, std::span<const Value> params) override {
    ResultPtr res = exec_params(sql, params);
    Rows rows;
    const int nrows = PQntuples(res.get());
    const int ncols = PQnfields(res.get());
    rows.reserve(static_cast<std::size_t>(nrows));
    for (int r = 0; r < nrows; ++r) {
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(ncols));
      for (int c = 0; c < ncols; ++c) {
        values.push_back(column_value(res.get(), r, c));
      }
      rows.emplace_back(std::move(values));
    }
    return rows;
  }

  std::int64_t execute(std::string_view sql, std::span<const Value> params) override {
    ResultPtr res = exec_params(sql, params);
    const char* tuples = PQcmdTuples(res.get());
    return tuples == nullptr || *tuples == '\0' ? 0 : std::strtoll(tuples, nullptr, 10);
  }

  void execute_script(std::string_view sql) override {
    // The simple query protocol runs several statements in one round trip.
    const std::string text(sql);
    ResultPtr res(PQexec(conn_, text.c_str()));
    check(res.get(), sql);
  }

  // Runs a fixed command (BEGIN, COMMIT...) and returns its command tag.
  std::string command(const char* sql) {
    ResultPtr res(PQexec(conn_, sql));
    check(res.get(), sql);
    return PQcmdStatus(res.get());
  }

  [[nodiscard]] bool broken() const { return broken_ || PQstatus(conn_) != CONNECTION_OK; }
  void mark_broken() { broken_ = true; }
  [[nodiscard]] bool idle() const { return PQtransactionStatus(conn_) == PQTRANS_IDLE; }
  // A statement failed in the open transaction (which now refuses everything until a rollback).
  [[nodiscard]] bool in_failed_transaction() const { return PQtransactionStatus(conn_) == PQTRANS_INERROR; }

  // Reads whatever the server sent while the connection sat in the pool; a server that restarted
  // or terminated this backend has closed the socket, which this notices without a round trip.
  bool still_alive() {
    // An idle connection gets nothing unasked but notices; a terminated backend first sends its
    // FATAL message, then closes, and the close only shows on a further read. A socket that
    // stays readable after a read is at end of file.
    for (int round = 0; round < 4 && !broken(); ++round) {
      pollfd fd{PQsocket(conn_), POLLIN, 0};
      if (fd.fd < 0 || ::poll(&fd, 1, 0) < 0) {
        broken_ = true;
        break;
      }
      if ((fd.revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
        break;
      }
      if (PQconsumeInput(conn_) == 0) {
        broken_ = true;
      }
    }
    return !broken();
  }

private:
  ResultPtr exec_params(std::string_view sql, std::span<const Value> params) {
    const detail::RewrittenSql rewritten = detail::rewrite_placeholders(sql);
    if (rewritten.placeholders != static_cast<int>(params.size())) {
      throw DbError("statement has " + std::to_string(rewritten.placeholders) + " placeholders but " +
                    std::to_string(params.size()) + " parameters were given (in: " + excerpt(sql) + ")");
    }
    std::vector<ParamText> texts;
    texts.reserve(params.size());
    for (const Value& v : params) {
      texts.push_back(param_text(v));
    }
    std::vector<const char*> values(params.size());
    std::vector<Oid> types(params.size());
    for (std::size_t i = 0; i < texts.size(); ++i) {
      values[i] = texts[i].null ? nullptr : texts[i].text.c_str();
      types[i] = texts[i].type;
    }
    ResultPtr res(PQexecParams(conn_, rewritten.sql.c_str(), static_cast<int>(params.size()), types.data(),
                               values.data(), nullptr, nullptr, 0));
    check(res.get(), sql);
    return res;
  }

  void check(const PGresult* res, std::string_view sql) {
    const ExecStatusType status = res == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(res);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
      return;
    }
    const char* state = res == nullptr ? nullptr : PQresultErrorField(res, PG_DIAG_SQLSTATE);
    const std::string sqlstate = state == nullptr ? "" : state;
    std::string message = "postgresql: " + trimmed(res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(conn_));
    if (message == "postgresql: ") {
      message += trimmed(PQerrorMessage(conn_));
    }
    message += " (in: " + excerpt(sql) + ")";
    // Class 08 is "connection exception"; 57P01-57P03 are the server shutting down or starting.
    // No SQLSTATE at all means libpq itself lost the server.
    const bool lost = PQstatus(conn_) != CONNECTION_OK || sqlstate.empty() || sqlstate.starts_with("08") ||
                      sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03";
    if (lost) {
      broken_ = true;
      throw Unavailable(message);
    }
    // 53100 disk_full: the server's disk cannot take the write (untested: hard to make for real).
    if (sqlstate == "53100") {
      throw Unavailable(message, Unavailable::Reason::disk_full);
    }
    if (sqlstate == "23505") {
      throw UniqueViolation(message);
    }
    throw DbError(message);
  }

  PGconn* conn_;
  bool broken_ = false;
};

class PostgresDb final : public Db, private GroupHost {
public:
  explicit PostgresDb(const PostgresOptions& options) : options_(options) {
    if (options_.pool_size < 1) {
      options_.pool_size = 1;
    }
    // Connect once now so a wrong URL or a missing server is reported at start, not at first use.
    auto conn = acquire(std::chrono::milliseconds(options_.acquire_timeout_ms));
    release(std::move(conn));
  }

  ~PostgresDb() override { close(); }

  [[nodiscard]] Dialect dialect() const override { return Dialect::postgresql; }

  bool ping() noexcept override {
    try {
      auto conn = acquire(std::chrono::milliseconds(std::min(options_.acquire_timeout_ms, 1000)));
      bool ok = false;
      try {
        ok = conn->query_one("SELECT 1").has_value();
      } catch (...) {
        ok = false;
      }
      release(std::move(conn));
      return ok;
    } catch (...) {
      return false;
    }
  }

  PoolStats stats() const override {
    std::lock_guard lock(mutex_);
    return PoolStats{open_, in_use_, waiting_};
  }

  void close() override {
    group_.close();
    std::lock_guard lock(mutex_);
    closed_ = true;
    open_ -= static_cast<int>(idle_.size());
    idle_.clear(); // connections on loan are closed when they come back
    cv_.notify_all();
  }

protected:
  void with_reader(const std::function<void(Connection&)>& fn) override {
    auto conn = acquire(std::chrono::milliseconds(options_.acquire_timeout_ms));
    Lease lease{this, conn};
    fn(*conn);
  }

  void with_transaction(const std::function<bool(Connection&)>& fn) override {
    auto conn = acquire(std::chrono::milliseconds(options_.acquire_timeout_ms));
    Lease lease{this, conn};
    conn->command("BEGIN");
    bool commit = false;
    try {
      commit = fn(*conn);
    } catch (...) {
      rollback(*conn);
      throw;
    }
    if (!commit) {
      rollback(*conn);
      return;
    }
    // COMMIT of a transaction in which a statement failed (and the caller caught the error) is
    // answered with ROLLBACK, not an error; report it, or the caller would believe it committed.
    if (conn->command("COMMIT") == "ROLLBACK") {
      throw DbError("a statement failed inside the transaction and its error was caught; rolled back");
    }
  }

  GroupCommit& group() override { return group_; }

private:
  // --- GroupHost: grouped writes share one pooled connection while their group is open -------
  Connection& begin_group() override {
    group_conn_ = acquire(std::chrono::milliseconds(options_.acquire_timeout_ms));
    try {
      group_conn_->command("BEGIN");
    } catch (...) {
      release(std::move(group_conn_));
      throw;
    }
    return *group_conn_;
  }
  void end_group(bool commit) override {
    Lease lease{this, group_conn_};
    if (!commit) {
      rollback(*group_conn_);
      return;
    }
    if (group_conn_->command("COMMIT") == "ROLLBACK") {
      throw DbError("the group's transaction was rolled back by the server at commit");
    }
  }
  void run(const char* sql) override { group_conn_->command(sql); }
  bool write_failed() override { return group_conn_->in_failed_transaction(); }

  // Returns the connection to the pool however the call ends.
  struct Lease {
    PostgresDb* self;
    std::unique_ptr<PgConnection>& conn;
    Lease(PostgresDb* s, std::unique_ptr<PgConnection>& c) : self(s), conn(c) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { self->release(std::move(conn)); }
  };

  static void rollback(PgConnection& conn) {
    if (conn.broken()) {
      return;
    }
    try {
      conn.command("ROLLBACK");
    } catch (...) {
      conn.mark_broken();
    }
  }

  std::unique_ptr<PgConnection> connect() const {
    const std::string timeout = std::to_string(std::max(1, options_.connect_timeout_s));
    // Our defaults come first; the expanded URL/conninfo (dbname) overrides them when it sets its own.
    const std::array<const char*, 5> keywords{"connect_timeout", "fallback_application_name", "client_encoding",
                                              "dbname", nullptr};
    const std::array<const char*, 5> values{timeout.c_str(), "vikno", "UTF8", options_.conninfo.c_str(), nullptr};
    PGconn* raw = PQconnectdbParams(keywords.data(), values.data(), 1);
    if (raw == nullptr) {
      throw Unavailable("postgresql: out of memory while connecting");
    }
    if (PQstatus(raw) != CONNECTION_OK) {
      std::string message = "cannot connect to PostgreSQL: " + trimmed(PQerrorMessage(raw));
      PQfinish(raw);
      throw Unavailable(message);
    }
    // NOTICEs ("relation already exists, skipping") would otherwise go to stderr.
    PQsetNoticeProcessor(
        raw, [](void*, const char*) {}, nullptr);
    return std::make_unique<PgConnection>(raw);
  }

  std::unique_ptr<PgConnection> acquire(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(mutex_);
    while (true) {
      if (closed_) {
        throw Unavailable("database is closed");
      }
      if (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        if (!conn->still_alive()) {
          --open_;
          continue; // dropped; try the next idle one or open a fresh one
        }
        ++in_use_;
        return conn;
      }
      if (open_ < options_.pool_size) {
        ++open_; // reserve the slot, connect without holding the lock
        ++in_use_;
        lock.unlock();
        try {
          return connect();
        } catch (...) {
          lock.lock();
          --open_;
          --in_use_;
          cv_.notify_one();
          throw;
        }
      }
      ++waiting_;
      const bool woke =
          cv_.wait_until(lock, deadline, [&] { return closed_ || !idle_.empty() || open_ < options_.pool_size; });
      --waiting_;
      if (!woke) {
        throw Unavailable("PostgreSQL pool exhausted: no connection free within " + std::to_string(timeout.count()) +
                          " ms (pool_size " + std::to_string(options_.pool_size) + ")");
      }
    }
  }

  void release(std::unique_ptr<PgConnection> conn) {
    std::lock_guard lock(mutex_);
    --in_use_;
    if (closed_ || conn->broken() || !conn->idle()) {
      if (conn->broken()) {
        // The server most likely went away for everyone: drop the idle ones too, so the next
        // calls reconnect instead of each failing once on a dead connection.
        open_ -= static_cast<int>(idle_.size());
        idle_.clear();
      }
      --open_;
      conn.reset();
    } else {
      idle_.push_back(std::move(conn));
    }
    cv_.notify_one();
  }

  PostgresOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  int open_ = 0;
  int in_use_ = 0;
  int waiting_ = 0;
  bool closed_ = false;
  std::unique_ptr<PgConnection> group_conn_; // the open group's connection (the group serializes its use)
  GroupCommit group_{*this};
};

} // namespace

std::unique_ptr<Db> open_postgres(const PostgresOptions& options) { return std::make_unique<PostgresDb>(options); }

} // namespace vikno::storage
