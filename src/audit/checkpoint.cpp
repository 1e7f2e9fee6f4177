#include "audit/checkpoint.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include "audit/sodium_util.hpp"
#include "common/log.hpp"

namespace vikno::audit {

namespace {

constexpr std::string_view kTitle = "vikno audit checkpoint v1";
constexpr std::string_view kPrefix = "head-";
constexpr std::string_view kSuffix = ".checkpoint";
constexpr std::size_t kIdDigits = 12;

std::optional<std::int64_t> parse_int(std::string_view text) {
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || v < 0) {
    return std::nullopt;
  }
  return v;
}

// The head id a file name stands for; nullopt for any other name (temporary files among them).
std::optional<std::int64_t> id_of_name(const std::string& name) {
  if (!name.starts_with(kPrefix) || !name.ends_with(kSuffix) ||
      name.size() != kPrefix.size() + kIdDigits + kSuffix.size()) {
    return std::nullopt;
  }
  return parse_int(std::string_view(name).substr(kPrefix.size(), kIdDigits));
}

void sync_dir(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

[[noreturn]] void fail_write(const std::filesystem::path& file, const char* what, int err) {
  throw std::runtime_error("audit checkpoint " + file.string() + ": " + what + ": " + std::strerror(err));
}

} // namespace

std::string checkpoint_file_name(std::int64_t head_id) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "head-%012lld.checkpoint", static_cast<long long>(head_id));
  return buf;
}

std::string checkpoint_signed_text(const Checkpoint& c) {
  return std::string(kTitle) + "\nhead_id: " + std::to_string(c.head_id) + "\nhead_hash: " + c.head_hash +
         "\nkeyed_from: " + std::to_string(c.keyed_from) + "\nat: " + c.at + "\npublic_key: " + c.public_key_hex + "\n";
}

std::string format_checkpoint(const Checkpoint& c) {
  return checkpoint_signed_text(c) + "signature: " + c.signature_hex + "\n";
}

Result<Checkpoint> parse_checkpoint(const std::string& text) {
  auto bad = [](const std::string& what) { return fail(Error::invalid("bad_checkpoint", what)); };
  std::vector<std::string_view> lines;
  std::string_view rest = text;
  while (!rest.empty()) {
    auto nl = rest.find('\n');
    if (nl == std::string_view::npos) {
      return bad("the last line does not end");
    }
    lines.push_back(rest.substr(0, nl));
    rest.remove_prefix(nl + 1);
  }
  constexpr std::array<std::string_view, 6> kKeys = {
      "head_id: ", "head_hash: ", "keyed_from: ", "at: ", "public_key: ", "signature: "};
  if (lines.size() != kKeys.size() + 1 || lines[0] != kTitle) {
    return bad("not a checkpoint of this format (" + std::string(kTitle) + ", then 6 lines)");
  }
  std::array<std::string_view, 6> values{};
  for (std::size_t i = 0; i < kKeys.size(); ++i) {
    if (!lines[i + 1].starts_with(kKeys[i])) {
      return bad("line " + std::to_string(i + 2) + " must start with '" + std::string(kKeys[i]) + "'");
    }
    values[i] = lines[i + 1].substr(kKeys[i].size());
  }
  Checkpoint c;
  auto head_id = parse_int(values[0]);
  auto keyed_from = parse_int(values[2]);
  std::array<unsigned char, 32> hash{};
  std::array<unsigned char, 32> pk{};
  std::array<unsigned char, 64> sig{};
  if (!head_id || *head_id == 0 || !keyed_from) {
    return bad("head_id and keyed_from must be whole numbers");
  }
  if (!from_hex(values[1], hash) || !from_hex(values[4], pk) || !from_hex(values[5], sig)) {
    return bad("head_hash, public_key and signature must be 64, 64 and 128 hex digits");
  }
  c.head_id = *head_id;
  c.keyed_from = *keyed_from;
  c.head_hash = std::string(values[1]);
  c.public_key_hex = std::string(values[4]);
  c.signature_hex = std::string(values[5]);
  c.at = std::string(values[3]);
  if (c.at.size() != 24 || !c.at.ends_with('Z') || c.at[10] != 'T') {
    return bad("at must be a time as 2026-12-03T13:00:00.000Z");
  }
  return c;
}

bool signature_ok(const Checkpoint& c) {
  ensure_sodium();
  std::array<unsigned char, 32> pk{};
  std::array<unsigned char, 64> sig{};
  if (!from_hex(c.public_key_hex, pk) || !from_hex(c.signature_hex, sig)) {
    return false;
  }
  const std::string text = checkpoint_signed_text(c);
  return crypto_sign_verify_detached(sig.data(), reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                                     pk.data()) == 0;
}

std::vector<std::filesystem::path> checkpoint_files(const std::filesystem::path& dir) {
  std::vector<std::pair<std::int64_t, std::filesystem::path>> found;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (auto id = id_of_name(e.path().filename().string())) {
      found.emplace_back(*id, e.path());
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<std::filesystem::path> out;
  out.reserve(found.size());
  for (auto& [id, path] : found) {
    out.push_back(std::move(path));
  }
  return out;
}

CheckpointOutcome write_checkpoint(storage::Db& db, const std::filesystem::path& dir, const SigningKey& key,
                                   Millis now) {
  ensure_sodium();
  const Head head = read_head(db);
  CheckpointOutcome outcome;
  outcome.head_id = head.last_id;
  if (head.last_id == 0) {
    outcome.why_not = "the audit log is empty";
    return outcome;
  }
  const auto files = checkpoint_files(dir);
  if (!files.empty()) {
    const std::int64_t newest = *id_of_name(files.back().filename().string());
    if (newest > head.last_id) {
      outcome.ahead = true;
      outcome.why_not = "the newest checkpoint " + files.back().filename().string() +
                        " is ahead of the database (head " + std::to_string(head.last_id) +
                        "): entries were removed, or the database was restored from a backup or replaced; run vikno "
                        "audit verify";
      return outcome;
    }
    if (newest == head.last_id) {
      outcome.why_not =
          "a checkpoint of head " + std::to_string(newest) + " is there already: " + files.back().filename().string();
      return outcome;
    }
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    throw std::runtime_error("audit checkpoint folder " + dir.string() + ": " + ec.message());
  }
  Checkpoint c;
  c.head_id = head.last_id;
  c.head_hash = head.last_hash;
  c.keyed_from = head.keyed_from;
  c.at = format_iso8601(now);
  c.public_key_hex = key.public_hex();
  const std::string text = checkpoint_signed_text(c);
  std::array<unsigned char, 64> sig{};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                       key.secret.data());
  c.signature_hex = to_hex(sig);
  const std::string body = format_checkpoint(c);

  const std::filesystem::path file = dir / checkpoint_file_name(c.head_id);
  const std::filesystem::path tmp = dir / (".tmp-" + std::to_string(::getpid()) + "-" + file.filename().string());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    fail_write(tmp, "cannot create", errno);
  }
  const bool written = ::write(fd, body.data(), body.size()) == static_cast<ssize_t>(body.size()) && ::fsync(fd) == 0;
  const int write_errno = errno;
  ::close(fd);
  if (!written) {
    ::unlink(tmp.c_str());
    fail_write(tmp, "cannot write", write_errno);
  }
  // link() never replaces a file: a checkpoint, once there, stays as it was written.
  const int linked = ::link(tmp.c_str(), file.c_str());
  const int link_errno = errno;
  ::unlink(tmp.c_str());
  if (linked != 0) {
    if (link_errno == EEXIST) {
      outcome.why_not = "a checkpoint of head " + std::to_string(c.head_id) + " is there already";
      return outcome;
    }
    fail_write(file, "cannot create", link_errno);
  }
  sync_dir(dir);
  outcome.written = file;
  return outcome;
}

Checkpointer::Checkpointer(storage::Db& db, std::filesystem::path dir, SigningKey key, Clock clock,
                           std::chrono::seconds every)
    : db_(db), dir_(std::move(dir)), key_(key), clock_(std::move(clock)), every_(every) {
  write_logged();
  thread_ = std::jthread([this](const std::stop_token& stop) {
    std::mutex m;
    std::condition_variable_any cv;
    std::unique_lock lock(m);
    for (;;) {
      // Returns early only when a stop is requested (the predicate is never true by itself).
      cv.wait_for(lock, stop, every_, [] { return false; });
      if (stop.stop_requested()) {
        return;
      }
      write_logged();
    }
  });
}

Checkpointer::~Checkpointer() { stop(); }

void Checkpointer::stop() {
  if (stopped_) {
    return;
  }
  stopped_ = true;
  thread_.request_stop();
  if (thread_.joinable()) {
    thread_.join();
  }
  write_logged();
}

void Checkpointer::write_logged() {
  try {
    auto outcome = write_checkpoint(db_, dir_, key_, clock_());
    if (outcome.written) {
      log::info("audit checkpoint written", {{"head_id", outcome.head_id}, {"file", outcome.written->string()}});
    } else if (outcome.ahead && !warned_ahead_) {
      warned_ahead_ = true; // once: it stays so until the head passes the checkpoint
      log::warn("audit checkpoints are ahead of the database", {{"what", outcome.why_not}, {"dir", dir_.string()}});
    }
  } catch (const std::exception& e) {
    log::error("audit checkpoint failed", {{"what", e.what()}, {"dir", dir_.string()}});
  }
}

} // namespace vikno::audit
