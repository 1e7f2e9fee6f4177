// The audit chain's two secrets, each in a file of its own outside the database (named in the
// configuration: audit.key_file, audit.signing_key_file): the chain key (32 random bytes) and the
// seed of the Ed25519 key pair that signs checkpoints. Both files hold 64 hex digits and a newline,
// are created with mode 0600 (their folder too, when missing), and are never overwritten.
// Nothing here logs a key or writes one anywhere but its file.
#pragma once

#include <array>
#include <filesystem>
#include <optional>
#include <string>

#include "audit/audit.hpp"
#include "storage/db.hpp"

namespace vikno::audit {

struct SigningKey {
  std::array<unsigned char, 64> secret{}; // libsodium's secret key: seed and public key
  std::array<unsigned char, 32> public_key{};
  [[nodiscard]] std::string public_hex() const;
};

// The key in `path`; nullopt when the file does not exist. Throws std::runtime_error naming the
// file when it cannot be read or does not hold 64 hex digits.
std::optional<ChainKey> read_chain_key(const std::filesystem::path& path);
std::optional<SigningKey> read_signing_key(const std::filesystem::path& path);

// The key in `path`, created first (random) when the file does not exist. Two processes starting
// together agree on one file: it appears whole, under its name, or not at all.
ChainKey load_or_create_chain_key(const std::filesystem::path& path);
SigningKey load_or_create_signing_key(const std::filesystem::path& path);

struct Keys {
  ChainKey chain;
  SigningKey signing;
};

// What a process that writes needs at start: both keys, created when missing, checked against the
// chain head, and the chain key set for append() (use_chain_key). Throws std::runtime_error, with
// what to do, when the chain is keyed and its key file is missing or holds another key: a fresh key
// would make every later entry unverifiable, and the server must not start so.
Keys open_keys(storage::Db& db, const std::filesystem::path& key_file, const std::filesystem::path& signing_key_file);

} // namespace vikno::audit
