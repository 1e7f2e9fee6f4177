// The transactional outbox (черга повідомлень): enqueue() writes a message with the connection of
// the caller's open transaction, so the message exists if and only if the change it tells about
// committed; the worker (worker.hpp) sends it later. messages_of() is what the staff see of an
// object's messages: recipients masked, every attempt.
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "notify/message.hpp"
#include "seal/seal.hpp"
#include "storage/db.hpp"

namespace vikno::notify {

// Writes the message (pending, due at its created_at_ms) and returns its id (UUIDv7). Call it
// inside db.transact()/write() with that transaction's connection, then Worker::wake() after the
// commit. Throws std::invalid_argument on a message that cannot be sent (no recipient or body):
// the caller checks its input first.
std::string enqueue(storage::Connection& c, const seal::Keyring& keys, const Message& message);

struct AttemptView {
  Millis at_ms = 0;
  bool ok = false;
  std::string error;
};

struct MessageView {
  std::string id;
  ChannelKind channel = ChannelKind::sms;
  std::string to; // masked: "+38067*****67", "t***@example.com"
  std::string template_code;
  Status status = Status::pending;
  Millis created_at_ms = 0;
  std::vector<AttemptView> attempts;
};

// The messages of one object, oldest first.
std::vector<MessageView> messages_of(storage::Connection& c, std::string_view object_type, std::string_view object_id,
                                     const seal::Keyring& keys);

// {"id","channel","to","template","status","attempts":[{"at","ok","error"}]} (docs/openapi.yaml).
boost::json::object to_json(const MessageView& view);

// A recipient as staff lists show it: a phone keeps its first 6 and last 2 characters, an e-mail
// address the first character of its local part and its domain; anything else is "***".
std::string mask_recipient(ChannelKind channel, std::string_view recipient);

} // namespace vikno::notify
