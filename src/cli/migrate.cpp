// vikno migrate: applies pending migrations and reports the schema version.
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "storage/migrations.hpp"

namespace vikno::cli {

void add_migrate_command(CLI::App& app, GlobalOptions& options) {
  CLI::App* cmd = app.add_subcommand("migrate", "Apply pending database migrations (serve also does at start)");
  cmd->callback([&options] {
    app::Config config = resolve_config(options);
    auto db = storage::open(config.db_url, config.sqlite_synchronous);
    auto report = storage::migrate(*db);
    for (int version : report.applied_now) {
      std::printf("applied migration %04d\n", version);
    }
    std::printf("schema version %d\n", report.current_version);
    db->close();
  });
}

} // namespace vikno::cli
