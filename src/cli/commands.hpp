// The subcommands of `vikno`: one file each under src/cli/, registered by main.cpp.
// Each add_* function adds a subcommand (or a group) to the app; its callback throws
// CLI::RuntimeError(code) to end with a non-zero exit code.
#pragma once

#include <CLI/CLI.hpp>

namespace vikno::cli {

struct GlobalOptions; // defined in cli/options.hpp: --config, --db and the rest shared by commands

void add_serve_command(CLI::App& app, GlobalOptions& options);   // cli/serve.cpp
void add_migrate_command(CLI::App& app, GlobalOptions& options); // cli/migrate.cpp
void add_backup_command(CLI::App& app, GlobalOptions& options);  // cli/backup.cpp
void add_user_command(CLI::App& app, GlobalOptions& options);    // cli/user.cpp
void add_audit_command(CLI::App& app, GlobalOptions& options);   // cli/audit.cpp
void add_calendar_command(CLI::App& app);                        // cli/calendar.cpp
void add_network_command(CLI::App& app);                         // cli/network.cpp
void add_demo_command(CLI::App& app, GlobalOptions& options);    // cli/demo.cpp
void add_export_command(CLI::App& app, GlobalOptions& options);  // cli/export.cpp: export and import
void add_cases_command(CLI::App& app, GlobalOptions& options);   // cli/cases.cpp

} // namespace vikno::cli
