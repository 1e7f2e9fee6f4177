#include "app/config.hpp"

#include <toml++/toml.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace vikno::app {

namespace {

Error config_error(const std::string& key, const std::string& problem) {
  return Error::invalid("invalid_config", key + ": " + problem, {{key, problem, 0}});
}

Result<int> to_int(const std::string& key, const std::string& text, int min, int max) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size() || value < min || value > max) {
    return fail(config_error(key, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max)));
  }
  return value;
}

Result<bool> to_bool(const std::string& key, const std::string& text) {
  if (text == "1" || text == "true" || text == "yes" || text == "on") {
    return true;
  }
  if (text == "0" || text == "false" || text == "no" || text == "off") {
    return false;
  }
  return fail(config_error(key, "must be true or false"));
}

Result<std::string> to_synchronous(const std::string& key, const std::string& text) {
  if (text == "FULL" || text == "NORMAL") {
    return text;
  }
  return fail(config_error(key, "must be FULL or NORMAL"));
}

// The setter of an integer setting in [min, max]; `store` puts the value in the config.
template <class Store> auto int_setting(int min, int max, Store store) {
  return [min, max, store](Config& c, const std::string& k, const std::string& v) -> Result<void> {
    VIKNO_TRY(value, to_int(k, v, min, max));
    store(c, value);
    return {};
  };
}

// The setter of a file or folder setting: any non-empty path.
template <class Field> auto path_setting(Field field) {
  return [field](Config& c, const std::string& k, const std::string& v) -> Result<void> {
    if (v.empty()) {
      return fail(config_error(k, "must be a path"));
    }
    field(c) = v;
    return {};
  };
}

// One setting, reachable from TOML ("section.key") and the environment (VIKNO_*). Each setter
// parses text, so the file and the environment go through the same checks.
struct Setting {
  const char* toml_key;
  const char* env_name;
  std::function<Result<void>(Config&, const std::string& key, const std::string& text)> set;
  // A list: a TOML array of strings, or comma-separated text in the environment.
  bool list = false;
};

const std::vector<Setting>& settings() {
  static const std::vector<Setting> all = {
      {"database.url", "VIKNO_DB",
       [](Config& c, const std::string&, const std::string& v) -> Result<void> {
         c.db_url = v;
         return {};
       }},
      {"database.synchronous", "VIKNO_SQLITE_SYNCHRONOUS",
       [](Config& c, const std::string& k, const std::string& v) -> Result<void> {
         auto s = to_synchronous(k, v);
         if (!s) {
           return fail(s.error());
         }
         c.sqlite_synchronous = *s;
         return {};
       }},
      {"server.listen", "VIKNO_LISTEN",
       [](Config& c, const std::string&, const std::string& v) -> Result<void> {
         c.server.address = v;
         return {};
       }},
      {"server.port", "VIKNO_PORT",
       int_setting(0, 65535, [](Config& c, int p) { c.server.port = static_cast<unsigned short>(p); })},
      {"server.io_threads", "VIKNO_IO_THREADS", int_setting(1, 64, [](Config& c, int p) { c.server.io_threads = p; })},
      {"server.worker_threads", "VIKNO_WORKERS",
       int_setting(1, 256, [](Config& c, int p) { c.server.worker_threads = p; })},
      {"server.request_timeout_ms", "VIKNO_REQUEST_TIMEOUT_MS",
       int_setting(100, 3600000, [](Config& c, int p) { c.server.request_timeout = std::chrono::milliseconds(p); })},
      {"server.body_limit", "VIKNO_BODY_LIMIT",
       int_setting(1024, 64 * 1024 * 1024,
                   [](Config& c, int p) { c.server.body_limit = static_cast<std::size_t>(p); })},
      {"server.access_log", "VIKNO_ACCESS_LOG",
       [](Config& c, const std::string& k, const std::string& v) -> Result<void> {
         auto b = to_bool(k, v);
         if (!b) {
           return fail(b.error());
         }
         c.server.access_log = *b;
         return {};
       }},
      // The HTTP server's hardening (issue 14; docs/security.md, "HTTP server").
      {"server.trusted_proxies", "VIKNO_TRUSTED_PROXIES",
       [](Config& c, const std::string& k, const std::string& v) -> Result<void> {
         auto proxies = http::TrustedProxies::parse(v);
         if (!proxies) {
           return fail(config_error(k, proxies.error().message));
         }
         c.server.trusted_proxies = std::move(*proxies);
         return {};
       },
       true},
      {"server.max_connections", "VIKNO_MAX_CONNECTIONS",
       int_setting(1, 10000000, [](Config& c, int n) { c.server.max_connections = static_cast<std::size_t>(n); })},
      {"server.max_connections_per_address", "VIKNO_MAX_CONNECTIONS_PER_ADDRESS",
       int_setting(1, 10000000,
                   [](Config& c, int n) { c.server.max_connections_per_address = static_cast<std::size_t>(n); })},
      {"server.max_streams", "VIKNO_MAX_STREAMS",
       int_setting(1, 10000000, [](Config& c, int n) { c.server.max_streams = static_cast<std::size_t>(n); })},
      {"server.max_streams_per_address", "VIKNO_MAX_STREAMS_PER_ADDRESS",
       int_setting(1, 10000000,
                   [](Config& c, int n) { c.server.max_streams_per_address = static_cast<std::size_t>(n); })},
      {"server.metrics_token", "VIKNO_METRICS_TOKEN",
       [](Config& c, const std::string& k, const std::string& v) -> Result<void> {
         if (!v.empty() && v.size() < 16) {
           return fail(config_error(k, "must be at least 16 characters (or empty: loopback only)"));
         }
         c.metrics_token = v;
         return {};
       }},
      {"server.static_dir", "VIKNO_STATIC_DIR",
       [](Config& c, const std::string&, const std::string& v) -> Result<void> {
         c.static_dir = v;
         return {};
       }},
      {"demo.load", "VIKNO_DEMO",
       [](Config& c, const std::string& k, const std::string& v) -> Result<void> {
         auto b = to_bool(k, v);
         if (!b) {
           return fail(b.error());
         }
         c.load_demo = *b;
         return {};
       }},
      {"network.settlements", "VIKNO_NETWORK_SETTLEMENTS",
       [](Config& c, const std::string&, const std::string& v) -> Result<void> {
         c.network_settlements = v;
         return {};
       }},
      {"server.public_url", "VIKNO_PUBLIC_URL",
       [](Config& c, const std::string& k, const std::string& v) -> Result<void> {
         if (!v.empty() && !v.starts_with("http://") && !v.starts_with("https://")) {
           return fail(Error::invalid("invalid_config", k + " must start with http:// or https://"));
         }
         c.public_url = v.ends_with('/') ? v.substr(0, v.size() - 1) : v;
         return {};
       }},
      {"auth.max_concurrent_hashes", "VIKNO_MAX_CONCURRENT_HASHES",
       int_setting(0, 256, [](Config& c, int n) { c.max_concurrent_hashes = n; })},
      {"queue.sweep_seconds", "VIKNO_QUEUE_SWEEP_SECONDS",
       int_setting(1, 3600, [](Config& c, int p) { c.queue_sweep_seconds = p; })},
      {"audit.key_file", "VIKNO_AUDIT_KEY_FILE",
       path_setting([](Config& c) -> std::string& { return c.audit.key_file; })},
      {"audit.signing_key_file", "VIKNO_AUDIT_SIGNING_KEY_FILE",
       path_setting([](Config& c) -> std::string& { return c.audit.signing_key_file; })},
      {"audit.checkpoint_dir", "VIKNO_AUDIT_CHECKPOINT_DIR",
       path_setting([](Config& c) -> std::string& { return c.audit.checkpoint_dir; })},
      {"audit.checkpoint_seconds", "VIKNO_AUDIT_CHECKPOINT_SECONDS",
       int_setting(1, 86400, [](Config& c, int p) { c.audit.checkpoint_seconds = p; })},
      {"cases.key_file", "VIKNO_CASES_KEY_FILE",
       path_setting([](Config& c) -> std::string& { return c.cases.key_file; })},
      {"cases.due_soon_working_days", "VIKNO_CASES_DUE_SOON_WORKING_DAYS",
       int_setting(0, 30, [](Config& c, int n) { c.cases.due_soon_working_days = n; })},
      {"cases.retention_years", "VIKNO_CASES_RETENTION_YEARS",
       int_setting(1, 75, [](Config& c, int n) { c.cases.retention_years = n; })},
      {"queue.kiosk_issues_per_minute", "VIKNO_KIOSK_ISSUES_PER_MINUTE",
       int_setting(1, 1000000, [](Config& c, int p) { c.kiosk_issues_per_minute = p; })},
      {"queue.kiosk_issue_burst", "VIKNO_KIOSK_ISSUE_BURST",
       int_setting(1, 1000000, [](Config& c, int p) { c.kiosk_issue_burst = p; })},
      {"", "VIKNO_CLOCK_OFFSET_MS",
       [](Config& c, const std::string& k, const std::string& v) -> Result<void> {
         constexpr Millis kTenYears = 10LL * 366 * 24 * 3600 * 1000;
         Millis offset = 0;
         auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), offset);
         if (ec != std::errc{} || ptr != v.data() + v.size() || offset < -kTenYears || offset > kTenYears) {
           return fail(config_error(k, "must be a whole number of milliseconds, at most ten years either way"));
         }
         c.clock_offset_ms = offset;
         return {};
       }},
      {"", "VIKNO_ADMIN_PASSWORD",
       [](Config& c, const std::string&, const std::string& v) -> Result<void> {
         c.admin_password = v;
         return {};
       }},
  };
  return all;
}

std::string node_text(const toml::node& node) {
  if (auto s = node.value<std::string>()) {
    return *s;
  }
  if (auto i = node.value<std::int64_t>(); i && node.is_integer()) {
    return std::to_string(*i);
  }
  if (node.is_boolean()) {
    return *node.value<bool>() ? "true" : "false";
  }
  return "\x01"; // not a scalar we accept: fails every setter's check or is taken literally
}

} // namespace

namespace {

// Where files kept outside the database go by default: beside the SQLite file, else var/.
std::filesystem::path beside_database(const Config& config) {
  if (config.db_url.starts_with("sqlite:")) {
    return std::filesystem::path(config.db_url.substr(7)).parent_path();
  }
  return "var";
}

} // namespace

std::string resolved_cases_key_file(const Config& config) {
  if (!config.cases.key_file.empty()) {
    return config.cases.key_file;
  }
  return (beside_database(config) / "personal-data.key").string();
}

AuditConfig resolved_audit(const Config& config) {
  AuditConfig out = config.audit;
  std::filesystem::path dir = beside_database(config);
  auto fill = [&dir](std::string& path, const char* name) {
    if (path.empty()) {
      path = (dir / name).string();
    }
  };
  fill(out.key_file, "audit.key");
  fill(out.signing_key_file, "audit-signing.key");
  fill(out.checkpoint_dir, "audit-checkpoints");
  return out;
}

EnvLookup process_env() {
  return [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    if (value == nullptr) {
      return std::nullopt;
    }
    return std::string(value);
  };
}

Result<void> apply_toml(Config& config, const std::string& text, const std::string& origin) {
  toml::table table;
  try {
    table = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << e.description() << " (line " << e.source().begin.line << ")";
    return fail(Error::invalid("invalid_config", origin + ": " + msg.str(),
                               {{"", std::string(e.description()), static_cast<int>(e.source().begin.line)}}));
  }
  for (const auto& [section, node] : table) {
    const auto* inner = node.as_table();
    if (inner == nullptr) {
      return fail(config_error(std::string(section.str()), "expected a [section]"));
    }
    for (const auto& [key, value] : *inner) {
      std::string full = std::string(section.str()) + "." + std::string(key.str());
      const Setting* setting = nullptr;
      for (const auto& s : settings()) {
        if (full == s.toml_key) {
          setting = &s;
        }
      }
      if (setting == nullptr) {
        return fail(config_error(full, "unknown setting in " + origin));
      }
      std::string v;
      if (const auto* array = value.as_array(); array != nullptr && setting->list) {
        for (const auto& item : *array) {
          auto entry = item.value<std::string>();
          if (!entry) {
            return fail(config_error(full, "must be a list of strings"));
          }
          v += v.empty() ? *entry : "," + *entry;
        }
      } else {
        v = node_text(value);
      }
      if (v == "\x01") {
        return fail(config_error(full, "must be a string, an integer or a boolean"));
      }
      if (auto ok = setting->set(config, full, v); !ok) {
        return fail(ok.error());
      }
    }
  }
  return {};
}

Result<Config> load_config(const std::optional<std::string>& file, const EnvLookup& env) {
  Config config;
  std::optional<std::string> path = file;
  if (!path) {
    path = env("VIKNO_CONFIG");
  }
  if (!path && std::filesystem::exists("vikno.toml")) {
    path = "vikno.toml";
  }
  if (path) {
    std::ifstream in(*path);
    if (!in) {
      return fail(config_error("config", "cannot read " + *path));
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (auto ok = apply_toml(config, text.str(), *path); !ok) {
      return fail(ok.error());
    }
  }
  for (const auto& s : settings()) {
    if (auto v = env(s.env_name)) {
      if (auto ok = s.set(config, s.env_name, *v); !ok) {
        return fail(ok.error());
      }
    }
  }
  return config;
}

} // namespace vikno::app
