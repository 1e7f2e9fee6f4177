#include "seal/seal.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "common/ids.hpp"
#include "common/log.hpp"

namespace vikno::seal {

using Secret = std::array<unsigned char, 32>;

struct Keyring::Keys {
  struct SealKey {
    std::string id;
    Secret key{};
  };
  std::vector<SealKey> seal; // the first seals
  Secret lookup{};

  Keys() = default;
  Keys(const Keys&) = delete;
  Keys& operator=(const Keys&) = delete;
  ~Keys() {
    for (auto& k : seal) {
      sodium_memzero(k.key.data(), k.key.size());
    }
    sodium_memzero(lookup.data(), lookup.size());
  }
};

namespace {

constexpr std::string_view kPrefix = "s1.";
constexpr int kBase64 = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

void ensure_sodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) {
      throw std::runtime_error("libsodium failed to initialize");
    }
  });
}

std::string to_hex(const unsigned char* bytes, std::size_t n) {
  std::string hex(n * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, n);
  hex.pop_back();
  return hex;
}

bool from_hex(std::string_view hex, Secret& out) {
  std::size_t decoded = 0;
  return hex.size() == out.size() * 2 &&
         sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &decoded, nullptr) == 0 &&
         decoded == out.size();
}

// The first 8 hex digits of BLAKE2b("vikno seal key id" keyed by the key): names the key without
// revealing it.
std::string key_id(const Secret& key) {
  static constexpr std::string_view kContext = "vikno seal key id";
  std::array<unsigned char, 16> hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(kContext.data()), kContext.size(),
                     key.data(), key.size());
  return to_hex(hash.data(), 4);
}

Error unreadable(const std::string& path, const std::string& why) {
  return Error{ErrorKind::internal, "seal_key_unreadable", "personal data key file " + path + ": " + why, {}};
}

Result<std::shared_ptr<const Keyring::Keys>> parse(const std::string& path, std::string_view text) {
  auto keys = std::make_shared<Keyring::Keys>();
  int lookups = 0;
  int line_no = 0;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
      line.remove_prefix(1);
    }
    if (line.empty() || line.front() == '#') {
      continue;
    }
    const auto space = line.find(' ');
    const std::string_view kind = line.substr(0, space);
    std::string_view hex = space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
    while (!hex.empty() && hex.front() == ' ') {
      hex.remove_prefix(1);
    }
    Secret secret{};
    const std::string where = "line " + std::to_string(line_no);
    if (!from_hex(hex, secret)) {
      return fail(unreadable(path, where + ": a key must be 64 hex digits (32 bytes)"));
    }
    if (kind == "seal") {
      Keyring::Keys::SealKey k;
      k.key = secret;
      k.id = key_id(secret);
      for (const auto& other : keys->seal) {
        if (other.id == k.id) {
          return fail(unreadable(path, where + ": the same seal key twice"));
        }
      }
      keys->seal.push_back(std::move(k));
    } else if (kind == "lookup") {
      keys->lookup = secret;
      ++lookups;
    } else {
      return fail(unreadable(path, where + ": expected \"seal <hex>\" or \"lookup <hex>\""));
    }
    sodium_memzero(secret.data(), secret.size());
  }
  if (keys->seal.empty()) {
    return fail(unreadable(path, "holds no seal key"));
  }
  if (lookups != 1) {
    return fail(unreadable(path, "must hold exactly one lookup key"));
  }
  return std::shared_ptr<const Keyring::Keys>(std::move(keys));
}

std::string random_key_hex() {
  Secret s{};
  randombytes_buf(s.data(), s.size());
  std::string hex = to_hex(s.data(), s.size());
  sodium_memzero(s.data(), s.size());
  return hex;
}

void sync_dir(const std::filesystem::path& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// Writes `text` as `path`, whole or not at all, never over an existing file (first link wins).
// false when another process created it first.
Result<bool> create_file(const std::string& path, const std::string& text) {
  const std::filesystem::path file(path);
  const std::filesystem::path dir = file.parent_path();
  std::error_code ec;
  if (!dir.empty() && !std::filesystem::exists(dir, ec)) {
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      return fail(unreadable(path, "cannot create its folder: " + ec.message()));
    }
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  }
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return fail(unreadable(path, std::string("cannot create it: ") + std::strerror(errno)));
  }
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  const int write_errno = errno;
  ::close(fd);
  if (!written) {
    ::unlink(tmp.c_str());
    return fail(unreadable(path, std::string("cannot write it: ") + std::strerror(write_errno)));
  }
  const int linked = ::link(tmp.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(tmp.c_str());
  if (linked != 0) {
    if (link_errno == EEXIST) {
      return false;
    }
    return fail(unreadable(path, std::string("cannot create it: ") + std::strerror(link_errno)));
  }
  sync_dir(dir);
  return true;
}

} // namespace

Result<Keyring> Keyring::load(const std::string& path) {
  ensure_sodium();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return fail(unreadable(path, "missing (restore it from your backup, or set its path in the configuration)"));
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    // Not refused (an operator may have reasons), but said where an operator looks.
    log::warn("the personal data key file can be read by other users than the server's: chmod 600 it",
              {{"file", path}});
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(unreadable(path, std::strerror(errno)));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  auto keys = parse(path, text);
  sodium_memzero(text.data(), text.size());
  if (!keys) {
    return fail(std::move(keys).error());
  }
  return Keyring(std::move(*keys));
}

Result<Keyring> Keyring::load_or_create(const std::string& path) {
  ensure_sodium();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    std::string text = new_key_file_text();
    auto created = create_file(path, text);
    sodium_memzero(text.data(), text.size());
    if (!created) {
      return fail(std::move(created).error());
    }
    if (*created) {
      log::info("personal data key file created", {{"file", path}});
    }
  }
  return load(path);
}

std::string Keyring::new_key_file_text() {
  ensure_sodium();
  return "# Vikno's personal data keys (docs/security.md, \"Personal data keys\"). Keep a copy with the\n"
         "# backups, apart from the database: without this file sealed data cannot be read.\n"
         "# The first seal line seals, every seal line opens; the one lookup line keys the search hashes.\n"
         "seal " +
         random_key_hex() + "\nlookup " + random_key_hex() + "\n";
}

Keyring Keyring::generate() {
  ensure_sodium();
  auto keys = std::make_shared<Keys>();
  Keys::SealKey k;
  randombytes_buf(k.key.data(), k.key.size());
  k.id = key_id(k.key);
  keys->seal.push_back(std::move(k));
  randombytes_buf(keys->lookup.data(), keys->lookup.size());
  return Keyring(std::move(keys));
}

std::string Keyring::seal(std::string_view plaintext) const {
  const auto& key = keys_->seal.front();
  std::vector<unsigned char> box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size());
  randombytes_buf(box.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(box.data() + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(), box.data(),
                        key.key.data());
  std::string b64(sodium_base64_ENCODED_LEN(box.size(), kBase64), '\0');
  sodium_bin2base64(b64.data(), b64.size(), box.data(), box.size(), kBase64);
  b64.resize(std::strlen(b64.c_str()));
  return std::string(kPrefix) + key.id + "." + b64;
}

Result<std::string> Keyring::open(std::string_view sealed) const {
  const auto corrupt = [] { return fail(Error{ErrorKind::internal, "seal_corrupt", "a sealed text is damaged", {}}); };
  if (!sealed.starts_with(kPrefix) || sealed.size() < kPrefix.size() + 9 || sealed[kPrefix.size() + 8] != '.') {
    return corrupt();
  }
  const std::string_view id = sealed.substr(kPrefix.size(), 8);
  const std::string_view b64 = sealed.substr(kPrefix.size() + 9);
  const Keys::SealKey* key = nullptr;
  for (const auto& k : keys_->seal) {
    if (k.id == id) {
      key = &k;
    }
  }
  if (key == nullptr) {
    return fail(Error{ErrorKind::internal,
                      "seal_key_unknown",
                      "a text sealed with key " + std::string(id) + ", which is not in the key file",
                      {}});
  }
  if (b64.empty()) {
    return corrupt(); // and an empty vector's data() may be null, which libsodium must not get
  }
  std::vector<unsigned char> box(b64.size()); // decoded is shorter than its base64
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(box.data(), box.size(), b64.data(), b64.size(), nullptr, &len, &end, kBase64) != 0 ||
      end != b64.data() + b64.size() || len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return corrupt();
  }
  std::string plain(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 box.data() + crypto_secretbox_NONCEBYTES, len - crypto_secretbox_NONCEBYTES,
                                 box.data(), key->key.data()) != 0) {
    return corrupt();
  }
  return plain;
}

std::string Keyring::lookup_hash(std::string_view normalized) const {
  std::array<unsigned char, 32> hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(normalized.data()),
                     normalized.size(), keys_->lookup.data(), keys_->lookup.size());
  return to_hex(hash.data(), hash.size());
}

std::string Keyring::current_key_id() const { return keys_->seal.front().id; }

std::string new_id(Millis now) {
  ensure_sodium();
  std::array<unsigned char, 10> random{};
  randombytes_buf(random.data(), random.size());
  return uuid_v7(now, random);
}

} // namespace vikno::seal
