// Keyring: personal data at rest (персональні дані), sealed with libsodium's secretbox
// (XSalsa20-Poly1305) under keys kept in a file outside the database (cases.key_file). A sealed
// text names the key it was sealed with, so a new key can be put first in the file (it seals from
// then on) while the older keys still open what they sealed; `lookup_hash` has a key of its own
// that never rotates, so a phone stays findable across a rotation. docs/security.md, "Personal
// data keys", says how to rotate. Nothing here logs a key or a plaintext.
//
// The file: text lines, '#' comments; "seal <id> <base64 32 bytes>" (the first is current; the
// id is 16 hex digits) and one "lookup <base64 32 bytes>". Created with mode 0600 when missing.
#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "common/time.hpp"

namespace vikno::seal {

class Keyring {
public:
  // Codes: seal_key_unreadable (no such file, unreadable, or not in the format above).
  static Result<Keyring> load(const std::string& path);
  // The file is created with fresh keys when missing (mode 0600; two processes starting at once
  // agree on one file).
  static Result<Keyring> load_or_create(const std::string& path);
  static Keyring generate(); // in memory, for tests
  // The keyring with a fresh sealing key first and the others after (rotation); `text()` is what
  // the file then holds.
  [[nodiscard]] Keyring rotated() const;
  [[nodiscard]] std::string text() const;

  // "s1.<key id>.<base64 of nonce and ciphertext>": safe in a TEXT column.
  [[nodiscard]] std::string seal(std::string_view plaintext) const;
  // Codes: seal_key_unknown (sealed with a key no longer in the file), seal_corrupt.
  [[nodiscard]] Result<std::string> open(std::string_view sealed) const;
  // Keyed BLAKE2b, 64 hex digits: equal inputs give equal hashes, nothing else can be learned.
  [[nodiscard]] std::string lookup_hash(std::string_view normalized) const;
  [[nodiscard]] std::string current_key_id() const;

private:
  struct Key {
    std::string id;
    std::array<unsigned char, 32> bytes{};
  };
  std::vector<Key> seal_keys_; // the first seals
  std::array<unsigned char, 32> lookup_{};
};

// A UUIDv7 (time-ordered, 74 random bits) for rows a center creates: globally unique, so an
// offline node's rows upload to the regional database without clashes.
std::string new_id(Millis now);

} // namespace vikno::seal
