// The Db contract, run on SQLite and on PostgreSQL alike.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <limits>
#include <thread>

#include "common/error.hpp"
#include "storage/db.hpp"
#include "testing/test_db.hpp"

namespace vikno::storage {
namespace {

using testing::DbTest;

class StorageDbTest : public DbTest {
protected:
  // The one place the tests need DDL that differs: an auto-assigned id.
  [[nodiscard]] std::string id_column() const {
    return dialect() == Dialect::sqlite ? "id INTEGER PRIMARY KEY" : "id BIGSERIAL PRIMARY KEY";
  }
  void create_items() {
    db().transact([&](Connection& c) {
      c.execute_script("CREATE TABLE items (" + id_column() + ", name TEXT NOT NULL UNIQUE, qty BIGINT)");
    });
  }
  std::int64_t count_items() {
    return db().read([](Connection& c) { return c.query_one("SELECT COUNT(*) FROM items")->int64(0); });
  }
};

TEST_P(StorageDbTest, ValuesRoundTripWithTheirTypes) {
  db().transact(
      [](Connection& c) { c.execute_script("CREATE TABLE t (i BIGINT, r DOUBLE PRECISION, s TEXT, n BIGINT)"); });
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  const std::int64_t small = std::numeric_limits<std::int64_t>::min();
  const std::string text = "Київ, вул. Хрещатик 'тест' \"лапки\" ? \\ ;";
  db().transact([&](Connection& c) {
    c.execute("INSERT INTO t (i, r, s, n) VALUES (?, ?, ?, ?)", {big, 0.1, text, nullptr});
    c.execute("INSERT INTO t (i, r, s, n) VALUES (?, ?, ?, ?)", {small, -1.5e300, std::string(), std::int64_t{0}});
  });
  Rows rows = db().read([](Connection& c) { return c.query("SELECT i, r, s, n FROM t ORDER BY i DESC"); });
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(std::get<std::int64_t>(rows[0].value(0)), big);
  EXPECT_EQ(std::get<double>(rows[0].value(1)), 0.1);
  EXPECT_EQ(std::get<std::string>(rows[0].value(2)), text);
  EXPECT_TRUE(rows[0].is_null(3));
  EXPECT_EQ(rows[1].int64(0), small);
  EXPECT_EQ(rows[1].real(1), -1.5e300);
  EXPECT_EQ(rows[1].text(2), "");
  EXPECT_FALSE(rows[1].is_null(2));
  EXPECT_EQ(rows[1].int64(3), 0);
  EXPECT_EQ(rows[1].real(3), 0.0); // real() accepts integers
}

TEST_P(StorageDbTest, NullsAndTypeMistakes) {
  auto row = db().read([](Connection& c) { return c.query_one("SELECT NULL, 'x', 7"); });
  ASSERT_TRUE(row);
  EXPECT_TRUE(row->is_null(0));
  EXPECT_EQ(row->opt_int64(0), std::nullopt);
  EXPECT_EQ(row->opt_text(0), std::nullopt);
  EXPECT_THROW((void)row->int64(0), DbError);
  EXPECT_THROW((void)row->text(0), DbError);
  EXPECT_THROW((void)row->int64(1), DbError);
  EXPECT_THROW((void)row->text(2), DbError);
  EXPECT_THROW((void)row->value(3), DbError);
  EXPECT_EQ(row->opt_text(1), "x");
  EXPECT_EQ(row->opt_int64(2), 7);
}

TEST_P(StorageDbTest, QuestionMarksInsideLiteralsAreNotPlaceholders) {
  auto row = db().read([](Connection& c) {
    return c.query_one("SELECT '?', ?, 'it''s ?' /* ? */, ? -- ?\n", {std::int64_t{5}, std::string("a?b")});
  });
  ASSERT_TRUE(row);
  EXPECT_EQ(row->text(0), "?");
  EXPECT_EQ(row->int64(1), 5);
  EXPECT_EQ(row->text(2), "it's ?");
  EXPECT_EQ(row->text(3), "a?b");
}

TEST_P(StorageDbTest, InsertReturningGivesTheNewId) {
  create_items();
  auto [first, second] = db().transact([](Connection& c) {
    const auto a = c.query_one("INSERT INTO items (name, qty) VALUES (?, ?) RETURNING id", {"a", std::int64_t{1}});
    const auto b = c.query_one("INSERT INTO items (name, qty) VALUES (?, ?) RETURNING id", {"b", std::int64_t{2}});
    return std::pair{a->int64(0), b->int64(0)};
  });
  EXPECT_GT(first, 0);
  EXPECT_EQ(second, first + 1);
  const auto changed = db().transact([](Connection& c) { return c.execute("UPDATE items SET qty = qty + 1"); });
  EXPECT_EQ(changed, 2);
  auto name = db().read([&](Connection& c) { return c.query_one("SELECT name FROM items WHERE id = ?", {second}); });
  EXPECT_EQ(name->text(0), "b");
}

TEST_P(StorageDbTest, TransactionCommitsOrRollsBackOnException) {
  create_items();
  db().transact([](Connection& c) { c.execute("INSERT INTO items (name) VALUES (?)", {"kept"}); });
  EXPECT_THROW(db().transact([](Connection& c) {
    c.execute("INSERT INTO items (name) VALUES (?)", {"lost"});
    throw std::runtime_error("abort the request");
  }),
               std::runtime_error);
  EXPECT_EQ(count_items(), 1);
}

TEST_P(StorageDbTest, TransactionRollsBackWhenItReturnsAnError) {
  create_items();
  Result<int> result = db().transact([](Connection& c) -> Result<int> {
    c.execute("INSERT INTO items (name) VALUES (?)", {"lost"});
    return fail(Error::conflict("slot_taken", "the slot is already taken"));
  });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, "slot_taken");
  Result<int> ok = db().transact([](Connection& c) -> Result<int> {
    c.execute("INSERT INTO items (name) VALUES (?)", {"kept"});
    return 42;
  });
  EXPECT_EQ(ok.value(), 42);
  EXPECT_EQ(count_items(), 1);
}

TEST_P(StorageDbTest, DuplicateKeyIsUniqueViolation) {
  create_items();
  db().transact([](Connection& c) { c.execute("INSERT INTO items (name) VALUES (?)", {"a"}); });
  EXPECT_THROW(db().transact([](Connection& c) { c.execute("INSERT INTO items (name) VALUES (?)", {"a"}); }),
               UniqueViolation);
  EXPECT_EQ(count_items(), 1);
}

TEST_P(StorageDbTest, CaughtErrorStillRollsBackTheTransaction) {
  // PostgreSQL cannot go on after a failed statement; SQLite is made to behave the same, so code
  // that "handles" a UniqueViolation inside transact() fails the same way on both.
  create_items();
  db().transact([](Connection& c) { c.execute("INSERT INTO items (name) VALUES (?)", {"a"}); });
  EXPECT_THROW(db().transact([](Connection& c) {
    c.execute("INSERT INTO items (name) VALUES (?)", {"b"});
    try {
      c.execute("INSERT INTO items (name) VALUES (?)", {"a"});
    } catch (const UniqueViolation&) {
    }
  }),
               DbError);
  EXPECT_EQ(count_items(), 1);
}

TEST_P(StorageDbTest, BadStatementsAreDbErrorsNotUnavailable) {
  try {
    db().read([](Connection& c) { c.query("SELEC 1"); });
    FAIL() << "no exception";
  } catch (const Unavailable&) {
    FAIL() << "a syntax error must not look like a lost database";
  } catch (const DbError&) {
  }
  EXPECT_THROW(db().read([](Connection& c) { c.query("SELECT ?", {std::int64_t{1}, std::int64_t{2}}); }), DbError);
  EXPECT_THROW(db().read([](Connection& c) { c.query("SELECT 1; SELECT 2"); }), DbError);
}

TEST_P(StorageDbTest, ConcurrentWritersLoseNoRows) {
  create_items();
  db().transact([](Connection& c) { c.execute("INSERT INTO items (name, qty) VALUES ('counter', 0)"); });
  constexpr int kThreads = 4;
  constexpr int kPerThread = 40;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        try {
          db().transact([&](Connection& c) {
            c.execute("INSERT INTO items (name) VALUES (?)", {"t" + std::to_string(t) + "-" + std::to_string(i)});
            c.execute("UPDATE items SET qty = qty + 1 WHERE name = 'counter'");
          });
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(count_items(), 1 + kThreads * kPerThread);
  auto counter = db().read([](Connection& c) { return c.query_one("SELECT qty FROM items WHERE name = 'counter'"); });
  EXPECT_EQ(counter->int64(0), kThreads * kPerThread);
}

TEST_P(StorageDbTest, ReadIsNotBlockedByAnOpenWriteTransaction) {
  create_items();
  db().transact([](Connection& c) { c.execute("INSERT INTO items (name) VALUES ('before')"); });
  std::promise<void> written;
  std::promise<void> finish;
  std::thread writer([&] {
    db().transact([&](Connection& c) {
      c.execute("INSERT INTO items (name) VALUES ('during')");
      written.set_value();
      finish.get_future().wait();
    });
  });
  written.get_future().wait();
  auto reader = std::async(std::launch::async, [&] { return count_items(); });
  const auto status = reader.wait_for(std::chrono::seconds(3));
  finish.set_value();
  writer.join();
  ASSERT_EQ(status, std::future_status::ready) << "the read waited for the writer";
  EXPECT_EQ(reader.get(), 1); // the committed state, not the open transaction's
  EXPECT_EQ(count_items(), 2);
}

TEST_P(StorageDbTest, StatsPingAndClose) {
  EXPECT_TRUE(db().ping());
  PoolStats idle = db().stats();
  EXPECT_GE(idle.size, 1);
  EXPECT_EQ(idle.in_use, 0);
  EXPECT_EQ(idle.waiting, 0);
  db().read([&](Connection&) { EXPECT_EQ(db().stats().in_use, 1); });
  db().close();
  EXPECT_FALSE(db().ping());
  EXPECT_THROW(db().read([](Connection& c) { c.query("SELECT 1"); }), Unavailable);
  EXPECT_THROW(db().transact([](Connection& c) { c.query("SELECT 1"); }), Unavailable);
  db().close(); // twice is harmless
}

VIKNO_INSTANTIATE_DB_TEST(StorageDbTest);

} // namespace
} // namespace vikno::storage
