#include "seal/seal.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/ids.hpp"

namespace vikno::seal {

namespace {

constexpr std::string_view kPrefix = "s1.";

void ensure_sodium() {
  if (sodium_init() < 0) {
    throw std::runtime_error("libsodium could not be initialised");
  }
}

std::string to_base64(const unsigned char* data, std::size_t size) {
  std::string out(sodium_base64_encoded_len(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

bool from_base64(std::string_view text, std::vector<unsigned char>& out) {
  out.assign(text.size(), 0);
  std::size_t len = 0;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return false;
  }
  out.resize(len);
  return true;
}

std::string hex(const unsigned char* data, std::size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, size);
  out.pop_back();
  return out;
}

Error unreadable(const std::string& path, const std::string& why) {
  return Error{ErrorKind::internal, "seal_key_unreadable", "personal data key file " + path + ": " + why, {}};
}

// Written whole under a temporary name and linked into place: another process starting at the
// same time sees no file or the whole one, and the first link wins (as audit/keys.cpp does).
Result<bool> create_file(const std::string& path, const std::string& text) {
  const std::filesystem::path p(path);
  std::error_code ec;
  if (!p.parent_path().empty() && !std::filesystem::exists(p.parent_path(), ec)) {
    std::filesystem::create_directories(p.parent_path(), ec);
    if (ec) {
      return fail(unreadable(path, "cannot create its folder: " + ec.message()));
    }
    std::filesystem::permissions(p.parent_path(), std::filesystem::perms::owner_all, ec);
  }
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return fail(unreadable(path, std::string("cannot create it: ") + std::strerror(errno)));
  }
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    ::unlink(tmp.c_str());
    return fail(unreadable(path, "cannot write it"));
  }
  const int linked = ::link(tmp.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(tmp.c_str());
  if (linked != 0 && link_errno != EEXIST) {
    return fail(unreadable(path, std::string("cannot create it: ") + std::strerror(link_errno)));
  }
  return linked == 0;
}

} // namespace

Keyring Keyring::generate() {
  ensure_sodium();
  Keyring k;
  Key key;
  std::array<unsigned char, 8> id{};
  randombytes_buf(id.data(), id.size());
  key.id = hex(id.data(), id.size());
  randombytes_buf(key.bytes.data(), key.bytes.size());
  k.seal_keys_.push_back(key);
  randombytes_buf(k.lookup_.data(), k.lookup_.size());
  return k;
}

Keyring Keyring::rotated() const {
  Keyring fresh = generate();
  Keyring out = *this;
  out.seal_keys_.insert(out.seal_keys_.begin(), fresh.seal_keys_.front());
  return out;
}

std::string Keyring::text() const {
  std::string out = "# Vikno personal data keys: keep secret, back up apart from the database (docs/security.md)\n";
  for (const auto& k : seal_keys_) {
    out += "seal " + k.id + " " + to_base64(k.bytes.data(), k.bytes.size()) + "\n";
  }
  out += "lookup " + to_base64(lookup_.data(), lookup_.size()) + "\n";
  return out;
}

Result<Keyring> Keyring::load(const std::string& path) {
  ensure_sodium();
  std::ifstream in(path);
  if (!in) {
    return fail(unreadable(path, "cannot be read"));
  }
  Keyring k;
  bool lookup = false;
  std::string line;
  int n = 0;
  std::vector<unsigned char> bytes;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') {
      continue;
    }
    std::istringstream words(line);
    std::string kind;
    std::string a;
    std::string b;
    words >> kind >> a >> b;
    const std::string at = "line " + std::to_string(n);
    if (kind == "seal") {
      if (a.size() != 16 || !from_base64(b, bytes) || bytes.size() != 32) {
        return fail(unreadable(path, at + ": a seal key is an id of 16 hex digits and 32 bytes in base64"));
      }
      Key key;
      key.id = a;
      std::copy(bytes.begin(), bytes.end(), key.bytes.begin());
      k.seal_keys_.push_back(key);
    } else if (kind == "lookup" && !lookup) {
      if (!from_base64(a, bytes) || bytes.size() != 32) {
        return fail(unreadable(path, at + ": the lookup key is 32 bytes in base64"));
      }
      std::copy(bytes.begin(), bytes.end(), k.lookup_.begin());
      lookup = true;
    } else {
      return fail(unreadable(path, at + ": expected 'seal <id> <key>' or one 'lookup <key>'"));
    }
  }
  sodium_memzero(bytes.data(), bytes.size());
  if (k.seal_keys_.empty() || !lookup) {
    return fail(unreadable(path, "needs at least one seal key and the lookup key"));
  }
  return k;
}

Result<Keyring> Keyring::load_or_create(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    Keyring fresh = generate();
    VIKNO_TRY(created, create_file(path, fresh.text()));
    (void)created;
  }
  return load(path);
}

std::string Keyring::seal(std::string_view plaintext) const {
  const Key& key = seal_keys_.front();
  std::vector<unsigned char> box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size());
  randombytes_buf(box.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(box.data() + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(), box.data(),
                        key.bytes.data());
  return std::string(kPrefix) + key.id + "." + to_base64(box.data(), box.size());
}

Result<std::string> Keyring::open(std::string_view sealed) const {
  auto corrupt = [] { return fail(Error{ErrorKind::internal, "seal_corrupt", "a sealed record is damaged", {}}); };
  if (!sealed.starts_with(kPrefix) || sealed.size() < kPrefix.size() + 17 || sealed[kPrefix.size() + 16] != '.') {
    return corrupt();
  }
  const std::string_view id = sealed.substr(kPrefix.size(), 16);
  const Key* key = nullptr;
  for (const auto& k : seal_keys_) {
    if (k.id == id) {
      key = &k;
    }
  }
  if (key == nullptr) {
    return fail(Error{ErrorKind::internal,
                      "seal_key_unknown",
                      "a record is sealed with key " + std::string(id) + ", which the key file no longer holds",
                      {}});
  }
  std::vector<unsigned char> box;
  if (!from_base64(sealed.substr(kPrefix.size() + 17), box) ||
      box.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return corrupt();
  }
  std::string out(box.size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(out.data()), box.data() + crypto_secretbox_NONCEBYTES,
                                 box.size() - crypto_secretbox_NONCEBYTES, box.data(), key->bytes.data()) != 0) {
    return corrupt();
  }
  return out;
}

std::string Keyring::lookup_hash(std::string_view normalized) const {
  std::array<unsigned char, 32> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(normalized.data()),
                     normalized.size(), lookup_.data(), lookup_.size());
  return hex(out.data(), out.size());
}

std::string Keyring::current_key_id() const { return seal_keys_.front().id; }

std::string new_id(Millis now) {
  std::array<unsigned char, 10> random{};
  randombytes_buf(random.data(), random.size());
  return uuid_v7(now, random);
}

} // namespace vikno::seal
