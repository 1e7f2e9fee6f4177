#include "storage/migrations.hpp"

#include <algorithm>
#include <charconv>

#include "storage/embedded_migrations.hpp"

namespace vikno::storage {

namespace {

// Any fixed number will do; it only has to be the same in every instance ("viknomig" in ASCII).
constexpr std::int64_t kMigrationLockKey = 0x76696b6e6f6d6967;

constexpr const char* kCreateTable = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                     " version INTEGER PRIMARY KEY,"
                                     " name TEXT NOT NULL,"
                                     " applied_at_ms BIGINT NOT NULL)";
constexpr const char* kSelectApplied = "SELECT version, name, applied_at_ms FROM schema_migrations ORDER BY version";
constexpr const char* kIsApplied = "SELECT 1 FROM schema_migrations WHERE version = ?";
constexpr const char* kInsertApplied = "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)";

std::string_view dialect_folder(Dialect dialect) { return dialect == Dialect::sqlite ? "sqlite" : "postgresql"; }

bool table_exists(Connection& c, Dialect dialect) {
  if (dialect == Dialect::sqlite) {
    return c.query_one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").has_value();
  }
  // to_regclass follows search_path, as the unqualified table names in the migrations do.
  auto row = c.query_one("SELECT to_regclass('schema_migrations') IS NOT NULL");
  return row && row->int64(0) == 1;
}

} // namespace

std::vector<Migration> migrations_for(Dialect dialect) {
  std::vector<Migration> out;
  for (const auto& file : detail::embedded_migrations()) {
    if (file.dialect != dialect_folder(dialect)) {
      continue;
    }
    // The generator already checked the NNNN_name.sql shape.
    const std::size_t underscore = file.file_name.find('_');
    Migration m;
    std::from_chars(file.file_name.data(), file.file_name.data() + underscore, m.version);
    m.name = std::string(file.file_name.substr(underscore + 1, file.file_name.size() - underscore - 1 - 4));
    m.sql.assign(reinterpret_cast<const char*>(file.data), file.size);
    out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(), [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < out.size(); ++i) {
    if (out[i].version == out[i - 1].version) {
      throw DbError("two " + std::string(dialect_folder(dialect)) + " migrations share version " +
                    std::to_string(out[i].version) + ": " + out[i - 1].name + " and " + out[i].name);
    }
  }
  return out;
}

MigrationReport migrate(Db& db, const Clock& clock) {
  const Dialect dialect = db.dialect();
  MigrationReport report;
  for (const Migration& m : migrations_for(dialect)) {
    const bool applied_here = db.transact([&](Connection& c) {
      if (dialect == Dialect::postgresql) {
        // Held until this transaction ends; a second instance starting now waits, then sees the
        // version applied and skips it.
        c.query("SELECT pg_advisory_xact_lock(?)", {kMigrationLockKey});
      }
      c.execute(kCreateTable);
      if (c.query_one(kIsApplied, {static_cast<std::int64_t>(m.version)})) {
        return false;
      }
      c.execute_script(m.sql);
      c.execute(kInsertApplied, {static_cast<std::int64_t>(m.version), m.name, clock()});
      return true;
    });
    if (applied_here) {
      report.applied_now.push_back(m.version);
    }
  }
  for (const AppliedMigration& a : applied(db)) {
    report.current_version = std::max(report.current_version, a.version);
  }
  return report;
}

std::vector<AppliedMigration> applied(Db& db) {
  const Dialect dialect = db.dialect();
  return db.read([&](Connection& c) {
    std::vector<AppliedMigration> out;
    if (!table_exists(c, dialect)) {
      return out;
    }
    for (const Row& row : c.query(kSelectApplied)) {
      out.push_back({static_cast<int>(row.int64(0)), row.text(1), row.int64(2)});
    }
    return out;
  });
}

} // namespace vikno::storage
