#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "storage/migrations.hpp"
#include "testing/test_db.hpp"

namespace vikno::storage {
namespace {

TEST(StorageMigrationFiles, BothDialectsHaveTheSameNumberedMigrations) {
  const auto sqlite = migrations_for(Dialect::sqlite);
  const auto postgresql = migrations_for(Dialect::postgresql);
  ASSERT_FALSE(sqlite.empty());
  ASSERT_EQ(sqlite.size(), postgresql.size()) << "add each migration for both dialects";
  for (std::size_t i = 0; i < sqlite.size(); ++i) {
    EXPECT_EQ(sqlite[i].version, postgresql[i].version);
    EXPECT_EQ(sqlite[i].name, postgresql[i].name);
    EXPECT_FALSE(sqlite[i].sql.empty());
    if (i > 0) {
      EXPECT_LT(sqlite[i - 1].version, sqlite[i].version);
    }
  }
  EXPECT_EQ(sqlite.front().version, 1);
  EXPECT_EQ(sqlite.front().name, "audit");
  // Embedded byte for byte: the dollar quotes of the PL/pgSQL body survive.
  EXPECT_NE(postgresql.front().sql.find("AS $$"), std::string::npos);
}

class StorageMigrationsTest : public testing::DbTest {
protected:
  [[nodiscard]] bool migrated() const override { return false; }
};

TEST_P(StorageMigrationsTest, AppliesEverythingOnceThenNothing) {
  EXPECT_TRUE(applied(db()).empty());
  const auto all = migrations_for(dialect());
  const MigrationReport first = migrate(db(), [] { return Millis{1'700'000'000'000}; });
  ASSERT_EQ(first.applied_now.size(), all.size());
  EXPECT_EQ(first.current_version, all.back().version);

  const MigrationReport second = migrate(db());
  EXPECT_TRUE(second.applied_now.empty());
  EXPECT_EQ(second.current_version, first.current_version);

  const auto rows = applied(db());
  ASSERT_EQ(rows.size(), all.size());
  EXPECT_EQ(rows.front().version, 1);
  EXPECT_EQ(rows.front().name, "audit");
  EXPECT_EQ(rows.front().applied_at_ms, 1'700'000'000'000);
  // The schema is really there.
  EXPECT_EQ(db().read([](Connection& c) { return c.query_one("SELECT COUNT(*) FROM audit_log")->int64(0); }), 0);
}

TEST_P(StorageMigrationsTest, InstancesStartingTogetherApplyEachMigrationOnce) {
  auto other = test_db().open_another(2);
  std::vector<MigrationReport> reports(2);
  std::thread a([&] { reports[0] = migrate(db()); });
  std::thread b([&] { reports[1] = migrate(*other); });
  a.join();
  b.join();
  std::multiset<int> versions;
  for (const auto& r : reports) {
    versions.insert(r.applied_now.begin(), r.applied_now.end());
    EXPECT_EQ(r.current_version, migrations_for(dialect()).back().version);
  }
  EXPECT_EQ(versions.size(), migrations_for(dialect()).size());
  for (int v : versions) {
    EXPECT_EQ(versions.count(v), 1u) << "version " << v << " applied twice";
  }
}

VIKNO_INSTANTIATE_DB_TEST(StorageMigrationsTest);

} // namespace
} // namespace vikno::storage
