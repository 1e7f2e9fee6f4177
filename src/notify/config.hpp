// The [notify] settings (docs/configuration.md, "Notifications"): the app hands over the table of
// its configuration file's [notify] section and gets the options of the worker and its channels.
//
//   [notify]                 enabled, backoff = ["30s", "2m", ...], poll
//   [notify.smtp]            url, from, user, password, starttls, timeout
//   [notify.sms]             url, template, content_type, headers = ["Authorization: ..."], timeout
//   [notify.viber]           the same keys as sms
//
// A channel without a url is not configured: its messages are tried and fail, as the staff see.
#pragma once

#include <toml++/toml.h>

#include <optional>

#include "common/error.hpp"
#include "notify/gateway.hpp"
#include "notify/smtp.hpp"
#include "notify/worker.hpp"

namespace vikno::notify {

struct NotifyConfig {
  bool enabled = false; // off: nothing is sent (messages are still written, and wait)
  WorkerOptions worker;
  std::optional<SmtpOptions> smtp;
  std::optional<GatewayOptions> sms;
  std::optional<GatewayOptions> viber;
};

// 400 invalid_config naming the key ("notify.smtp.url: ...") on an unknown key or a bad value.
Result<NotifyConfig> parse_config(const toml::table& notify);

// The configured channels, for the Worker.
Worker::Channels make_channels(const NotifyConfig& config, const Clock& clock);

} // namespace vikno::notify
