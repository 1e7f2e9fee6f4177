// audit: the hash-chained audit log (журнал аудиту) of every state change.
//
// Each service appends one Entry inside the transaction that makes the change, so the entry
// exists exactly when the change does. Entries chain by hash:
//   hash_n = BLAKE2b-256(prev_hash_n || canonical(id_n, entry_n)),  prev_hash_n = hash_{n-1},
// starting from 32 zero bytes. `vikno audit verify` recomputes the chain and names the first
// entry that was edited, removed or moved. The chain proves integrity against anyone who edits
// rows without recomputing every later hash; it is not a signature.
//
// Entries name people by reference ("user:3"), never by personal data, so the log never needs
// anonymizing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/time.hpp"
#include "storage/db.hpp"

namespace vikno::audit {

struct Entry {
  Millis at = 0;            // when the change happened (the service's clock)
  std::string actor;        // who: "user:3", "device:5", "citizen", "system"
  std::string action;       // what: "<object>.<verb>", e.g. "user.create", "ticket.call"
  std::string object_type;  // on what: "user", "ticket"...
  std::string object_id;    // its id, as text
  std::string before;       // state before: a reference ("status=waiting", a version id) or ""
  std::string after;        // state after, the same way; "" for a deletion
  std::string source;       // from where: the client IP, "cli", "scheduler"
  std::string details_json; // anything else worth keeping, as a JSON object; "" for none
};

// A stored entry, as read back.
struct Record {
  std::int64_t id = 0;
  Entry entry;
  std::string prev_hash; // 64 hex digits
  std::string hash;      // 64 hex digits
};

// Appends an entry and returns its id. Call it inside the caller's transaction
// (db.transact([&](storage::Connection& c) { ...; audit::append(c, entry); })), preferably as its
// last statement: it locks the chain head until commit, which serializes all appends.
// Throws std::invalid_argument when actor or action is empty (a bug).
std::int64_t append(storage::Connection& conn, const Entry& entry);

struct VerifyReport {
  bool ok = true;
  std::int64_t entries = 0;                 // entries checked (all of them when ok)
  std::optional<std::int64_t> first_bad_id; // the first entry found wrong
  std::string problem; // "" when ok; "edited", or "removed or reordered" (with a hint after a colon)
};

// Streams over the whole log in id order and recomputes the chain. Reads in pages, so it works on
// a log of any size with little memory; entries appended while it runs are not checked.
VerifyReport verify(storage::Db& db);

// Entries with id > after_id, oldest first, at most limit (for `vikno audit list` and the UI).
std::vector<Record> page(storage::Db& db, std::int64_t after_id, int limit);

// The exact bytes that are hashed for an entry with this id (documented in README.md). Exposed
// so tools outside this code base can check a chain.
std::string canonical(std::int64_t id, const Entry& entry);

// hash_n from prev_hash (64 hex digits) and the entry; returns 64 lowercase hex digits.
std::string chain_hash(const std::string& prev_hash_hex, std::int64_t id, const Entry& entry);

} // namespace vikno::audit
