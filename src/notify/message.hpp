// A notification message to an applicant (повідомлення заявнику): what the outbox stores and the
// worker hands to a channel.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/time.hpp"

namespace vikno::notify {

enum class ChannelKind { email, sms, viber };
enum class Status { pending, sent, failed };

const char* to_string(ChannelKind kind);
const char* to_string(Status status);
std::optional<ChannelKind> channel_from(std::string_view text);
std::optional<Status> status_from(std::string_view text);

// What a caller enqueues. `recipient` is in the clear here and sealed on its way to the database.
struct Message {
  std::int64_t center_id = 0;
  std::string object_type; // "case"
  std::string object_id;   // the case's id
  ChannelKind channel = ChannelKind::sms;
  std::string recipient;     // "+380671234567" or "name@example.com"
  std::string subject;       // e-mail only; may be empty for SMS and Viber
  std::string body;          // plain text, UTF-8; no personal data beyond the case number
  std::string template_code; // "at_center", "ready", ...
  Millis created_at_ms = 0;  // the caller's clock; also when the message is first due
};

// What a channel sends: one message, opened.
struct Outgoing {
  std::string id;
  ChannelKind channel = ChannelKind::sms;
  std::string recipient;
  std::string subject;
  std::string body;
  Millis created_at_ms = 0;
};

} // namespace vikno::notify
