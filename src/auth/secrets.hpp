// Secrets: passwords (argon2id through libsodium) and random tokens. Tokens a person or device
// holds are 128 or 256 random bits in base32; the database keeps only their BLAKE2b hash, so a
// copy of the database does not let anyone sign in.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vikno::auth {

// Throws std::runtime_error when libsodium cannot start (no entropy source).
void init_crypto();

std::string hash_password(std::string_view password);
bool verify_password(std::string_view password, const std::string& stored_hash);

// `bytes` random bytes in lower-case base32 without padding (16 bytes -> 26 characters).
std::string random_token(std::size_t bytes = 16);
// Hex BLAKE2b-256 of a token: what the database stores and looks up.
std::string token_hash(std::string_view token);

// A password a person can type once from the console: 16 characters of base32.
std::string random_password();

} // namespace vikno::auth
