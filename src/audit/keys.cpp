#include "audit/keys.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "audit/sodium_util.hpp"
#include "common/log.hpp"

namespace vikno::audit {

namespace {

using Secret = std::array<unsigned char, 32>;

[[noreturn]] void fail_file(const std::filesystem::path& path, const std::string& what) {
  throw std::runtime_error("audit key file " + path.string() + ": " + what);
}

std::optional<Secret> read_secret(const std::filesystem::path& path) {
  ensure_sodium();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return std::nullopt;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    // Not refused (an operator may have reasons), but said where an operator looks.
    log::warn("an audit key file can be read by other users than the server's: chmod 600 it",
              {{"file", path.string()}});
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) {
    fail_file(path, std::strerror(errno));
  }
  std::string hex = text.str();
  if (hex.ends_with('\n')) {
    hex.pop_back();
  }
  Secret secret{};
  const bool ok = from_hex(hex, secret);
  sodium_memzero(hex.data(), hex.size());
  if (!ok) {
    fail_file(path, "must hold 64 hex digits (32 bytes)");
  }
  return secret;
}

void sync_dir(const std::filesystem::path& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

Secret create_secret(const std::filesystem::path& path) {
  ensure_sodium();
  if (auto existing = read_secret(path)) {
    return *existing;
  }
  const std::filesystem::path dir = path.parent_path();
  std::error_code ec;
  if (!dir.empty() && !std::filesystem::exists(dir, ec)) {
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      fail_file(path, "cannot create its folder: " + ec.message());
    }
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  }
  Secret secret{};
  randombytes_buf(secret.data(), secret.size());
  std::string text = to_hex(secret) + "\n";
  // Written whole under a temporary name, then linked: another process starting at the same time
  // either sees no file or the whole one, and the first link wins.
  const std::filesystem::path tmp = path.string() + ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    fail_file(path, std::string("cannot create it: ") + std::strerror(errno));
  }
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  sodium_memzero(text.data(), text.size());
  if (!written) {
    ::unlink(tmp.c_str());
    fail_file(path, std::string("cannot write it: ") + std::strerror(errno));
  }
  const int linked = ::link(tmp.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(tmp.c_str());
  if (linked != 0) {
    if (link_errno == EEXIST) {
      return *read_secret(path); // another process made it first
    }
    fail_file(path, std::string("cannot create it: ") + std::strerror(link_errno));
  }
  sync_dir(dir);
  log::info("audit key file created", {{"file", path.string()}});
  return secret;
}

ChainKey to_chain_key(const Secret& s) {
  ChainKey key;
  key.bytes = s;
  return key;
}

SigningKey to_signing_key(const Secret& seed) {
  SigningKey key;
  crypto_sign_seed_keypair(key.public_key.data(), key.secret.data(), seed.data());
  return key;
}

} // namespace

std::string SigningKey::public_hex() const { return to_hex(public_key); }

std::optional<ChainKey> read_chain_key(const std::filesystem::path& path) {
  auto s = read_secret(path);
  if (!s) {
    return std::nullopt;
  }
  return to_chain_key(*s);
}

std::optional<SigningKey> read_signing_key(const std::filesystem::path& path) {
  auto s = read_secret(path);
  if (!s) {
    return std::nullopt;
  }
  return to_signing_key(*s);
}

ChainKey load_or_create_chain_key(const std::filesystem::path& path) { return to_chain_key(create_secret(path)); }

SigningKey load_or_create_signing_key(const std::filesystem::path& path) { return to_signing_key(create_secret(path)); }

Keys open_keys(storage::Db& db, const std::filesystem::path& key_file, const std::filesystem::path& signing_key_file) {
  const Head head = read_head(db);
  std::optional<ChainKey> chain;
  if (head.keyed_from != 0) {
    // A keyed chain: its key must be there. A new one would leave every later entry unverifiable.
    chain = read_chain_key(key_file);
    if (!chain) {
      throw std::runtime_error("the audit chain is keyed from entry " + std::to_string(head.keyed_from) +
                               ", but its key file " + key_file.string() +
                               " is missing: restore it from your backup (or set audit.key_file)");
    }
    if (chain->id() != head.key_id) {
      throw std::runtime_error("the audit key file " + key_file.string() +
                               " holds another key than the one the audit chain is keyed with: restore the right "
                               "file from your backup (or set audit.key_file)");
    }
  } else {
    chain = load_or_create_chain_key(key_file);
  }
  Keys keys{*chain, load_or_create_signing_key(signing_key_file)};
  use_chain_key(keys.chain);
  return keys;
}

} // namespace vikno::audit
