#include "audit/audit.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <limits>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "audit/checkpoint.hpp"
#include "audit/sodium_util.hpp"

namespace vikno::audit {

namespace {

constexpr std::size_t kHashBytes = 32;
constexpr int kPageSize = 1000;
const std::string kZeroHash(kHashBytes * 2, '0');
constexpr std::string_view kCanonicalTagV1 = "vikno.audit.v1";
constexpr std::string_view kCanonicalTagV2 = "vikno.audit.v2";
constexpr std::string_view kKeyIdInput = "vikno.audit.key-id";

constexpr const char* kAdvanceHead = "UPDATE audit_head SET last_id = last_id + 1 WHERE singleton = 1"
                                     " RETURNING last_id, last_hash, keyed_from, key_id";
constexpr const char* kSetHeadHash = "UPDATE audit_head SET last_hash = ? WHERE singleton = 1";
constexpr const char* kSetHeadKeyed =
    "UPDATE audit_head SET last_hash = ?, keyed_from = ?, key_id = ? WHERE singleton = 1";
constexpr const char* kSelectHead = "SELECT last_id, last_hash, keyed_from, key_id FROM audit_head WHERE singleton = 1";
constexpr const char* kInsertEntry =
    "INSERT INTO audit_log (id, at_ms, actor, action, object_type, object_id, before_ref, after_ref, source, details,"
    " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* kSelectPage =
    "SELECT id, at_ms, actor, action, object_type, object_id, before_ref, after_ref, source, details, prev_hash, hash"
    " FROM audit_log WHERE id > ? AND id <= ? ORDER BY id LIMIT ?";

// The process's chain key and its id (computed once, not per append); guarded by key_mutex.
struct ProcessKey {
  ChainKey key;
  std::string id;
};
std::mutex key_mutex;
std::optional<ProcessKey> process_key;

std::optional<ProcessKey> current_key() {
  std::scoped_lock lock(key_mutex);
  return process_key;
}

void append_field(std::string& out, std::string_view field) {
  // 8-byte big-endian length, then the bytes: no separator can be forged inside a field.
  const auto n = static_cast<std::uint64_t>(field.size());
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((n >> shift) & 0xff));
  }
  out.append(field);
}

// hash_n with the key (version 2) or without (version 1); nullopt when prev_hash is not 64 hex digits.
std::optional<std::string> hash_hex(const ChainKey* key, std::string_view prev_hash_hex, std::int64_t id,
                                    const Entry& entry) {
  ensure_sodium();
  std::array<unsigned char, kHashBytes> prev{};
  if (!from_hex(prev_hash_hex, prev)) {
    return std::nullopt;
  }
  const std::string body = canonical(id, entry, key != nullptr ? 2 : 1);
  crypto_generichash_state state;
  crypto_generichash_init(&state, key != nullptr ? key->bytes.data() : nullptr, key != nullptr ? key->bytes.size() : 0,
                          kHashBytes);
  crypto_generichash_update(&state, prev.data(), prev.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  std::array<unsigned char, kHashBytes> out{};
  crypto_generichash_final(&state, out.data(), out.size());
  sodium_memzero(&state, sizeof state);
  return to_hex(out);
}

Record to_record(const storage::Row& row) {
  Record r;
  r.id = row.int64(0);
  r.entry.at = row.int64(1);
  r.entry.actor = row.text(2);
  r.entry.action = row.text(3);
  r.entry.object_type = row.text(4);
  r.entry.object_id = row.text(5);
  r.entry.before = row.text(6);
  r.entry.after = row.text(7);
  r.entry.source = row.text(8);
  r.entry.details_json = row.text(9);
  r.prev_hash = row.text(10);
  r.hash = row.text(11);
  return r;
}

Head to_head(const storage::Row& row) {
  return {row.int64(0), row.text(1), row.is_null(2) ? 0 : row.int64(2), row.is_null(3) ? "" : row.text(3)};
}

Head read_head(storage::Connection& c) {
  auto row = c.query_one(kSelectHead);
  if (!row) {
    throw storage::DbError("audit_head has no row: the audit migration was not applied");
  }
  return to_head(*row);
}

std::string range(std::int64_t from, std::int64_t to) {
  return from == to ? "entry " + std::to_string(from) : "entries " + std::to_string(from) + ".." + std::to_string(to);
}

// The checkpoints of a folder, read and their signatures checked; problems for the bad ones.
struct LoadedCheckpoint {
  std::string file;
  Checkpoint checkpoint;
};

std::vector<LoadedCheckpoint> load_checkpoints(const VerifyOptions& options, VerifyReport& report) {
  std::vector<LoadedCheckpoint> out;
  for (const auto& path : checkpoint_files(*options.checkpoint_dir)) {
    const std::string file = path.filename().string();
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      report.problems.push_back({"checkpoint_unreadable", std::nullopt, "checkpoint file " + file + " cannot be read"});
      continue;
    }
    auto parsed = parse_checkpoint(text.str());
    if (!parsed) {
      report.problems.push_back({"checkpoint_unreadable", std::nullopt,
                                 "checkpoint file " + file + " cannot be read: " + parsed.error().message});
      continue;
    }
    if (!signature_ok(*parsed)) {
      report.problems.push_back(
          {"checkpoint_bad_signature", parsed->head_id, "checkpoint file " + file + " has a bad signature"});
      continue;
    }
    if (file != checkpoint_file_name(parsed->head_id)) {
      report.problems.push_back({"checkpoint_unreadable", parsed->head_id,
                                 "checkpoint file " + file + " holds another head than its name says (" +
                                     std::to_string(parsed->head_id) + ")"});
      continue;
    }
    if (options.public_key && parsed->public_key_hex != to_hex(*options.public_key)) {
      report.problems.push_back({"checkpoint_foreign_key", parsed->head_id,
                                 "checkpoint file " + file + " is signed by another key than this server's (" +
                                     parsed->public_key_hex + ")"});
      continue;
    }
    out.push_back({file, std::move(*parsed)});
  }
  return out;
}

} // namespace

std::string ChainKey::id() const {
  ensure_sodium();
  std::array<unsigned char, 16> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(kKeyIdInput.data()),
                     kKeyIdInput.size(), bytes.data(), bytes.size());
  return to_hex(out);
}

void use_chain_key(std::optional<ChainKey> key) {
  std::optional<ProcessKey> next;
  if (key) {
    next = ProcessKey{*key, key->id()};
  }
  std::scoped_lock lock(key_mutex);
  process_key = std::move(next);
}

std::optional<ChainKey> chain_key() {
  auto k = current_key();
  if (!k) {
    return std::nullopt;
  }
  return k->key;
}

std::string canonical(std::int64_t id, const Entry& entry, int version) {
  if (version != 1 && version != 2) {
    throw std::invalid_argument("canonical: version must be 1 or 2");
  }
  std::string out;
  out.reserve(160 + entry.actor.size() + entry.action.size() + entry.before.size() + entry.after.size() +
              entry.details_json.size());
  append_field(out, version == 1 ? kCanonicalTagV1 : kCanonicalTagV2);
  append_field(out, std::to_string(id));
  append_field(out, std::to_string(entry.at));
  append_field(out, entry.actor);
  append_field(out, entry.action);
  append_field(out, entry.object_type);
  append_field(out, entry.object_id);
  append_field(out, entry.before);
  append_field(out, entry.after);
  append_field(out, entry.source);
  append_field(out, entry.details_json);
  return out;
}

std::string chain_hash(const std::string& prev_hash_hex, std::int64_t id, const Entry& entry) {
  auto h = hash_hex(nullptr, prev_hash_hex, id, entry);
  if (!h) {
    throw std::invalid_argument("prev_hash must be 64 hex digits");
  }
  return *h;
}

std::string keyed_chain_hash(const ChainKey& key, const std::string& prev_hash_hex, std::int64_t id,
                             const Entry& entry) {
  auto h = hash_hex(&key, prev_hash_hex, id, entry);
  if (!h) {
    throw std::invalid_argument("prev_hash must be 64 hex digits");
  }
  return *h;
}

std::int64_t append(storage::Connection& conn, const Entry& entry) {
  if (entry.actor.empty() || entry.action.empty()) {
    throw std::invalid_argument("audit entry needs an actor and an action");
  }
  const std::optional<ProcessKey> key = current_key();
  // The UPDATE takes the head's row lock (PostgreSQL) until commit, so the next appender reads
  // the hash this one writes; on SQLite the single writer already serializes transactions.
  auto row = conn.query_one(kAdvanceHead);
  if (!row) {
    throw storage::DbError("audit_head has no row: the audit migration was not applied");
  }
  const Head head = to_head(*row);
  const std::int64_t id = head.last_id;
  if (!key) {
    if (head.keyed_from != 0) {
      throw std::runtime_error("the audit chain is keyed (from entry " + std::to_string(head.keyed_from) +
                               ") and this process has no audit key");
    }
    const std::string hash = chain_hash(head.last_hash, id, entry);
    conn.execute(kInsertEntry, {id, entry.at, entry.actor, entry.action, entry.object_type, entry.object_id,
                                entry.before, entry.after, entry.source, entry.details_json, head.last_hash, hash});
    conn.execute(kSetHeadHash, {hash});
    return id;
  }
  if (head.keyed_from != 0 && head.key_id != key->id) {
    throw std::runtime_error("the audit chain is keyed with another key than this process's audit key file");
  }
  const std::string hash = keyed_chain_hash(key->key, head.last_hash, id, entry);
  conn.execute(kInsertEntry, {id, entry.at, entry.actor, entry.action, entry.object_type, entry.object_id, entry.before,
                              entry.after, entry.source, entry.details_json, head.last_hash, hash});
  if (head.keyed_from == 0) {
    // The switch point: from here on every entry is keyed (an unkeyed chain of an earlier version
    // before it keeps verifying by its own rule).
    conn.execute(kSetHeadKeyed, {hash, id, key->id});
  } else {
    conn.execute(kSetHeadHash, {hash});
  }
  return id;
}

Head read_head(storage::Db& db) {
  return db.read([](storage::Connection& c) { return read_head(c); });
}

VerifyReport verify(storage::Db& db) {
  VerifyOptions options;
  options.key = chain_key();
  return verify(db, options);
}

VerifyReport verify(storage::Db& db, const VerifyOptions& options) {
  VerifyReport report;
  // Checkpoints before the head: every checkpoint listed was made of a head that is committed by
  // now, so a checkpoint written meanwhile never looks ahead of the head read below.
  std::vector<LoadedCheckpoint> checkpoints;
  if (options.checkpoint_dir) {
    checkpoints = load_checkpoints(options, report);
  }
  // The head next: entries up to it are committed (they commit together with the head), so
  // appends running meanwhile neither show up half-done nor count as missing.
  const Head head = read_head(db);
  report.head_id = head.last_id;
  report.keyed_from = head.keyed_from;
  const bool keyed = head.keyed_from != 0;
  if (options.key && keyed && options.key->id() != head.key_id) {
    report.problems.push_back({"wrong_key", std::nullopt,
                               "the chain key file is not the key this chain was keyed with (its id is " +
                                   options.key->id() + ", the chain head names " + head.key_id + ")"});
  }

  // The checkpointed hashes the walk compares with, by entry id.
  std::vector<const LoadedCheckpoint*> by_id;
  by_id.reserve(checkpoints.size());
  for (const auto& c : checkpoints) {
    by_id.push_back(&c);
  }
  std::sort(by_id.begin(), by_id.end(),
            [](const auto* a, const auto* b) { return a->checkpoint.head_id < b->checkpoint.head_id; });
  auto next_checkpoint = by_id.begin();

  std::optional<Problem> chain_problem;
  std::int64_t expected_id = 1;
  std::string expected_prev = kZeroHash;
  std::int64_t checked = 0;
  std::int64_t unkeyed_checks = 0; // keyed entries whose contents could not be checked (no key)
  while (!chain_problem) {
    const std::vector<Record> records = db.read([&](storage::Connection& c) {
      std::vector<Record> out;
      for (const auto& row : c.query(kSelectPage, {expected_id - 1, head.last_id, std::int64_t{kPageSize}})) {
        out.push_back(to_record(row));
      }
      return out;
    });
    for (const Record& r : records) {
      if (r.id != expected_id) {
        chain_problem = Problem{"removed", r.id,
                                range(expected_id, r.id - 1) + " removed: the chain goes from entry " +
                                    std::to_string(expected_id - 1) + " to entry " + std::to_string(r.id)};
        break;
      }
      if (r.prev_hash != expected_prev) {
        // Its own hash may still fit: a row moved here from elsewhere, or rows removed and the
        // ids renumbered.
        chain_problem = Problem{"reordered", r.id,
                                "entry " + std::to_string(r.id) +
                                    " moved, or entries before it removed: its prev_hash does not match the hash of "
                                    "entry " +
                                    std::to_string(r.id - 1)};
        break;
      }
      const bool entry_keyed = keyed && r.id >= head.keyed_from;
      if (!entry_keyed || options.key) {
        const auto recomputed = hash_hex(entry_keyed ? &*options.key : nullptr, r.prev_hash, r.id, r.entry);
        if (!recomputed || *recomputed != r.hash) {
          chain_problem =
              Problem{"edited", r.id, "entry " + std::to_string(r.id) + " edited: its contents do not match its hash"};
          break;
        }
      } else {
        ++unkeyed_checks;
      }
      while (next_checkpoint != by_id.end() && (*next_checkpoint)->checkpoint.head_id <= r.id) {
        const auto& c = **next_checkpoint;
        if (c.checkpoint.head_id == r.id && c.checkpoint.head_hash != r.hash) {
          report.problems.push_back({"checkpoint_mismatch", r.id,
                                     "entry " + std::to_string(r.id) + " differs from checkpoint " + c.file +
                                         ": the chain was rewritten up to there"});
        }
        ++next_checkpoint;
      }
      expected_prev = r.hash;
      ++expected_id;
      ++checked;
    }
    if (records.size() < static_cast<std::size_t>(kPageSize)) {
      break;
    }
  }
  if (!chain_problem && expected_id - 1 != head.last_id) {
    chain_problem = Problem{"removed", expected_id,
                            range(expected_id, head.last_id) + " removed: the chain head says the newest entry is " +
                                std::to_string(head.last_id)};
  }
  if (!chain_problem && expected_prev != head.last_hash) {
    chain_problem = Problem{"edited", head.last_id,
                            "entry " + std::to_string(head.last_id) + " edited: it does not match the chain head"};
    checked = std::max<std::int64_t>(0, checked - 1);
  }
  report.entries = checked;

  // What the checkpoints pin beyond each entry's hash: how far the log reached, and where it became keyed.
  for (const auto* c : by_id) {
    const Checkpoint& cp = c->checkpoint;
    if (cp.keyed_from != 0 ? cp.keyed_from != head.keyed_from : keyed && head.keyed_from <= cp.head_id) {
      report.problems.push_back(
          {"keyed_from_moved", std::nullopt,
           "the chain's first keyed entry moved: checkpoint " + c->file + " says " +
               (cp.keyed_from != 0 ? "entry " + std::to_string(cp.keyed_from) : std::string("none up to its head")) +
               ", the database says " + (keyed ? "entry " + std::to_string(head.keyed_from) : std::string("none"))});
      break;
    }
  }
  if (!by_id.empty()) {
    const LoadedCheckpoint& newest = *by_id.back();
    report.checkpoints = static_cast<std::int64_t>(by_id.size());
    report.newest_checkpoint = newest.checkpoint.head_id;
    if (newest.checkpoint.head_id > head.last_id) {
      report.problems.push_back({"truncated", head.last_id + 1,
                                 "entries after " + std::to_string(head.last_id) + " removed (checkpoint " +
                                     newest.file + " at head " + std::to_string(newest.checkpoint.head_id) +
                                     ", database head " + std::to_string(head.last_id) + ")"});
    }
  } else if (options.checkpoint_dir && head.last_id > 0) {
    report.warnings.push_back("no checkpoint in " + options.checkpoint_dir->string() +
                              ": entries removed from the end of the log cannot be noticed");
  }
  if (!options.checkpoint_dir) {
    report.warnings.push_back("checkpoints not checked");
  }

  if (chain_problem) {
    report.problems.insert(report.problems.begin(), *chain_problem);
  }
  if (!report.problems.empty()) {
    report.ok = false;
    const auto first_with_entry = std::find_if(report.problems.begin(), report.problems.end(),
                                               [](const Problem& p) { return p.entry.has_value(); });
    report.first_bad_id = chain_problem                               ? chain_problem->entry
                          : first_with_entry != report.problems.end() ? first_with_entry->entry
                                                                      : std::nullopt;
    report.problem = report.problems.front().message;
  }
  if (unkeyed_checks > 0) {
    report.complete = false;
    report.unchecked = "without the chain key, the contents of " + std::to_string(unkeyed_checks) +
                       " keyed entries (from entry " + std::to_string(head.keyed_from) +
                       ") were not checked, only their ids, links and checkpoints";
  }
  if (options.checkpoint_dir && !options.public_key && !by_id.empty()) {
    report.complete = false;
    report.unchecked += std::string(report.unchecked.empty() ? "" : "; ") +
                        "without the signing key, each checkpoint was checked against the public key in its own "
                        "file, which anyone can replace";
  }
  return report;
}

std::vector<Record> page(storage::Db& db, std::int64_t after_id, int limit) {
  return db.read([&](storage::Connection& c) {
    std::vector<Record> out;
    for (const auto& row :
         c.query(kSelectPage, {after_id, std::numeric_limits<std::int64_t>::max(), static_cast<std::int64_t>(limit)})) {
      out.push_back(to_record(row));
    }
    return out;
  });
}

} // namespace vikno::audit
