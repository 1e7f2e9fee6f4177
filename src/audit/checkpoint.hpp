// Signed checkpoints of the audit chain head, outside the database (audit.checkpoint_dir). A
// checkpoint says "the log had entry N with hash H" under an Ed25519 signature, so removing the
// newest entries and moving the head back, or recomputing the chain, no longer verifies: the
// database must still hold entry N with hash H and reach at least N.
//
// One small text file per checkpoint, named by head id so the names sort (head-000000000123.checkpoint):
//
//   vikno audit checkpoint v1
//   head_id: 123
//   head_hash: <64 hex digits>
//   keyed_from: 1                  (the first keyed entry; 0: none yet)
//   at: 2026-12-03T13:00:00.000Z
//   public_key: <64 hex digits>
//   signature: <128 hex digits>    (Ed25519, detached, over every byte of the lines above)
//
// Written to a temporary file, synced, then linked under its name (never overwriting one) and the
// folder synced, so a crash leaves either the whole file or none.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>

#include "audit/audit.hpp"
#include "audit/keys.hpp"
#include "common/time.hpp"
#include "storage/db.hpp"

namespace vikno::audit {

struct Checkpoint {
  std::int64_t head_id = 0;
  std::string head_hash;
  std::int64_t keyed_from = 0;
  std::string at; // as written: 2026-12-03T13:00:00.000Z
  std::string public_key_hex;
  std::string signature_hex;
};

// "head-000000000123.checkpoint"
std::string checkpoint_file_name(std::int64_t head_id);

// The bytes that are signed (every line but the signature's).
std::string checkpoint_signed_text(const Checkpoint& c);
// The whole file.
std::string format_checkpoint(const Checkpoint& c);
// Parses a file's text; the error says what is wrong with it. Checks the form, not the signature.
Result<Checkpoint> parse_checkpoint(const std::string& text);
// True when the signature is good for the checkpoint's own public key.
bool signature_ok(const Checkpoint& c);

// The checkpoint files in `dir` (names as checkpoint_file_name makes them), by head id; empty
// when the folder does not exist.
std::vector<std::filesystem::path> checkpoint_files(const std::filesystem::path& dir);

struct CheckpointOutcome {
  std::optional<std::filesystem::path> written; // the new file; none when nothing was written
  std::int64_t head_id = 0;                     // the head that was (or would have been) checkpointed
  std::string why_not;                          // when nothing was written: "the log is empty"...
  bool ahead = false; // a checkpoint of a later head than the database's is there (removed entries, a restore)
};

// Signs the current head into a new file in `dir` (created when missing), unless the log is
// empty or a checkpoint of this head id or a later one is there already (the head did not move).
CheckpointOutcome write_checkpoint(storage::Db& db, const std::filesystem::path& dir, const SigningKey& key,
                                   Millis now);

// The server's checkpoint writer: one at start, then every `every` when the head moved, and a last
// one at stop(). A failure is logged and tried again at the next turn.
class Checkpointer {
public:
  Checkpointer(storage::Db& db, std::filesystem::path dir, SigningKey key, Clock clock, std::chrono::seconds every);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;
  // Stops the thread and writes the last checkpoint (a clean shutdown); idempotent.
  void stop();

private:
  void write_logged();

  storage::Db& db_;
  std::filesystem::path dir_;
  SigningKey key_;
  Clock clock_;
  std::chrono::seconds every_;
  std::jthread thread_;
  bool stopped_ = false;
  bool warned_ahead_ = false;
};

} // namespace vikno::audit
