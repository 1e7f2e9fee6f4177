// What is particular to one driver: SQLite settings and URL handling, PostgreSQL losing the
// server and its pool limits, and the placeholder rewriting.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <thread>

#include "storage/db.hpp"
#include "storage/placeholders.hpp"
#include "testing/test_db.hpp"

namespace vikno::storage {
namespace {

namespace fs = std::filesystem;

class TempFolder {
public:
  TempFolder()
      : path_(fs::temp_directory_path() /
              ("vikno-driver-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++))) {
    fs::remove_all(path_);
  }
  ~TempFolder() { fs::remove_all(path_); }
  [[nodiscard]] const fs::path& path() const { return path_; }

private:
  static inline int counter_ = 0;
  fs::path path_;
};

TEST(StoragePlaceholders, RewritesOnlyRealPlaceholders) {
  using detail::rewrite_placeholders;
  auto r = rewrite_placeholders("SELECT a FROM t WHERE b = ? AND c = '?' AND d = ?");
  EXPECT_EQ(r.sql, "SELECT a FROM t WHERE b = $1 AND c = '?' AND d = $2");
  EXPECT_EQ(r.placeholders, 2);
  EXPECT_EQ(rewrite_placeholders("SELECT 'it''s ?', ? -- ?\n, ?").sql, "SELECT 'it''s ?', $1 -- ?\n, $2");
  EXPECT_EQ(rewrite_placeholders("SELECT /* ? /* ? */ ? */ ?").sql, "SELECT /* ? /* ? */ ? */ $1");
  EXPECT_EQ(rewrite_placeholders("SELECT \"odd?name\", ?").sql, "SELECT \"odd?name\", $1");
  EXPECT_EQ(rewrite_placeholders("SELECT E'\\' ?', ?").sql, "SELECT E'\\' ?', $1");
  EXPECT_EQ(rewrite_placeholders("SELECT $$ ? $$, $tag$ ' ? $tag$, ?").sql, "SELECT $$ ? $$, $tag$ ' ? $tag$, $1");
  EXPECT_EQ(rewrite_placeholders("SELECT 'unterminated ?").placeholders, 0);
  EXPECT_EQ(rewrite_placeholders("").sql, "");
}

TEST(StorageOpen, RejectsMalformedUrls) {
  EXPECT_THROW(open("mysql://x"), std::invalid_argument);
  EXPECT_THROW(open("sqlite:"), std::invalid_argument);
  EXPECT_THROW(open("sqlite::memory:"), std::invalid_argument);
  EXPECT_THROW(open_sqlite({.path = "x.db", .synchronous = "FULL; DROP TABLE x"}), std::invalid_argument);
}

TEST(StorageSqlite, OpensWithDurableSettingsAndCreatesTheFolder) {
  TempFolder folder;
  const fs::path file = folder.path() / "nested" / "center.db";
  auto db = open("sqlite:" + file.string());
  EXPECT_EQ(db->dialect(), Dialect::sqlite);
  EXPECT_TRUE(fs::exists(file));
  db->transact([](Connection& c) {
    EXPECT_EQ(c.query_one("PRAGMA synchronous")->int64(0), 2); // FULL
    EXPECT_EQ(c.query_one("PRAGMA foreign_keys")->int64(0), 1);
    EXPECT_EQ(c.query_one("PRAGMA journal_mode")->text(0), "wal");
  });
  auto normal = open("sqlite:" + (folder.path() / "normal.db").string(), "NORMAL");
  normal->transact([](Connection& c) { EXPECT_EQ(c.query_one("PRAGMA synchronous")->int64(0), 1); });
}

TEST(StorageSqlite, ForeignKeysAreEnforced) {
  TempFolder folder;
  auto db = open_sqlite({.path = (folder.path() / "fk.db").string()});
  db->transact([](Connection& c) {
    c.execute_script("CREATE TABLE parent (id INTEGER PRIMARY KEY);"
                     "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));");
  });
  EXPECT_THROW(db->transact([](Connection& c) { c.execute("INSERT INTO child (parent_id) VALUES (42)"); }), DbError);
}

TEST(StorageSqlite, ReadersCannotWrite) {
  TempFolder folder;
  auto db = open_sqlite({.path = (folder.path() / "ro.db").string()});
  db->transact([](Connection& c) { c.execute_script("CREATE TABLE t (x INTEGER)"); });
  EXPECT_THROW(db->read([](Connection& c) { c.execute("INSERT INTO t VALUES (1)"); }), DbError);
}

TEST(StorageSqlite, NestedTransactionFailsInsteadOfDeadlocking) {
  TempFolder folder;
  auto db = open_sqlite({.path = (folder.path() / "nested.db").string()});
  EXPECT_THROW(db->transact([&](Connection&) { db->transact([](Connection&) {}); }), DbError);
  db->transact([](Connection& c) { c.query("SELECT 1"); }); // the writer is free again
}

TEST(StoragePostgres, UnreachableServerIsUnavailable) {
  PostgresOptions options;
  options.conninfo = "postgresql://vikno@/vikno?host=/nonexistent-vikno-socket-dir";
  options.connect_timeout_s = 1;
  EXPECT_THROW(open_postgres(options), Unavailable);
  EXPECT_THROW(open("postgresql://vikno@/vikno?host=/nonexistent-vikno-socket-dir"), Unavailable);
}

class StoragePostgresLive : public ::testing::Test {
protected:
  void SetUp() override {
    if (testing::pg_url().empty()) {
      GTEST_SKIP() << "VIKNO_TEST_PG_URL is not set";
    }
  }
};

TEST_F(StoragePostgresLive, LostConnectionIsUnavailableAndTheNextCallReconnects) {
  testing::TestDatabase test_db(Dialect::postgresql, false, 2);
  Db& db = test_db.db();
  // The server ending this backend is what a restart or a network cut looks like to the client.
  EXPECT_THROW(db.transact([](Connection& c) { c.query("SELECT pg_terminate_backend(pg_backend_pid())"); }),
               Unavailable);
  EXPECT_EQ(db.stats().in_use, 0);
  EXPECT_TRUE(db.ping());
  EXPECT_EQ(db.read([](Connection& c) { return c.query_one("SELECT 1")->int64(0); }), 1);
}

TEST_F(StoragePostgresLive, IdleConnectionKilledByTheServerIsReplacedQuietly) {
  testing::TestDatabase test_db(Dialect::postgresql, false, 2);
  Db& db = test_db.db();
  const auto pid = db.read([](Connection& c) { return c.query_one("SELECT pg_backend_pid()")->int64(0); });
  test_db.admin_execute("SELECT pg_terminate_backend(" + std::to_string(pid) + ")");
  std::this_thread::sleep_for(std::chrono::milliseconds(200)); // let the server's goodbye arrive
  const auto new_pid = db.read([](Connection& c) { return c.query_one("SELECT pg_backend_pid()")->int64(0); });
  EXPECT_NE(new_pid, pid);
}

TEST_F(StoragePostgresLive, ExhaustedPoolMakesCallersWaitThenUnavailable) {
  testing::TestDatabase test_db(Dialect::postgresql, false, 1);
  auto db = test_db.open_another(1);
  std::promise<void> holding;
  std::promise<void> finish;
  std::thread holder([&] {
    db->transact([&](Connection&) {
      holding.set_value();
      finish.get_future().wait();
    });
  });
  holding.get_future().wait();
  auto waiter = std::async(std::launch::async, [&] { return db->read([](Connection& c) { c.query("SELECT 1"); }); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(db->stats().waiting, 1);
  EXPECT_EQ(db->stats().in_use, 1);
  finish.set_value();
  holder.join();
  EXPECT_NO_THROW(waiter.get()); // it got the connection once it came back
}

TEST_F(StoragePostgresLive, PoolTimeoutIsUnavailable) {
  PostgresOptions options;
  options.conninfo = testing::pg_url();
  options.pool_size = 1;
  options.acquire_timeout_ms = 100;
  auto db = open_postgres(options);
  db->read([&](Connection&) {
    EXPECT_THROW(db->read([](Connection& c) { c.query("SELECT 1"); }), Unavailable);
    EXPECT_FALSE(db->ping());
  });
  EXPECT_TRUE(db->ping());
}

// Stops and restarts the throwaway cluster, so it is opt-in: it would break tests running in
// parallel against the same cluster. VIKNO_TEST_PG_RESTART_DIR=DIR (the folder given to
// scripts/pg-throwaway.sh) enables it.
TEST_F(StoragePostgresLive, RecoversWhenTheServerComesBack) {
  const char* dir = std::getenv("VIKNO_TEST_PG_RESTART_DIR");
  if (dir == nullptr) {
    GTEST_SKIP() << "set VIKNO_TEST_PG_RESTART_DIR to run (stops and starts the cluster)";
  }
  const std::string script = std::string(VIKNO_SOURCE_DIR) + "/scripts/pg-throwaway.sh";
  PostgresOptions options;
  options.conninfo = testing::pg_url();
  options.pool_size = 3;
  options.connect_timeout_s = 1;
  auto db = open_postgres(options);
  ASSERT_TRUE(db->ping());
  ASSERT_EQ(std::system((script + " stop " + dir + " >/dev/null").c_str()), 0);
  EXPECT_FALSE(db->ping());
  EXPECT_THROW(db->read([](Connection& c) { c.query("SELECT 1"); }), Unavailable);
  ASSERT_EQ(std::system((script + " start " + dir + " >/dev/null").c_str()), 0);
  EXPECT_TRUE(db->ping());
  EXPECT_EQ(db->read([](Connection& c) { return c.query_one("SELECT 1")->int64(0); }), 1);
}

} // namespace
} // namespace vikno::storage
