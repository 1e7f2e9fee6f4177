// Test databases for repository tests: every case runs on SQLite and on PostgreSQL.
//
// SQLite gets a fresh file in a temporary folder; PostgreSQL (only when VIKNO_TEST_PG_URL is set,
// e.g. by `make test` through scripts/pg-throwaway.sh) gets a fresh schema, first on the
// search_path of every pooled connection, dropped afterwards. Both are migrated unless asked not
// to be. Use it from a parameterized suite:
//
//   class MyStoreTest : public vikno::storage::testing::DbTest {};
//   TEST_P(MyStoreTest, Works) { db().transact(...); }
//   VIKNO_INSTANTIATE_DB_TEST(MyStoreTest);
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>

#include "storage/db.hpp"

namespace vikno::storage::testing {

// The PostgreSQL URL tests use, or "" when PostgreSQL tests are to be skipped.
std::string pg_url();

class TestDatabase {
public:
  // Creates the database; for PostgreSQL, requires pg_url() to be non-empty.
  explicit TestDatabase(Dialect dialect, bool run_migrations = true, int pool_size = 4);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  Db& db() { return *db_; }
  [[nodiscard]] Dialect dialect() const { return dialect_; }
  // Opens another Db on the same database (another "instance" of the server).
  [[nodiscard]] std::unique_ptr<Db> open_another(int pool_size = 4) const;
  // SQLite: the file path; PostgreSQL: the schema name.
  [[nodiscard]] const std::string& location() const { return location_; }
  [[nodiscard]] const std::filesystem::path& folder() const { return folder_; }
  // Runs a statement from outside the Db under test (an admin, or an attacker with psql).
  void admin_execute(const std::string& sql) const;

private:
  Dialect dialect_;
  std::filesystem::path folder_; // SQLite only
  std::string location_;
  std::string conninfo_; // PostgreSQL only: with the schema on search_path
  std::unique_ptr<Db> db_;
};

// Base of a parameterized suite over both dialects; skips PostgreSQL instances when not configured.
class DbTest : public ::testing::TestWithParam<Dialect> {
protected:
  void SetUp() override;
  void TearDown() override { test_db_.reset(); }
  Db& db() { return test_db_->db(); }
  TestDatabase& test_db() { return *test_db_; }
  [[nodiscard]] Dialect dialect() const { return GetParam(); }
  // Override to false for suites that test migrations themselves.
  [[nodiscard]] virtual bool migrated() const { return true; }

private:
  std::unique_ptr<TestDatabase> test_db_;
};

std::string dialect_name(const ::testing::TestParamInfo<Dialect>& info);

} // namespace vikno::storage::testing

namespace vikno::storage {
// Readable test names in ctest ("# GetParam() = postgresql").
inline void PrintTo(Dialect dialect, std::ostream* os) {
  *os << (dialect == Dialect::sqlite ? "sqlite" : "postgresql");
}
} // namespace vikno::storage

#define VIKNO_INSTANTIATE_DB_TEST(suite)                                                                               \
  INSTANTIATE_TEST_SUITE_P(                                                                                            \
      Db, suite, ::testing::Values(::vikno::storage::Dialect::sqlite, ::vikno::storage::Dialect::postgresql),          \
      ::vikno::storage::testing::dialect_name)
