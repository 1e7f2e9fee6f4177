// vikno: one binary for every role of the system. `vikno --help` lists the subcommands; each
// lives in its own file under src/cli/.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

#include "app/config.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace vikno::cli {

app::Config resolve_config(const GlobalOptions& options) {
  auto config = app::load_config(options.config_file, app::process_env());
  if (!config) {
    std::fprintf(stderr, "vikno: configuration: %s\n", config.error().message.c_str());
    throw CLI::RuntimeError(2);
  }
  if (options.db_url) {
    config->db_url = *options.db_url;
  }
  return std::move(*config);
}

} // namespace vikno::cli

int main(int argc, char** argv) {
  CLI::App app{"Vikno: e-queue, booking, cases, quality and network planning for administrative service "
               "centers (ЦНАП)",
               "vikno"};
  app.require_subcommand(1);
  // Subcommands inherit this: `vikno serve --db URL` and `vikno --db URL serve` both work.
  app.fallthrough();
  vikno::cli::GlobalOptions options;
  app.add_option("--config", options.config_file, "TOML configuration file (default: ./vikno.toml if present)");
  app.add_option("--db", options.db_url, "database: sqlite:PATH or postgresql://... (default sqlite:var/vikno.db)");

  vikno::cli::add_serve_command(app, options);
  vikno::cli::add_migrate_command(app, options);
  vikno::cli::add_backup_command(app, options);
  vikno::cli::add_user_command(app, options);
  vikno::cli::add_audit_command(app, options);
  vikno::cli::add_calendar_command(app);
  vikno::cli::add_network_command(app);
  vikno::cli::add_demo_command(app, options);
  vikno::cli::add_export_command(app, options);
  vikno::cli::add_cases_command(app, options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vikno: %s\n", e.what());
    return 1;
  }
  return 0;
}
