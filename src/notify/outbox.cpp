#include "notify/outbox.hpp"

#include <boost/json/array.hpp>

#include <stdexcept>

namespace vikno::notify {

namespace {

constexpr std::string_view kInsert =
    "INSERT INTO notify_messages (id, center_id, object_type, object_id, channel, recipient_sealed, subject, body, "
    "template_code, status, attempts, next_attempt_at_ms, created_at_ms) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)";
constexpr std::string_view kMessagesOf =
    "SELECT id, channel, recipient_sealed, template_code, status, created_at_ms FROM notify_messages "
    "WHERE object_type = ? AND object_id = ? ORDER BY created_at_ms, id";
constexpr std::string_view kAttemptsOf =
    "SELECT a.message_id, a.at_ms, a.ok, a.error FROM notify_attempts a "
    "JOIN notify_messages m ON m.id = a.message_id WHERE m.object_type = ? AND m.object_id = ? "
    "ORDER BY a.message_id, a.n";

} // namespace

const char* to_string(ChannelKind kind) {
  switch (kind) {
  case ChannelKind::email:
    return "email";
  case ChannelKind::sms:
    return "sms";
  case ChannelKind::viber:
    return "viber";
  }
  return "sms";
}

const char* to_string(Status status) {
  switch (status) {
  case Status::pending:
    return "pending";
  case Status::sent:
    return "sent";
  case Status::failed:
    return "failed";
  }
  return "pending";
}

std::optional<ChannelKind> channel_from(std::string_view text) {
  for (auto kind : {ChannelKind::email, ChannelKind::sms, ChannelKind::viber}) {
    if (text == to_string(kind)) {
      return kind;
    }
  }
  return std::nullopt;
}

std::optional<Status> status_from(std::string_view text) {
  for (auto status : {Status::pending, Status::sent, Status::failed}) {
    if (text == to_string(status)) {
      return status;
    }
  }
  return std::nullopt;
}

std::string enqueue(storage::Connection& c, const seal::Keyring& keys, const Message& message) {
  if (message.recipient.empty() || message.body.empty()) {
    throw std::invalid_argument("notify::enqueue: a message needs a recipient and a body");
  }
  std::string id = seal::new_id(message.created_at_ms);
  c.execute(kInsert, {id, message.center_id, message.object_type, message.object_id,
                      std::string(to_string(message.channel)), keys.seal(message.recipient), message.subject,
                      message.body, message.template_code, message.created_at_ms, message.created_at_ms});
  return id;
}

std::string mask_recipient(ChannelKind channel, std::string_view recipient) {
  if (channel == ChannelKind::email) {
    const auto at = recipient.rfind('@');
    if (at == std::string_view::npos || at == 0) {
      return "***";
    }
    return std::string(recipient.substr(0, 1)) + "***" + std::string(recipient.substr(at));
  }
  if (recipient.size() < 10) {
    return "***";
  }
  return std::string(recipient.substr(0, 6)) + std::string(recipient.size() - 8, '*') +
         std::string(recipient.substr(recipient.size() - 2));
}

std::vector<MessageView> messages_of(storage::Connection& c, std::string_view object_type, std::string_view object_id,
                                     const seal::Keyring& keys) {
  std::vector<MessageView> out;
  const std::string type(object_type);
  const std::string id(object_id);
  for (const auto& row : c.query(kMessagesOf, {type, id})) {
    MessageView view;
    view.id = row.text(0);
    view.channel = channel_from(row.text(1)).value_or(ChannelKind::sms);
    auto recipient = keys.open(row.text(2));
    // A row sealed with a key that was dropped still lists, without its recipient.
    view.to = recipient ? mask_recipient(view.channel, *recipient) : "***";
    view.template_code = row.text(3);
    view.status = status_from(row.text(4)).value_or(Status::pending);
    view.created_at_ms = row.int64(5);
    out.push_back(std::move(view));
  }
  for (const auto& row : c.query(kAttemptsOf, {type, id})) {
    const std::string message_id = row.text(0);
    for (auto& view : out) {
      if (view.id == message_id) {
        view.attempts.push_back({row.int64(1), row.int64(2) != 0, row.text(3)});
      }
    }
  }
  return out;
}

boost::json::object to_json(const MessageView& view) {
  boost::json::array attempts;
  for (const auto& a : view.attempts) {
    attempts.push_back(boost::json::object{{"at", format_iso8601(a.at_ms)}, {"ok", a.ok}, {"error", a.error}});
  }
  return boost::json::object{{"id", view.id},
                             {"channel", to_string(view.channel)},
                             {"to", view.to},
                             {"template", view.template_code},
                             {"status", to_string(view.status)},
                             {"attempts", std::move(attempts)}};
}

} // namespace vikno::notify
