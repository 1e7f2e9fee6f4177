// seal: personal data at rest (names, contacts, identity numbers of applicants). A Keyring holds
// the keys of one key file, named in the configuration and kept outside the database, so a copy of
// the database alone (a backup, a replica, an export) reveals nobody.
//
// The key file is text, one key per line (docs/security.md, "Personal data keys"):
//
//   # comments and blank lines are skipped
//   seal 64-hex-digits      <- the first seal line seals; every seal line opens
//   seal 64-hex-digits      <- an older key, kept until its rows are re-sealed
//   lookup 64-hex-digits    <- exactly one: the key of lookup_hash, never rotated with the others
//
// A sealed text is "s1.<key id>.<base64url of nonce and secretbox>", where the key id is the first
// 8 hex digits of a BLAKE2b hash of the key: open() finds the key it needs, and a text sealed with
// a key no longer in the file fails with seal_key_unknown instead of looking corrupt.
// Nothing here logs a key, a plaintext or a sealed text.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/error.hpp"
#include "common/time.hpp"

namespace vikno::seal {

class Keyring {
public:
  // The keys in `path`. Error seal_key_unreadable (with the file and the reason) when it is missing,
  // cannot be read, or does not hold at least one seal line and exactly one lookup line.
  static Result<Keyring> load(const std::string& path);
  // As load(), but creates a fresh key file (one seal key, one lookup key; mode 0600, its folder
  // 0700 when missing) when there is none. Two processes starting together agree on one file.
  static Result<Keyring> load_or_create(const std::string& path);
  // Fresh random keys in memory, for tests.
  static Keyring generate();

  // Text safe for a TEXT column (ASCII, no separators but '.'), naming the key it used.
  [[nodiscard]] std::string seal(std::string_view plaintext) const;
  // The plaintext; seal_key_unknown when its key is not in this ring, seal_corrupt when it is not
  // a sealed text or was changed.
  [[nodiscard]] Result<std::string> open(std::string_view sealed) const;
  // A keyed BLAKE2b hash (64 hex digits) of an already normalized value (a phone as +380...), to
  // find a record without opening every row. Depends on the lookup key only, so it stays the same
  // when the seal keys rotate.
  [[nodiscard]] std::string lookup_hash(std::string_view normalized) const;
  // The id of the key seal() uses now.
  [[nodiscard]] std::string current_key_id() const;

  // The text of a fresh key file: one new seal key and one new lookup key (what load_or_create
  // writes).
  static std::string new_key_file_text();

  struct Keys; // the secrets, wiped when the last copy of the ring goes

private:
  explicit Keyring(std::shared_ptr<const Keys> keys) : keys_(std::move(keys)) {}
  std::shared_ptr<const Keys> keys_;
};

// A fresh UUIDv7 (common/ids.hpp) with its random bits from libsodium.
std::string new_id(Millis now);

} // namespace vikno::seal
