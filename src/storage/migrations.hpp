// Schema migrations: numbered SQL files per dialect, embedded in the binary, applied in order.
//
// Files live in src/storage/migrations/{sqlite,postgresql}/NNNN_name.sql; a module adds its own
// (0002_accounts.sql...) in both folders with the same number and name, and the build picks them
// up. Each migration runs in its own transaction together with its row in schema_migrations, so
// a failed migration leaves nothing half-applied. Never edit an applied file: add a new one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/time.hpp"
#include "storage/db.hpp"

namespace vikno::storage {

struct Migration {
  int version = 0;
  std::string name; // from the file name: 0001_audit.sql -> "audit"
  std::string sql;
};

// The embedded migrations of one dialect, sorted by version. Throws DbError on two files with the
// same version (a merge mistake that must not reach a database).
std::vector<Migration> migrations_for(Dialect dialect);

struct MigrationReport {
  std::vector<int> applied_now; // versions applied by this call, in order
  int current_version = 0;      // the highest version applied to the database (0 for none)
};

// Applies the pending migrations in order and is a no-op when there are none. Safe when several
// processes start at once: PostgreSQL serializes them on an advisory lock, SQLite on its write
// lock, and each re-checks under the lock whether its version is still pending.
MigrationReport migrate(Db& db, const Clock& clock = system_clock());

struct AppliedMigration {
  int version = 0;
  std::string name;
  Millis applied_at_ms = 0;
};

// What schema_migrations says, by version; empty when the table does not exist yet.
std::vector<AppliedMigration> applied(Db& db);

} // namespace vikno::storage
