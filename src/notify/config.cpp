#include "notify/config.hpp"

#include <functional>
#include <map>

namespace vikno::notify {

namespace {

Error config_error(const std::string& key, const std::string& problem) {
  return Error::invalid("invalid_config", key + ": " + problem, {{key, problem, 0}});
}

Result<std::string> text(const toml::node& node, const std::string& key) {
  if (auto s = node.value<std::string>(); s && node.is_string()) {
    return *s;
  }
  return fail(config_error(key, "must be a string"));
}

Result<bool> flag(const toml::node& node, const std::string& key) {
  if (node.is_boolean()) {
    return *node.value<bool>();
  }
  return fail(config_error(key, "must be true or false"));
}

// A duration as "30s", "2m" (common/time.hpp parse_duration), from `min` to `max`.
Result<Millis> duration(const toml::node& node, const std::string& key, Millis min, Millis max) {
  VIKNO_TRY(s, text(node, key));
  auto d = parse_duration(s);
  if (!d || *d < min || *d > max) {
    return fail(config_error(key, "must be a duration such as \"30s\" or \"2m\", from " + std::to_string(min) +
                                      " ms to " + std::to_string(max) + " ms"));
  }
  return *d;
}

Result<std::vector<std::string>> strings(const toml::node& node, const std::string& key) {
  const auto* array = node.as_array();
  if (array == nullptr) {
    return fail(config_error(key, "must be a list of strings"));
  }
  std::vector<std::string> out;
  for (const auto& item : *array) {
    auto s = item.value<std::string>();
    if (!s || !item.is_string()) {
      return fail(config_error(key, "must be a list of strings"));
    }
    out.push_back(*s);
  }
  return out;
}

constexpr Millis kDay = 86'400'000;

using Handler = std::function<Result<void>(const toml::node&, const std::string&)>;

Result<void> each_key(const toml::table& table, const std::string& prefix, const std::map<std::string, Handler>& keys) {
  for (const auto& [name, node] : table) {
    const std::string key = prefix + "." + std::string(name.str());
    auto it = keys.find(std::string(name.str()));
    if (it == keys.end()) {
      return fail(config_error(key, "unknown setting"));
    }
    VIKNO_CHECK(it->second(node, key));
  }
  return {};
}

Result<GatewayOptions> gateway(const toml::table& table, const std::string& prefix) {
  GatewayOptions g;
  VIKNO_CHECK(each_key(table, prefix,
                       {{"url",
                         [&](const toml::node& n, const std::string& k) -> Result<void> {
                           VIKNO_TRY(v, text(n, k));
                           if (!v.starts_with("http://") && !v.starts_with("https://")) {
                             return fail(config_error(k, "must start with http:// or https://"));
                           }
                           g.url = v;
                           return {};
                         }},
                        {"template",
                         [&](const toml::node& n, const std::string& k) -> Result<void> {
                           VIKNO_TRY(v, text(n, k));
                           if (v.find("{text}") == std::string::npos) {
                             return fail(config_error(k, "must hold {text} (and usually {to})"));
                           }
                           g.body_template = v;
                           return {};
                         }},
                        {"content_type",
                         [&](const toml::node& n, const std::string& k) -> Result<void> {
                           VIKNO_TRY(v, text(n, k));
                           if (v.empty() || v.find_first_of("\r\n") != std::string::npos) {
                             return fail(config_error(k, "must be a media type"));
                           }
                           g.content_type = v;
                           return {};
                         }},
                        {"headers",
                         [&](const toml::node& n, const std::string& k) -> Result<void> {
                           VIKNO_TRY(v, strings(n, k));
                           for (const auto& h : v) {
                             const auto colon = h.find(':');
                             if (colon == std::string::npos || colon == 0 ||
                                 h.find_first_of("\r\n") != std::string::npos) {
                               return fail(config_error(k, "each must be \"Name: value\" on one line"));
                             }
                           }
                           g.headers = std::move(v);
                           return {};
                         }},
                        {"timeout", [&](const toml::node& n, const std::string& k) -> Result<void> {
                           VIKNO_TRY(v, duration(n, k, 100, 600'000));
                           g.timeout_ms = v;
                           return {};
                         }}}));
  if (g.url.empty()) {
    return fail(config_error(prefix + ".url", "is required"));
  }
  return g;
}

Result<SmtpOptions> smtp(const toml::table& table, const std::string& prefix) {
  SmtpOptions s;
  const auto str = [](std::string& field) {
    return [&field](const toml::node& n, const std::string& k) -> Result<void> {
      VIKNO_TRY(v, text(n, k));
      field = v;
      return {};
    };
  };
  VIKNO_CHECK(each_key(table, prefix,
                       {{"url",
                         [&](const toml::node& n, const std::string& k) -> Result<void> {
                           VIKNO_TRY(v, text(n, k));
                           if (!v.starts_with("smtp://") && !v.starts_with("smtps://")) {
                             return fail(config_error(k, "must start with smtp:// or smtps://"));
                           }
                           s.url = v;
                           return {};
                         }},
                        {"from",
                         [&](const toml::node& n, const std::string& k) -> Result<void> {
                           VIKNO_TRY(v, text(n, k));
                           if (address_of(v).find('@') == std::string::npos ||
                               v.find_first_of("\r\n") != std::string::npos) {
                             return fail(config_error(k, "must be an address, or \"Name <address>\""));
                           }
                           s.from = v;
                           return {};
                         }},
                        {"user", str(s.user)},
                        {"password", str(s.password)},
                        {"starttls",
                         [&](const toml::node& n, const std::string& k) -> Result<void> {
                           VIKNO_TRY(v, flag(n, k));
                           s.starttls = v;
                           return {};
                         }},
                        {"timeout", [&](const toml::node& n, const std::string& k) -> Result<void> {
                           VIKNO_TRY(v, duration(n, k, 100, 600'000));
                           s.timeout_ms = v;
                           return {};
                         }}}));
  if (s.url.empty()) {
    return fail(config_error(prefix + ".url", "is required"));
  }
  if (s.from.empty()) {
    return fail(config_error(prefix + ".from", "is required"));
  }
  return s;
}

Result<const toml::table*> sub_table(const toml::node& node, const std::string& key) {
  const auto* t = node.as_table();
  if (t == nullptr) {
    return fail(config_error(key, "expected a [" + key + "] section"));
  }
  return t;
}

} // namespace

Result<NotifyConfig> parse_config(const toml::table& notify) {
  NotifyConfig config;
  VIKNO_CHECK(each_key(notify, "notify",
                       {{"enabled",
                         [&](const toml::node& n, const std::string& k) -> Result<void> {
                           VIKNO_TRY(v, flag(n, k));
                           config.enabled = v;
                           return {};
                         }},
                        {"backoff",
                         [&](const toml::node& n, const std::string& k) -> Result<void> {
                           VIKNO_TRY(list, strings(n, k));
                           if (list.empty() || list.size() > 20) {
                             return fail(config_error(k, "must list from 1 to 20 waits"));
                           }
                           std::vector<Millis> steps;
                           for (const auto& item : list) {
                             auto d = parse_duration(item);
                             if (!d || *d < 1000 || *d > 7 * kDay) {
                               return fail(config_error(k, "each must be a duration such as \"30s\", from 1s to 7d"));
                             }
                             steps.push_back(*d);
                           }
                           config.worker.backoff = std::move(steps);
                           return {};
                         }},
                        {"poll",
                         [&](const toml::node& n, const std::string& k) -> Result<void> {
                           VIKNO_TRY(v, duration(n, k, 1000, 3'600'000));
                           config.worker.poll = std::chrono::milliseconds(v);
                           return {};
                         }},
                        {"smtp",
                         [&](const toml::node& n, const std::string& k) -> Result<void> {
                           VIKNO_TRY(t, sub_table(n, k));
                           VIKNO_TRY(s, smtp(*t, k));
                           config.smtp = std::move(s);
                           return {};
                         }},
                        {"sms",
                         [&](const toml::node& n, const std::string& k) -> Result<void> {
                           VIKNO_TRY(t, sub_table(n, k));
                           VIKNO_TRY(g, gateway(*t, k));
                           config.sms = std::move(g);
                           return {};
                         }},
                        {"viber", [&](const toml::node& n, const std::string& k) -> Result<void> {
                           VIKNO_TRY(t, sub_table(n, k));
                           VIKNO_TRY(g, gateway(*t, k));
                           config.viber = std::move(g);
                           return {};
                         }}}));
  // Longer than any channel's timeout, so a message is never claimed twice while it is being sent.
  Millis longest = 0;
  for (const auto* g : {config.sms ? &*config.sms : nullptr, config.viber ? &*config.viber : nullptr}) {
    if (g != nullptr) {
      longest = std::max(longest, g->timeout_ms);
    }
  }
  if (config.smtp) {
    longest = std::max(longest, config.smtp->timeout_ms);
  }
  config.worker.lease_ms = std::max<Millis>(config.worker.lease_ms, 2 * longest);
  return config;
}

Worker::Channels make_channels(const NotifyConfig& config, const Clock& clock) {
  Worker::Channels channels;
  if (config.smtp) {
    channels[ChannelKind::email] = std::make_unique<SmtpChannel>(*config.smtp, clock);
  }
  if (config.sms) {
    channels[ChannelKind::sms] = std::make_unique<GatewayChannel>(*config.sms);
  }
  if (config.viber) {
    channels[ChannelKind::viber] = std::make_unique<GatewayChannel>(*config.viber);
  }
  return channels;
}

} // namespace vikno::notify
