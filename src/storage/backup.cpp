#include "storage/backup.hpp"

#include <sqlite3.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace vikno::storage {

namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error("backup: " + what); }

void fsync_path(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) {
    fail("cannot open " + path.string() + " to sync it: " + std::strerror(errno));
  }
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) {
    fail("cannot sync " + path.string() + ": " + std::strerror(saved));
  }
}

struct Handle {
  sqlite3* db = nullptr;
  ~Handle() { sqlite3_close_v2(db); }
};

} // namespace

void backup_sqlite(const std::string& db_path, const std::string& dest_path) {
  const fs::path dest(dest_path);
  if (fs::exists(fs::symlink_status(dest))) {
    fail("refusing to overwrite the existing file " + dest_path);
  }
  if (!fs::exists(db_path)) {
    fail("no database at " + db_path);
  }
  fs::path folder = dest.parent_path().empty() ? fs::path(".") : dest.parent_path();
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) {
    fail("cannot create " + folder.string() + ": " + ec.message());
  }
  const fs::path partial = fs::path(dest_path + ".partial-" + std::to_string(::getpid()));
  fs::remove(partial, ec);

  Handle source;
  if (sqlite3_open_v2(db_path.c_str(), &source.db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    fail("cannot open " + db_path + ": " + sqlite3_errmsg(source.db));
  }
  sqlite3_busy_timeout(source.db, 10000);
  // VACUUM INTO copies inside one read transaction: a consistent snapshot that does not block
  // the live server's writer under WAL, unlike the backup API which restarts whenever the
  // source changes. The path goes in as a parameter, so any character in it is safe.
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(source.db, "VACUUM INTO ?", -1, &stmt, nullptr) != SQLITE_OK) {
    fail(std::string("cannot prepare VACUUM INTO: ") + sqlite3_errmsg(source.db));
  }
  const std::string partial_text = partial.string();
  sqlite3_bind_text(stmt, 1, partial_text.c_str(), -1, SQLITE_TRANSIENT);
  const int rc = sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) {
    const std::string message = sqlite3_errmsg(source.db);
    fs::remove(partial, ec);
    fail("copying " + db_path + " failed: " + message);
  }

  fsync_path(partial, O_RDONLY);
  // link() fails when dest exists, so a backup started meanwhile by someone else is not clobbered.
  if (::link(partial.c_str(), dest.c_str()) != 0) {
    const int saved = errno;
    fs::remove(partial, ec);
    if (saved == EEXIST) {
      fail("refusing to overwrite the existing file " + dest_path);
    }
    fail("cannot create " + dest_path + ": " + std::strerror(saved));
  }
  fs::remove(partial, ec);
  fsync_path(folder, O_RDONLY | O_DIRECTORY);
}

} // namespace vikno::storage
