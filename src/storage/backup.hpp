// Online backup of the embedded SQLite database, for `vikno backup` and the operations guide.
// PostgreSQL deployments back up with the server's own tools (pg_dump, base backups).
#pragma once

#include <string>

namespace vikno::storage {

// Writes a consistent copy of the SQLite database at db_path to dest_path while the server keeps
// running (a snapshot as of one moment: it reads inside a single read transaction, and WAL lets
// writers go on meanwhile). The copy is written beside dest_path, synced to disk and only then
// given its name, so dest_path never holds a half-written file. Throws std::runtime_error when
// dest_path already exists (a backup never overwrites) or on any failure.
void backup_sqlite(const std::string& db_path, const std::string& dest_path);

} // namespace vikno::storage
