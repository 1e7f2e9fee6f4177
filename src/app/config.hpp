// Config: everything `vikno serve` can be told, from three sources in rising precedence: a TOML
// file (--config, VIKNO_CONFIG, or ./vikno.toml when present), VIKNO_* environment variables,
// and command-line flags. docs/configuration.md lists every key.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "common/error.hpp"
#include "common/time.hpp"
#include "http/server.hpp"

namespace vikno::app {

// The audit chain's secrets and its checkpoints (src/audit/README.md), all outside the database.
// Empty: beside the SQLite database file (var/ for the default one), or in var/ for PostgreSQL,
// which suits `make run`; in production keep them elsewhere (docs/security.md).
struct AuditConfig {
  std::string key_file;         // the chain key (audit.key); created at first start
  std::string signing_key_file; // the checkpoints' Ed25519 seed (audit-signing.key); created too
  std::string checkpoint_dir;   // where signed checkpoints of the head go (audit-checkpoints/)
  int checkpoint_seconds = 300; // how often, when the head moved
};

// Applications and cases (src/cases/README.md).
struct CasesConfig {
  // The keys that seal applicants' personal data at rest (src/seal); empty: personal-data.key
  // beside the SQLite database (var/ for PostgreSQL), created at first start. docs/security.md
  // says how to keep and rotate it.
  std::string key_file;
  int due_soon_working_days = 2; // a case is "due soon" this many working days before its deadline
  int retention_years = 5;       // then the applicant's personal data is anonymized
};

struct Config {
  std::string db_url = "sqlite:var/vikno.db";
  std::string sqlite_synchronous = "FULL"; // FULL or NORMAL
  http::ServerOptions server;
  std::string static_dir = "web/dist";
  std::optional<std::string> admin_password;                       // first start only; VIKNO_ADMIN_PASSWORD
  bool load_demo = true;                                           // fill an empty database with the demo center
  std::string network_settlements = "data/geo/ua-settlements.csv"; // "builtin" settlements of network planning
  // The address citizens' phones reach the server at (ticket QR codes link to <public_url>/t/<token>);
  // empty: http://<server.address>:<port>.
  std::string public_url;
  // /metrics from an address that is not loopback needs `Authorization: Bearer <metrics_token>`;
  // empty: loopback only. server.metrics_token, VIKNO_METRICS_TOKEN.
  std::string metrics_token;
  // Password hashes (sign-in, password change) that may run at once; more are refused with 503
  // busy. 0: half the cores, at least one.
  int max_concurrent_hashes = 0;
  // How often the server closes the day's queue in centers whose opening hours are over.
  int queue_sweep_seconds = 60;
  // Tickets one kiosk (device token) may issue: `kiosk_issue_burst` at once, refilled at
  // `kiosk_issues_per_minute`; beyond that 429 and an alert on the head's page.
  int kiosk_issues_per_minute = 30;
  int kiosk_issue_burst = 10;
  // For tests: the server's clock runs this far ahead of the wall clock (negative: behind), from
  // the start. VIKNO_CLOCK_OFFSET_MS or `serve --clock-offset`; never from the TOML file.
  Millis clock_offset_ms = 0;
  // For tests: POST /api/v1/test/clock (system admin) moves the server's clock on. Only the
  // `serve --test-clock` flag sets it (no file, no environment), so it cannot be left on by accident.
  bool test_clock = false;
  AuditConfig audit;
  CasesConfig cases;
};

// config.cases.key_file filled in as described there.
std::string resolved_cases_key_file(const Config& config);

// config.audit with the empty paths filled in as described there.
AuditConfig resolved_audit(const Config& config);

using EnvLookup = std::function<std::optional<std::string>(const char*)>;
EnvLookup process_env();

// Reads the TOML file (when given or present) and then the environment over it. Unknown keys and
// wrong types are errors naming the key, so a typo in the file is not silently ignored.
Result<Config> load_config(const std::optional<std::string>& file, const EnvLookup& env);

// Applies one TOML document (as text) over a config; `origin` names it in error messages.
Result<void> apply_toml(Config& config, const std::string& text, const std::string& origin);

} // namespace vikno::app
