// vikno demo [--reset]: fills the database with the demo network (registry/demo.hpp) and prints
// the staff logins and device links. --reset first throws away everything in the database.
#include <cstdio>
#include <filesystem>

#include "app/app.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "registry/demo.hpp"

namespace vikno::cli {

namespace {

// Empties the database: SQLite by removing its files, PostgreSQL by recreating the public schema.
void wipe(const app::Config& config) {
  if (config.db_url.starts_with("sqlite:")) {
    const std::string path = config.db_url.substr(7);
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::error_code ec;
      std::filesystem::remove(path + suffix, ec);
    }
    return;
  }
  auto db = storage::open(config.db_url, config.sqlite_synchronous);
  db->transact([](storage::Connection& c) { c.execute_script("DROP SCHEMA public CASCADE; CREATE SCHEMA public;"); });
  db->close();
}

} // namespace

void add_demo_command(CLI::App& app, GlobalOptions& options) {
  auto reset = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("demo", "Load the demo network (a city center, branches, remote workplaces, "
                                             "64 services, staff) and print the logins and device links");
  cmd->add_flag("--reset", *reset, "first delete EVERYTHING in the database, then load the demo");
  cmd->callback([&options, reset] {
    app::Config config = resolve_config(options);
    if (*reset) {
      wipe(config);
      std::printf("The database was emptied.\n");
    }
    app::App vikno_app(config);
    if (vikno_app.registry().has_centers()) {
      std::fprintf(stderr, "vikno demo: the database already has centers; `vikno demo --reset` replaces everything "
                           "with the demo\n");
      throw CLI::RuntimeError(1);
    }
    if (auto admin = vikno_app.accounts().ensure_first_admin(config.admin_password)) {
      std::printf("System administrator: login admin, password %s\n",
                  config.admin_password ? "(from VIKNO_ADMIN_PASSWORD)" : admin->password.c_str());
    }
    auto demo = registry::load_demo(vikno_app.registry(), vikno_app.accounts());
    if (!demo) {
      std::fprintf(stderr, "vikno demo: %s\n", demo.error().message.c_str());
      throw CLI::RuntimeError(1);
    }
    const std::string base = "http://localhost:" + std::to_string(config.server.port == 0 ? 8080 : config.server.port);
    std::fputs(registry::describe_demo(*demo, base).c_str(), stdout);
  });
}

} // namespace vikno::cli
