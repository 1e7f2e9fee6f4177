// vikno audit verify: recomputes the audit log's hash chain; exits 1 naming the first bad entry.
#include <cstdio>

#include "audit/audit.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace vikno::cli {

void add_audit_command(CLI::App& app, GlobalOptions& options) {
  CLI::App* audit_cmd = app.add_subcommand("audit", "Inspect the hash-chained audit log");
  audit_cmd->require_subcommand(1);
  CLI::App* verify = audit_cmd->add_subcommand("verify", "Check that no entry was edited, removed or reordered");
  verify->callback([&options] {
    app::Config config = resolve_config(options);
    auto db = storage::open(config.db_url, config.sqlite_synchronous);
    auto report = audit::verify(*db);
    db->close();
    if (report.ok) {
      std::printf("audit log intact: %lld entries\n", static_cast<long long>(report.entries));
      return;
    }
    std::printf("audit log BROKEN at entry %lld: %s (%lld entries checked)\n",
                static_cast<long long>(report.first_bad_id.value_or(0)), report.problem.c_str(),
                static_cast<long long>(report.entries));
    throw CLI::RuntimeError(1);
  });
}

} // namespace vikno::cli
