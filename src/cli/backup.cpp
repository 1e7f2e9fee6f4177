// vikno backup FILE: a consistent copy of the live SQLite database.
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "storage/backup.hpp"

namespace vikno::cli {

void add_backup_command(CLI::App& app, GlobalOptions& options) {
  auto dest = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("backup", "Copy the live SQLite database to FILE (never overwrites)");
  cmd->add_option("FILE", *dest, "where to write the copy")->required();
  cmd->callback([&options, dest] {
    app::Config config = resolve_config(options);
    if (!config.db_url.starts_with("sqlite:")) {
      std::fprintf(stderr, "vikno backup: only SQLite databases; back up PostgreSQL with pg_dump\n");
      throw CLI::RuntimeError(2);
    }
    storage::backup_sqlite(config.db_url.substr(7), *dest);
    std::printf("backup written to %s\n", dest->c_str());
  });
}

} // namespace vikno::cli
