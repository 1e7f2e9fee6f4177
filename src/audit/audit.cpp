#include "audit/audit.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <limits>
#include <mutex>
#include <stdexcept>

namespace vikno::audit {

namespace {

constexpr std::size_t kHashBytes = 32;
constexpr int kPageSize = 1000;
const std::string kZeroHash(kHashBytes * 2, '0');
constexpr std::string_view kCanonicalTag = "vikno.audit.v1";

constexpr const char* kAdvanceHead =
    "UPDATE audit_head SET last_id = last_id + 1 WHERE singleton = 1 RETURNING last_id, last_hash";
constexpr const char* kSetHeadHash = "UPDATE audit_head SET last_hash = ? WHERE singleton = 1";
constexpr const char* kSelectHead = "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1";
constexpr const char* kInsertEntry =
    "INSERT INTO audit_log (id, at_ms, actor, action, object_type, object_id, before_ref, after_ref, source, details,"
    " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* kSelectPage =
    "SELECT id, at_ms, actor, action, object_type, object_id, before_ref, after_ref, source, details, prev_hash, hash"
    " FROM audit_log WHERE id > ? AND id <= ? ORDER BY id LIMIT ?";

void ensure_sodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) {
      throw std::runtime_error("libsodium failed to initialize");
    }
  });
}

void append_field(std::string& out, std::string_view field) {
  // 8-byte big-endian length, then the bytes: no separator can be forged inside a field.
  const auto n = static_cast<std::uint64_t>(field.size());
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((n >> shift) & 0xff));
  }
  out.append(field);
}

std::optional<std::string> hash_hex(std::string_view prev_hash_hex, std::int64_t id, const Entry& entry) {
  ensure_sodium();
  std::array<unsigned char, kHashBytes> prev{};
  std::size_t decoded = 0;
  if (prev_hash_hex.size() != kHashBytes * 2 ||
      sodium_hex2bin(prev.data(), prev.size(), prev_hash_hex.data(), prev_hash_hex.size(), nullptr, &decoded,
                     nullptr) != 0 ||
      decoded != kHashBytes) {
    return std::nullopt;
  }
  const std::string body = canonical(id, entry);
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, kHashBytes);
  crypto_generichash_update(&state, prev.data(), prev.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  std::array<unsigned char, kHashBytes> out{};
  crypto_generichash_final(&state, out.data(), out.size());
  std::array<char, kHashBytes * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), out.data(), out.size());
  return std::string(hex.data(), kHashBytes * 2);
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

struct Head {
  std::int64_t last_id = 0;
  std::string last_hash;
};

Head read_head(storage::Connection& c) {
  auto row = c.query_one(kSelectHead);
  if (!row) {
    throw storage::DbError("audit_head has no row: the audit migration was not applied");
  }
  return {row->int64(0), row->text(1)};
}

VerifyReport bad(std::int64_t entries, std::int64_t id, std::string problem) {
  return VerifyReport{false, entries, id, std::move(problem)};
}

} // namespace

std::string canonical(std::int64_t id, const Entry& entry) {
  std::string out;
  out.reserve(160 + entry.actor.size() + entry.action.size() + entry.before.size() + entry.after.size() +
              entry.details_json.size());
  append_field(out, kCanonicalTag);
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
  auto h = hash_hex(prev_hash_hex, id, entry);
  if (!h) {
    throw std::invalid_argument("prev_hash must be 64 hex digits");
  }
  return *h;
}

std::int64_t append(storage::Connection& conn, const Entry& entry) {
  if (entry.actor.empty() || entry.action.empty()) {
    throw std::invalid_argument("audit entry needs an actor and an action");
  }
  // The UPDATE takes the head's row lock (PostgreSQL) until commit, so the next appender reads
  // the hash this one writes; on SQLite the single writer already serializes transactions.
  auto head = conn.query_one(kAdvanceHead);
  if (!head) {
    throw storage::DbError("audit_head has no row: the audit migration was not applied");
  }
  const std::int64_t id = head->int64(0);
  const std::string prev = head->text(1);
  const std::string hash = chain_hash(prev, id, entry);
  conn.execute(kInsertEntry, {id, entry.at, entry.actor, entry.action, entry.object_type, entry.object_id, entry.before,
                              entry.after, entry.source, entry.details_json, prev, hash});
  conn.execute(kSetHeadHash, {hash});
  return id;
}

VerifyReport verify(storage::Db& db) {
  // The head first: entries up to it are committed (they commit together with the head), so
  // appends running meanwhile neither show up half-done nor count as missing.
  const Head head = db.read([](storage::Connection& c) { return read_head(c); });
  std::int64_t expected_id = 1;
  std::string expected_prev = kZeroHash;
  std::int64_t checked = 0;
  while (true) {
    const std::vector<Record> records = db.read([&](storage::Connection& c) {
      std::vector<Record> out;
      for (const auto& row : c.query(kSelectPage, {expected_id - 1, head.last_id, std::int64_t{kPageSize}})) {
        out.push_back(to_record(row));
      }
      return out;
    });
    for (const Record& r : records) {
      const auto recomputed = hash_hex(r.prev_hash, r.id, r.entry);
      const bool self_ok = recomputed && *recomputed == r.hash;
      if (r.id != expected_id) {
        return bad(checked, r.id,
                   "removed or reordered: entries " + std::to_string(expected_id) +
                       (r.id - 1 > expected_id ? ".." + std::to_string(r.id - 1) : std::string()) + " are missing");
      }
      if (r.prev_hash != expected_prev) {
        // Its own hash may still fit: a row moved here from elsewhere, or rows removed and the
        // ids renumbered.
        return bad(checked, r.id,
                   "removed or reordered: prev_hash does not match the hash of entry " + std::to_string(r.id - 1));
      }
      if (!self_ok) {
        return bad(checked, r.id, "edited: its contents do not match its hash");
      }
      expected_prev = r.hash;
      ++expected_id;
      ++checked;
    }
    if (records.size() < static_cast<std::size_t>(kPageSize)) {
      break;
    }
  }
  if (expected_id - 1 != head.last_id) {
    return bad(checked, expected_id,
               "removed or reordered: the newest entries " + std::to_string(expected_id) + ".." +
                   std::to_string(head.last_id) + " are missing");
  }
  if (expected_prev != head.last_hash) {
    return bad(std::max<std::int64_t>(0, checked - 1), head.last_id,
               "edited: the newest entry does not match the chain head");
  }
  return VerifyReport{true, checked, std::nullopt, ""};
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
