#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "storage/backup.hpp"
#include "storage/db.hpp"

namespace vikno::storage {
namespace {

namespace fs = std::filesystem;

TEST(StorageBackup, CopiesALiveDatabaseConsistentlyAndNeverOverwrites) {
  const fs::path folder = fs::temp_directory_path() / ("vikno-backup-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  const std::string live = (folder / "live.db").string();
  auto db = open_sqlite({.path = live});
  db->transact([](Connection& c) {
    c.execute_script("CREATE TABLE visits (id INTEGER PRIMARY KEY, n INTEGER NOT NULL);"
                     "CREATE TABLE totals (n INTEGER NOT NULL); INSERT INTO totals VALUES (0);");
  });
  // A writer keeps committing while the backup runs; each transaction keeps visits and totals in
  // step, so a torn copy would show them disagreeing.
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (std::int64_t i = 0; !stop; ++i) {
      db->transact([&](Connection& c) {
        c.execute("INSERT INTO visits (n) VALUES (?)", {i});
        c.execute("UPDATE totals SET n = n + 1");
      });
    }
  });
  while (db->read([](Connection& c) { return c.query_one("SELECT n FROM totals")->int64(0); }) < 200) {
    std::this_thread::yield();
  }
  const std::string copy = (folder / "backups" / "copy.db").string();
  backup_sqlite(live, copy);
  stop = true;
  writer.join();

  auto restored = open_sqlite({.path = copy});
  restored->read([](Connection& c) {
    EXPECT_EQ(c.query_one("PRAGMA integrity_check")->text(0), "ok");
    const auto visits = c.query_one("SELECT COUNT(*) FROM visits")->int64(0);
    EXPECT_GE(visits, 200);
    EXPECT_EQ(c.query_one("SELECT n FROM totals")->int64(0), visits);
  });
  restored->close();

  try {
    backup_sqlite(live, copy);
    FAIL() << "overwrote an existing backup";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("refusing to overwrite"), std::string::npos) << e.what();
  }
  EXPECT_THROW(backup_sqlite((folder / "missing.db").string(), (folder / "x.db").string()), std::runtime_error);
  for (const auto& entry : fs::directory_iterator(folder / "backups")) {
    EXPECT_EQ(entry.path().filename().string().find(".partial"), std::string::npos) << entry.path();
  }
  db->close();
  fs::remove_all(folder);
}

} // namespace
} // namespace vikno::storage
