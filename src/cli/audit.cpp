// vikno audit verify: recomputes the audit log's keyed hash chain and checks it against the signed
// checkpoints; exits 0 when intact, 1 naming what it found, 3 when it could not check everything
// (no key file). vikno audit checkpoint: writes a signed checkpoint of the head now.
#include <cstdio>

#include "app/config.hpp"
#include "audit/audit.hpp"
#include "audit/checkpoint.hpp"
#include "audit/keys.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "storage/migrations.hpp"

namespace vikno::cli {

namespace {

constexpr int kIncomplete = 3;

void print_report(const audit::VerifyReport& report, const app::AuditConfig& files) {
  for (const auto& w : report.warnings) {
    std::printf("warning: %s\n", w.c_str());
  }
  if (!report.ok) {
    std::printf("журнал аудиту ПОШКОДЖЕНО / audit log BROKEN (%lld entries checked, head %lld):\n",
                static_cast<long long>(report.entries), static_cast<long long>(report.head_id));
    for (const auto& p : report.problems) {
      std::printf("  %s\n", p.message.c_str());
    }
    return;
  }
  if (!report.complete) {
    std::printf("журнал аудиту перевірено не повністю / audit log NOT FULLY CHECKED: %lld entries, no problem found, "
                "but %s (key file %s, signing key file %s)\n",
                static_cast<long long>(report.entries), report.unchecked.c_str(), files.key_file.c_str(),
                files.signing_key_file.c_str());
    return;
  }
  std::printf("журнал аудиту цілий / audit log intact: %lld entries, %lld checkpoints (newest at head %lld)\n",
              static_cast<long long>(report.entries), static_cast<long long>(report.checkpoints),
              static_cast<long long>(report.newest_checkpoint));
}

} // namespace

void add_audit_command(CLI::App& app, GlobalOptions& options) {
  CLI::App* audit_cmd = app.add_subcommand("audit", "Inspect the hash-chained audit log");
  audit_cmd->require_subcommand(1);
  CLI::App* verify = audit_cmd->add_subcommand(
      "verify", "Check that no entry was edited, removed or reordered, against the key and the signed checkpoints");
  verify->callback([&options] {
    app::Config config = resolve_config(options);
    const app::AuditConfig files = app::resolved_audit(config);
    auto db = storage::open(config.db_url, config.sqlite_synchronous);
    storage::migrate(*db);
    // Read, never created: a verify must not make up a key the chain was not keyed with.
    audit::VerifyOptions verify_options;
    verify_options.key = audit::read_chain_key(files.key_file);
    verify_options.checkpoint_dir = files.checkpoint_dir;
    if (auto signing = audit::read_signing_key(files.signing_key_file)) {
      verify_options.public_key = signing->public_key;
    }
    auto report = audit::verify(*db, verify_options);
    db->close();
    print_report(report, files);
    if (!report.ok) {
      throw CLI::RuntimeError(1);
    }
    if (!report.complete) {
      throw CLI::RuntimeError(kIncomplete);
    }
  });

  CLI::App* checkpoint = audit_cmd->add_subcommand(
      "checkpoint", "Write a signed checkpoint of the chain head to audit.checkpoint_dir now");
  checkpoint->callback([&options] {
    app::Config config = resolve_config(options);
    const app::AuditConfig files = app::resolved_audit(config);
    auto db = storage::open(config.db_url, config.sqlite_synchronous);
    storage::migrate(*db);
    const audit::Keys keys = audit::open_keys(*db, files.key_file, files.signing_key_file);
    auto outcome = audit::write_checkpoint(*db, files.checkpoint_dir, keys.signing, system_clock()());
    db->close();
    if (outcome.written) {
      std::printf("checkpoint of head %lld written: %s\n", static_cast<long long>(outcome.head_id),
                  outcome.written->c_str());
    } else {
      std::printf("no checkpoint written: %s\n", outcome.why_not.c_str());
    }
  });
}

} // namespace vikno::cli
