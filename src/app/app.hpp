// App: the composition root. Config -> storage -> services -> routes -> server. Nothing depends
// on it; cli/ uses it to serve and to run commands against the same database.
#pragma once

#include <memory>

#include "alerts/alerts.hpp"
#include "app/config.hpp"
#include "audit/keys.hpp"
#include "auth/accounts.hpp"
#include "cases/service.hpp"
#include "common/time.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "live/hub.hpp"
#include "media/speech.hpp"
#include "queue/service.hpp"
#include "registry/registry.hpp"
#include "storage/db.hpp"

namespace vikno::app {

class App {
public:
  // Opens the database and applies pending migrations. Throws vikno::Unavailable when the
  // database cannot be reached.
  explicit App(Config config);
  ~App();

  [[nodiscard]] storage::Db& db() { return *db_; }
  [[nodiscard]] auth::Accounts& accounts() { return *accounts_; }
  [[nodiscard]] registry::Registry& registry() { return *registry_; }
  [[nodiscard]] queue::QueueService& queue() { return *queue_; }
  [[nodiscard]] const http::Router& router() const { return router_; }
  [[nodiscard]] const Config& config() const { return config_; }
  [[nodiscard]] alerts::Board& alerts() { return alerts_; }

  // Serves until SIGINT/SIGTERM; prints the first admin's password at first start. Returns the
  // process exit code.
  int serve();

private:
  void add_platform_routes();
  void add_test_clock_route();

  Config config_;
  ShiftedClock clock_; // the clock of every service: the wall clock, or shifted for tests
  std::unique_ptr<storage::Db> db_;
  AuditConfig audit_files_; // config_.audit with its defaults filled in
  audit::Keys audit_keys_;  // loaded (created at first start) before any service can append
  std::unique_ptr<auth::Accounts> accounts_;
  std::unique_ptr<registry::Registry> registry_;
  live::LiveHub live_;
  alerts::Board alerts_; // what the heads and the system administrator must hear about now
  std::unique_ptr<media::Announcer> announcer_;
  std::unique_ptr<queue::QueueService> queue_;
  std::unique_ptr<seal::Keyring> case_keys_; // seals applicants' personal data (cases.key_file)
  std::unique_ptr<cases::CaseService> cases_;
  http::Metrics metrics_;
  http::Router router_;
};

} // namespace vikno::app
