#include "app/app.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <mutex>
#include <stop_token>
#include <thread>

#include "app/openapi.hpp"
#include "audit/audit.hpp"
#include "audit/checkpoint.hpp"
#include "auth/routes.hpp"
#include "auth/secrets.hpp"
#include "cases/routes.hpp"
#include "common/json.hpp"
#include "common/log.hpp"
#include "http/peer.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "network/routes.hpp"
#include "queue/routes.hpp"
#include "registry/demo.hpp"
#include "registry/routes.hpp"
#include "storage/migrations.hpp"

namespace vikno::app {

namespace bj = boost::json;
using http::Request;
using http::Response;
using http::RouteOptions;

namespace {
// One metric in the Prometheus text format: help, type and its samples (labels in braces, or "").
std::string metric(std::string_view name, std::string_view type, std::string_view help,
                   std::initializer_list<std::pair<std::string_view, std::int64_t>> samples) {
  std::string out = fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  for (const auto& [labels, value] : samples) {
    out += fmt::format("{}{} {}\n", name, labels, value);
  }
  return out;
}

// The registry's working access points for network planning: every active center, branch,
// remote workplace and mobile office with coordinates; its active windows are its capacity.
std::vector<network::AccessPoint> access_points(const registry::Registry& registry) {
  std::vector<network::AccessPoint> out;
  for (const auto& c : registry.list_centers()) {
    const auto& p = c.profile;
    if (p.status != registry::CenterStatus::active || !p.latitude || !p.longitude) {
      continue;
    }
    auto windows = std::count_if(c.windows.begin(), c.windows.end(), [](const auto& w) { return w.active; });
    out.push_back({std::to_string(c.id), p.name_uk, network::GeoPoint{*p.latitude, *p.longitude},
                   static_cast<double>(std::max<std::ptrdiff_t>(windows, 1))});
  }
  return out;
}
// /metrics (issue 14): from loopback (behind a trusted proxy: the client it names), or with
// `Authorization: Bearer <metrics token>`; compared in constant time.
bool metrics_allowed(const Request& req, const std::string& token) {
  if (http::is_loopback(req.remote_ip)) {
    return true;
  }
  auto header = req.header("authorization");
  if (token.empty() || !header || !header->starts_with("Bearer ")) {
    return false;
  }
  std::string_view given = header->substr(7);
  unsigned char diff = given.size() == token.size() ? 0 : 1;
  for (std::size_t i = 0; i < token.size(); ++i) {
    diff |= static_cast<unsigned char>(token[i] ^ (i < given.size() ? given[i] : 0));
  }
  return diff == 0;
}

// "https://cnap.example.ua" of "https://cnap.example.ua/vikno": what a browser sends as Origin.
std::string origin_of(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) {
    return {};
  }
  return url.substr(0, url.find('/', scheme + 3));
}

// GET /api/v1/audit/verify: what `vikno audit verify` prints, as JSON.
bj::object audit_report_json(const audit::VerifyReport& report) {
  bj::object out{{"ok", report.ok},
                 {"complete", report.complete},
                 {"entries", report.entries},
                 {"head_id", report.head_id},
                 {"keyed_from", report.keyed_from},
                 {"checkpoints", report.checkpoints},
                 {"newest_checkpoint", report.newest_checkpoint}};
  if (report.first_bad_id) {
    out["first_bad_id"] = *report.first_bad_id;
  }
  if (!report.ok) {
    out["problem"] = report.problem;
  }
  bj::array problems;
  for (const auto& p : report.problems) {
    bj::object o{{"code", p.code}, {"message", p.message}};
    if (p.entry) {
      o["entry"] = *p.entry;
    }
    problems.push_back(std::move(o));
  }
  out["problems"] = std::move(problems);
  bj::array warnings;
  for (const auto& w : report.warnings) {
    warnings.push_back(bj::string(w));
  }
  out["warnings"] = std::move(warnings);
  if (!report.complete) {
    out["unchecked"] = report.unchecked;
  }
  return out;
}
} // namespace

App::App(Config config) : config_(std::move(config)), clock_(config_.clock_offset_ms) {
  auth::init_crypto();
  db_ = storage::open(config_.db_url, config_.sqlite_synchronous);
  storage::migrate(*db_);
  audit_files_ = resolved_audit(config_);
  audit_keys_ = audit::open_keys(*db_, audit_files_.key_file, audit_files_.signing_key_file);
  accounts_ = std::make_unique<auth::Accounts>(
      *db_, clock_.clock(), alerts_, auth::AccountsOptions{.max_concurrent_hashes = config_.max_concurrent_hashes});
  auth::add_account_routes(router_, *accounts_, {.secure = config_.public_url.starts_with("https://")});
  registry_ = std::make_unique<registry::Registry>(*db_, clock_.clock());
  registry::add_registry_routes(router_, *registry_);
  network::add_network_routes(router_, {.settlements_file = config_.network_settlements,
                                        .registry_points = [this] { return access_points(*registry_); }});
  announcer_ = std::make_unique<media::Announcer>();
  queue_ = std::make_unique<queue::QueueService>(*db_, *registry_, clock_.clock(), live_, config_.public_url);
  queue_->set_alerts(alerts_);
  queue::add_queue_routes(router_, *queue_, *announcer_,
                          {.per_minute = config_.kiosk_issues_per_minute, .burst = config_.kiosk_issue_burst});
  auto keys = seal::Keyring::load_or_create(resolved_cases_key_file(config_));
  if (!keys) {
    throw std::runtime_error("cannot open the personal data key file: " + keys.error().message);
  }
  case_keys_ = std::make_unique<seal::Keyring>(std::move(*keys));
  cases_ = std::make_unique<cases::CaseService>(*db_, *registry_, *case_keys_, clock_.clock(),
                                                cases::CaseOptions{.due_soon_days = config_.cases.due_soon_working_days,
                                                                   .retention_years = config_.cases.retention_years,
                                                                   .public_url = config_.public_url});
  cases::add_case_routes(router_, *cases_);
  add_platform_routes();
  if (config_.test_clock) {
    add_test_clock_route();
  }
}

App::~App() {
  if (db_) {
    db_->close();
  }
}

void App::add_platform_routes() {
  router_.add("GET", "/healthz", [](Request&) -> Result<Response> {
    return Response::json(bj::object{{"status", "ok"}});
  });
  router_.add("GET", "/readyz", [this](Request&) -> Result<Response> {
    if (!db_->ping()) {
      return fail({ErrorKind::unavailable, "database_unavailable", "the database cannot be reached now", {}});
    }
    if (!db_->writes_work()) { // reads may still work; a full disk refuses every change
      return fail(
          {ErrorKind::unavailable, "writes_failing", "the database refuses writes now (is its disk full?)", {}});
    }
    return Response::json(bj::object{{"status", "ready"}});
  });
  router_.add("GET", "/metrics", [this](Request& req) -> Result<Response> {
    if (!metrics_allowed(req, config_.metrics_token)) {
      return fail({ErrorKind::forbidden,
                   "metrics_forbidden",
                   "/metrics is open to loopback and to the metrics token (server.metrics_token) only",
                   {}});
    }
    return Response::text(metrics_.render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  router_.add("GET", "/api/v1/openapi.json",
              [](Request&) -> Result<Response> { return Response::json(openapi_json()); });
  router_.add(
      "GET", "/api/v1/audit",
      [this](Request& req) -> Result<Response> {
        VIKNO_TRY(after, req.query_int_or("after_id", 0, 0, std::numeric_limits<std::int64_t>::max()));
        VIKNO_TRY(limit, req.query_int_or("limit", 100, 1, 1000));
        bj::array out;
        for (const auto& r : audit::page(*db_, after, static_cast<int>(limit))) {
          out.push_back(bj::object{{"id", r.id},
                                   {"at", format_iso8601(r.entry.at)},
                                   {"actor", r.entry.actor},
                                   {"action", r.entry.action},
                                   {"object_type", r.entry.object_type},
                                   {"object_id", r.entry.object_id},
                                   {"source", r.entry.source},
                                   {"hash", r.hash}});
        }
        return Response::json(bj::object{{"entries", std::move(out)}});
      },
      RouteOptions{.permission = auth::Permission::users_manage});
  router_.add(
      "GET", "/api/v1/alerts",
      [this](Request&) -> Result<Response> {
        return Response::json(bj::object{{"alerts", alerts::to_json(alerts_.open(std::nullopt, clock_.clock()()))}});
      },
      RouteOptions{.permission = auth::Permission::users_manage});
  router_.add(
      "GET", "/api/v1/centers/{center_id}/alerts",
      [this](Request& req) -> Result<Response> {
        VIKNO_TRY(center, req.id_param("center_id"));
        return Response::json(bj::object{{"alerts", alerts::to_json(alerts_.open(center, clock_.clock()()))}});
      },
      RouteOptions{.permission = auth::Permission::center_manage, .center_param = "center_id"});
  router_.add(
      "GET", "/api/v1/audit/verify",
      [this](Request&) -> Result<Response> {
        auto report = audit::verify(*db_, {.key = audit_keys_.chain,
                                           .checkpoint_dir = audit_files_.checkpoint_dir,
                                           .public_key = audit_keys_.signing.public_key});
        return Response::json(audit_report_json(report));
      },
      RouteOptions{.permission = auth::Permission::users_manage});

  metrics_.add_gauge_source([this] {
    return metric("vikno_live_subscribers", "gauge", "Open live event subscriptions (displays, consoles, phones).",
                  {{"", static_cast<std::int64_t>(live_.subscribers())}});
  });
  metrics_.add_gauge_source([this] {
    auto s = db_->stats();
    return metric(
        "vikno_db_connections", "gauge", "Database connections by state.",
        {{R"({state="open"})", s.size}, {R"({state="in_use"})", s.in_use}, {R"({state="waiting"})", s.waiting}});
  });
  metrics_.add_gauge_source([this] {
    auto g = db_->group_stats();
    return metric("vikno_db_commits_total", "counter",
                  "Write transactions committed (a group commit holds one or more writes).", {{"", g.commits}}) +
           metric("vikno_db_writes_total", "counter", "Writes committed in those transactions.", {{"", g.writes}});
  });
}

// Only with `serve --test-clock`: tests move the server's clock on instead of waiting (a wait past a
// center's target, the end of a day). Forwards only; a system admin's, like the audit log.
void App::add_test_clock_route() {
  constexpr std::int64_t kMaxAdvance = 366LL * 24 * 3600 * 1000;
  router_.add(
      "POST", "/api/v1/test/clock",
      [this](Request& req) -> Result<Response> {
        VIKNO_TRY(body, req.json_body());
        VIKNO_TRY(advance, json::required_int(body, "advance_ms"));
        if (advance < 1 || advance > kMaxAdvance) {
          return fail(Error::field("advance_ms", "must be from 1 ms to a year"));
        }
        clock_.advance(advance);
        return Response::json(bj::object{{"at", format_iso8601(clock_.clock()())}, {"offset_ms", clock_.offset()}});
      },
      RouteOptions{.permission = auth::Permission::users_manage});
}

int App::serve() {
  if (auto admin = accounts_->ensure_first_admin(config_.admin_password)) {
    std::printf("\n  Перший запуск: створено обліковий запис адміністратора системи.\n"
                "  First start: the system administrator account was created.\n"
                "    login:    admin\n    password: %s\n"
                "  Збережіть пароль: його показано лише раз. Keep it: it is shown only once.\n\n",
                config_.admin_password ? "(from VIKNO_ADMIN_PASSWORD)" : admin->password.c_str());
    std::fflush(stdout);
  }
  // An empty database gets the demo network so a newcomer has something to try (VIKNO_DEMO=false: not).
  std::optional<registry::DemoSummary> demo;
  if (config_.load_demo && !registry_->has_centers()) {
    auto loaded = registry::load_demo(*registry_, *accounts_);
    if (!loaded) {
      log::error("the demo could not be loaded", {{"what", loaded.error().message}});
    } else {
      demo = std::move(*loaded);
    }
  }
  http::Fallback fallback;
  std::shared_ptr<http::StaticFiles> files;
  if (std::filesystem::is_directory(config_.static_dir)) {
    files = std::make_shared<http::StaticFiles>(config_.static_dir);
    fallback = [files](const Request& req) { return files->serve(req); };
  } else {
    // Without a built front end, "/" still tells a newcomer what is running and where to look.
    fallback = [](const Request& req) -> std::optional<Response> {
      if (req.path != "/") {
        return std::nullopt;
      }
      return Response::text("<!doctype html><html lang=\"uk\"><meta charset=\"utf-8\"><title>Вікно</title>"
                            "<h1>Вікно працює</h1><p>Сервер ЦНАП запущено. Веб-інтерфейс ще не зібрано.</p>"
                            "<p lang=\"en\">Vikno is running. The web front end is not built; the API is described at "
                            "<a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>.</p></html>",
                            "text/html; charset=utf-8");
    };
  }
  http::ServerOptions options = config_.server;
  options.public_origin = origin_of(config_.public_url); // WebSocket upgrades from another origin: 403
  http::Server server(
      options, router_, metrics_, [this](const Request& req) { return auth::authenticate_request(*accounts_, req); },
      fallback);
  server.bind();
  if (config_.public_url.empty()) {
    bool any = config_.server.address == "0.0.0.0" || config_.server.address == "::";
    const std::string url =
        fmt::format("http://{}:{}", any ? "localhost" : config_.server.address, server.bound_port());
    queue_->set_public_url(url);
    cases_->set_public_url(url);
  }
  queue_->set_kiosk_lookup([this](std::int64_t center_id) {
    auto devices = accounts_->list_devices(center_id);
    return std::any_of(devices.begin(), devices.end(),
                       [](const auto& d) { return d.purpose == auth::DevicePurpose::kiosk && !d.revoked; });
  });
  // Every center's open tickets are in memory before the first request (a restart resumes the day).
  queue_->warm_up();
  for (const auto& c : registry_->list_centers()) {
    if (queue_->tracking_unreachable(c.id)) {
      log::warn("tracking links on tickets point at a loopback address that citizens' phones cannot open; set "
                "server.public_url (VIKNO_PUBLIC_URL)",
                {{"public_url", config_.public_url.empty() ? std::string("(default)") : config_.public_url},
                 {"center_id", c.id}});
      break;
    }
  }
  if (demo) {
    std::fputs(registry::describe_demo(*demo, "http://localhost:" + std::to_string(server.bound_port())).c_str(),
               stdout);
  }
  // The integration tests and bench-queue.mjs read the port from this line: keep "url" right after "msg".
  log::info("serving",
            {{"url", fmt::format("http://{}:{}", config_.server.address, server.bound_port())},
             {"db", config_.db_url.starts_with("sqlite:") ? std::string_view(config_.db_url) : "postgresql"}});
  // The queue's end of the day by the clock (a center's opening hours are over).
  std::jthread sweeper([this](const std::stop_token& stop) {
    std::mutex m;
    std::condition_variable_any cv;
    std::unique_lock lock(m);
    for (;;) {
      // Returns early only when a stop is requested (the predicate is never true by itself).
      cv.wait_for(lock, stop, std::chrono::seconds(config_.queue_sweep_seconds), [] { return false; });
      if (stop.stop_requested()) {
        return;
      }
      try {
        if (int n = queue_->close_after_hours(); n > 0) {
          log::info("queue closed after hours", {{"tickets", n}});
        }
      } catch (const std::exception& e) {
        log::error("queue sweep failed", {{"what", e.what()}});
      }
    }
  });
  // Signed checkpoints of the audit chain head outside the database: now, every
  // audit.checkpoint_seconds when the head moved, and once more after the server stops.
  audit::Checkpointer checkpointer(*db_, audit_files_.checkpoint_dir, audit_keys_.signing, clock_.clock(),
                                   std::chrono::seconds(config_.audit.checkpoint_seconds));
  server.run();
  sweeper.request_stop();
  sweeper.join();
  checkpointer.stop();
  db_->close();
  log::info("stopped");
  return 0;
}

} // namespace vikno::app
