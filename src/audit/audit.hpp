// audit: the hash-chained audit log (журнал аудиту) of every state change.
//
// Each service appends one Entry inside the transaction that makes the change, so the entry
// exists exactly when the change does. Entries chain by hash, keyed with a secret that lives in a
// file outside the database (keys.hpp):
//   hash_n = BLAKE2b-256_key(prev_hash_n || canonical_v2(id_n, entry_n)),  prev_hash_n = hash_{n-1},
// starting from 32 zero bytes. Entries written before the chain was keyed (a database of an
// earlier version) keep the unkeyed rule BLAKE2b-256(prev_hash_n || canonical_v1(...)); the head
// records the first keyed entry. Without the key nobody can recompute the chain after an edit;
// signed checkpoints of the head outside the database (checkpoint.hpp) catch entries removed from
// the end. `vikno audit verify` checks both and names what it found.
//
// Entries name people by reference ("user:3"), never by personal data, so the log never needs
// anonymizing.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
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

// The secret of the keyed chain: 32 random bytes from the key file. Never logged, never stored in
// the database; only its id (a keyed hash of a constant, which tells nothing about the key) is.
struct ChainKey {
  std::array<unsigned char, 32> bytes{};
  // 32 hex digits that name this key (the chain head records the id of the key it was keyed with).
  [[nodiscard]] std::string id() const;
};

// The key append() chains new entries with, for the whole process (the composition root sets it
// at start from the key file; every service appends through a plain Connection). Without one, a
// chain that was never keyed goes on unkeyed, and append refuses to extend a keyed chain.
void use_chain_key(std::optional<ChainKey> key);
[[nodiscard]] std::optional<ChainKey> chain_key();

// Appends an entry and returns its id. Call it inside the caller's transaction
// (db.transact([&](storage::Connection& c) { ...; audit::append(c, entry); })), preferably as its
// last statement: it locks the chain head until commit, which serializes all appends.
// Throws std::invalid_argument when actor or action is empty (a bug), std::runtime_error when the
// chain is keyed and this process has no key or another one.
std::int64_t append(storage::Connection& conn, const Entry& entry);

// The chain head as the database holds it.
struct Head {
  std::int64_t last_id = 0;
  std::string last_hash;       // 64 hex digits
  std::int64_t keyed_from = 0; // the first entry hashed with the key; 0: none yet
  std::string key_id;          // ChainKey::id() of that key; "" before the first keyed entry
};
Head read_head(storage::Db& db);

// One thing verify found wrong. `code` is stable: edited, removed, reordered, truncated,
// checkpoint_mismatch, checkpoint_bad_signature, checkpoint_foreign_key, checkpoint_unreadable,
// keyed_from_moved, wrong_key.
struct Problem {
  std::string code;
  std::optional<std::int64_t> entry; // the entry concerned, when there is one
  std::string message;               // a sentence naming it: "entry 7 edited: ..."
};

struct VerifyReport {
  bool ok = true;                           // no problem found
  bool complete = true;                     // and everything was checked (false: see `unchecked`)
  std::int64_t entries = 0;                 // entries checked (all of them when ok)
  std::optional<std::int64_t> first_bad_id; // the first entry found wrong
  std::string problem;                      // the first problem's message; "" when ok
  std::vector<Problem> problems;            // every problem found, the chain's first
  std::vector<std::string> warnings;        // not failures, but an operator should know
  std::string unchecked;                    // what could not be checked, when !complete
  std::int64_t head_id = 0;                 // the head's last_id
  std::int64_t keyed_from = 0;              // the head's first keyed entry (0: none)
  std::int64_t checkpoints = 0;             // checkpoint files whose signature checked out
  std::int64_t newest_checkpoint = 0;       // the highest head id among them (0: none)
};

struct VerifyOptions {
  // The chain key; without it, keyed entries are checked for structure only (ids, links, head,
  // checkpoints) and the report is not complete.
  std::optional<ChainKey> key;
  // Where the signed checkpoints are; none: they are not checked (a warning).
  std::optional<std::filesystem::path> checkpoint_dir;
  // The Ed25519 public key checkpoints must be signed with; none: each file's own public key is
  // used, and the report is not complete (anyone can sign a file with a key of their own).
  std::optional<std::array<unsigned char, 32>> public_key;
};

// Streams over the whole log in id order and recomputes the chain, then compares it with the
// checkpoints. Reads in pages, so it works on a log of any size with little memory; entries
// appended while it runs are not checked.
VerifyReport verify(storage::Db& db, const VerifyOptions& options);
// With the process's chain key (use_chain_key) and no checkpoints.
VerifyReport verify(storage::Db& db);

// Entries with id > after_id, oldest first, at most limit (for `vikno audit list` and the UI).
std::vector<Record> page(storage::Db& db, std::int64_t after_id, int limit);

// The exact bytes that are hashed for an entry with this id (documented in README.md). Exposed
// so tools outside this code base can check a chain. Version 1: unkeyed entries; 2: keyed.
std::string canonical(std::int64_t id, const Entry& entry, int version = 1);

// Unkeyed hash_n (version 1) from prev_hash (64 hex digits) and the entry; 64 lowercase hex digits.
std::string chain_hash(const std::string& prev_hash_hex, std::int64_t id, const Entry& entry);
// Keyed hash_n (version 2).
std::string keyed_chain_hash(const ChainKey& key, const std::string& prev_hash_hex, std::int64_t id,
                             const Entry& entry);

} // namespace vikno::audit
