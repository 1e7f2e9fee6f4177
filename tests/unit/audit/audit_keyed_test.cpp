// The keyed chain, its key files, the switch from an unkeyed chain of an earlier version, and the
// signed checkpoints; on SQLite and PostgreSQL.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <random>
#include <sstream>

#include "audit/audit.hpp"
#include "audit/checkpoint.hpp"
#include "audit/keys.hpp"
#include "storage/migrations.hpp"
#include "testing/test_db.hpp"

namespace vikno::audit {
namespace {

namespace fs = std::filesystem;
using storage::Connection;
using storage::Dialect;

Entry sample(int i) {
  Entry e;
  e.at = 1'760'000'000'000 + i;
  e.actor = "user:" + std::to_string(i % 3 + 1);
  e.action = "ticket.call";
  e.object_type = "ticket";
  e.object_id = std::to_string(100 + i);
  e.source = "192.0.2.7";
  return e;
}

ChainKey key_of(unsigned char first) {
  ChainKey k;
  for (std::size_t i = 0; i < k.bytes.size(); ++i) {
    k.bytes[i] = static_cast<unsigned char>(first + i);
  }
  return k;
}

// A folder of its own, removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("vikno-audit-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void spit(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

bool has_code(const VerifyReport& r, const std::string& code) {
  return std::any_of(r.problems.begin(), r.problems.end(), [&](const Problem& p) { return p.code == code; });
}

TEST(AuditKeyedCanonical, FormatIsStable) {
  // Pinned like version 1, computed independently with Python:
  // hashlib.blake2b(bytes(32) + canonical_v2, digest_size=32, key=bytes(range(32))).
  Entry e;
  e.at = 1;
  e.actor = "system";
  e.action = "a.b";
  const ChainKey key = key_of(0);
  EXPECT_TRUE(canonical(1, e, 2).substr(8, 14) == "vikno.audit.v2");
  EXPECT_EQ(keyed_chain_hash(key, std::string(64, '0'), 1, e),
            "7e576bcf10f30de23c93ef72a52ebe6a4efde9bc415431558c6de097647f0819");
  // hashlib.blake2b(b"vikno.audit.key-id", digest_size=16, key=bytes(range(32)))
  EXPECT_EQ(key.id(), "ca7e803816c1d3983a6f1217628fe879");
  // The unkeyed rule is still the pinned one.
  EXPECT_EQ(chain_hash(std::string(64, '0'), 1, e), "97eceee36a80bfa507eb9e7973299e1f3f23bcd208c5f09ce379cb7c8bbef893");
}

TEST(AuditKeyedCanonical, HashDependsOnTheKey) {
  const Entry e = sample(1);
  const std::string zero(64, '0');
  EXPECT_NE(keyed_chain_hash(key_of(0), zero, 1, e), keyed_chain_hash(key_of(1), zero, 1, e));
  EXPECT_NE(keyed_chain_hash(key_of(0), zero, 1, e), chain_hash(zero, 1, e));
  EXPECT_NE(key_of(0).id(), key_of(1).id());
}

TEST(AuditKeyFiles, CreatedOnceWithMode0600AndReadBack) {
  TempDir dir;
  const fs::path file = dir.path / "etc" / "vikno" / "audit.key";
  EXPECT_FALSE(read_chain_key(file));
  const ChainKey created = load_or_create_chain_key(file);
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_EQ(slurp(file).size(), 65u); // 64 hex digits and a newline
  EXPECT_EQ(read_chain_key(file)->bytes, created.bytes);
  EXPECT_EQ(load_or_create_chain_key(file).bytes, created.bytes); // never replaced
  EXPECT_NE(load_or_create_chain_key(dir.path / "other.key").bytes, created.bytes);

  const SigningKey signing = load_or_create_signing_key(dir.path / "signing.key");
  EXPECT_EQ(read_signing_key(dir.path / "signing.key")->public_key, signing.public_key);

  spit(dir.path / "bad.key", "not a key\n");
  EXPECT_THROW((void)read_chain_key(dir.path / "bad.key"), std::runtime_error);
}

class AuditKeyedTest : public storage::testing::DbTest {
protected:
  void SetUp() override {
    DbTest::SetUp();
    use_chain_key(std::nullopt);
  }
  void TearDown() override {
    use_chain_key(std::nullopt);
    DbTest::TearDown();
  }
  void append_many(int from, int n) {
    for (int i = from; i < from + n; ++i) {
      db().transact([&](Connection& c) { append(c, sample(i)); });
    }
  }
  void drop_append_only_guard() {
    test_db().admin_execute(dialect() == Dialect::sqlite
                                ? "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
                                : "DROP TRIGGER audit_log_append_only ON audit_log;");
  }
  void tamper(const std::string& sql, std::initializer_list<storage::Value> params = {}) {
    db().transact([&](Connection& c) { c.execute(sql, params); });
  }
  VerifyReport verify_with(std::optional<ChainKey> key, std::optional<fs::path> dir = std::nullopt,
                           std::optional<std::array<unsigned char, 32>> pk = std::nullopt) {
    return verify(db(), VerifyOptions{key, std::move(dir), pk});
  }
  // What an attacker without the key can do after editing entry k: recompute every later hash
  // with the unkeyed rule and move the head along.
  void rehash_unkeyed_from(std::int64_t k) {
    auto records = page(db(), k - 1, 100000);
    std::string prev = records.at(0).prev_hash;
    for (const auto& r : records) {
      const std::string h = chain_hash(prev, r.id, r.entry);
      tamper("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", {prev, h, r.id});
      prev = h;
    }
    tamper("UPDATE audit_head SET last_hash = ? WHERE singleton = 1", {prev});
  }
};

TEST_P(AuditKeyedTest, KeyedChainVerifiesOnlyWithItsKey) {
  const ChainKey key = key_of(7);
  use_chain_key(key);
  append_many(0, 6);
  const Head head = read_head(db());
  EXPECT_EQ(head.keyed_from, 1);
  EXPECT_EQ(head.key_id, key.id());
  const auto records = page(db(), 0, 10);
  EXPECT_EQ(records[2].hash, keyed_chain_hash(key, records[2].prev_hash, 3, records[2].entry));

  const VerifyReport good = verify_with(key);
  EXPECT_TRUE(good.ok) << good.problem;
  EXPECT_TRUE(good.complete) << good.unchecked;
  EXPECT_EQ(good.entries, 6);

  // Without the key: the structure holds, but that is not "intact".
  const VerifyReport keyless = verify_with(std::nullopt);
  EXPECT_TRUE(keyless.ok) << keyless.problem;
  EXPECT_FALSE(keyless.complete);
  EXPECT_NE(keyless.unchecked.find("6 keyed entries"), std::string::npos) << keyless.unchecked;

  const VerifyReport wrong = verify_with(key_of(9));
  EXPECT_FALSE(wrong.ok);
  EXPECT_TRUE(has_code(wrong, "wrong_key")) << wrong.problem;
}

TEST_P(AuditKeyedTest, EditedEntryRehashedWithoutTheKeyIsNamed) {
  const ChainKey key = key_of(7);
  use_chain_key(key);
  append_many(0, 10);
  drop_append_only_guard();
  tamper("UPDATE audit_log SET actor = 'user:99' WHERE id = 4");
  rehash_unkeyed_from(4);
  const VerifyReport report = verify_with(key);
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_id, 4);
  EXPECT_EQ(report.problem, "entry 4 edited: its contents do not match its hash");
}

TEST_P(AuditKeyedTest, AppendRefusesAKeyedChainWithoutItsKey) {
  use_chain_key(key_of(7));
  append_many(0, 2);
  use_chain_key(std::nullopt);
  EXPECT_THROW(append_many(2, 1), std::runtime_error);
  use_chain_key(key_of(8));
  EXPECT_THROW(append_many(2, 1), std::runtime_error);
  use_chain_key(key_of(7));
  append_many(2, 1);
  EXPECT_TRUE(verify_with(key_of(7)).ok);
}

TEST_P(AuditKeyedTest, UnkeyedChainOfAnEarlierVersionGoesOnKeyed) {
  // An installation of an earlier version: its chain is unkeyed.
  append_many(0, 5);
  EXPECT_EQ(read_head(db()).keyed_from, 0);
  const auto old_records = page(db(), 0, 10);
  // The new version starts with a key: later entries are keyed from the switch point on.
  const ChainKey key = key_of(3);
  use_chain_key(key);
  append_many(5, 4);
  const Head head = read_head(db());
  EXPECT_EQ(head.keyed_from, 6);
  EXPECT_EQ(head.last_id, 9);
  const auto records = page(db(), 0, 20);
  for (std::size_t i = 0; i < old_records.size(); ++i) {
    EXPECT_EQ(records[i].hash, old_records[i].hash); // the old entries are not rewritten
  }
  EXPECT_EQ(records[5].hash, keyed_chain_hash(key, records[4].hash, 6, records[5].entry));
  const VerifyReport report = verify_with(key);
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_TRUE(report.complete);
  EXPECT_EQ(report.entries, 9);
  EXPECT_EQ(report.keyed_from, 6);

  // An edit in the unkeyed part is still found by the unkeyed rule.
  drop_append_only_guard();
  tamper("UPDATE audit_log SET actor = 'user:99' WHERE id = 2");
  EXPECT_EQ(verify_with(key).first_bad_id, 2);
}

TEST_P(AuditKeyedTest, OpenKeysCreatesThemAndRefusesAMissingKeyOfAKeyedChain) {
  TempDir dir;
  const fs::path key_file = dir.path / "audit.key";
  const fs::path signing_file = dir.path / "audit-signing.key";
  const Keys keys = open_keys(db(), key_file, signing_file);
  EXPECT_TRUE(fs::exists(key_file));
  EXPECT_TRUE(fs::exists(signing_file));
  ASSERT_TRUE(chain_key());
  EXPECT_EQ(chain_key()->bytes, keys.chain.bytes);
  append_many(0, 2); // keyed from entry 1
  EXPECT_EQ(open_keys(db(), key_file, signing_file).chain.bytes, keys.chain.bytes);

  fs::rename(key_file, dir.path / "moved.key");
  EXPECT_THROW((void)open_keys(db(), key_file, signing_file), std::runtime_error);
  EXPECT_FALSE(fs::exists(key_file)) << "no new key is made up for a keyed chain";
  (void)load_or_create_chain_key(key_file); // another key in its place
  EXPECT_THROW((void)open_keys(db(), key_file, signing_file), std::runtime_error);
}

TEST_P(AuditKeyedTest, CheckpointsCatchEntriesRemovedFromTheEnd) {
  TempDir dir;
  const ChainKey key = key_of(5);
  use_chain_key(key);
  const SigningKey signer = load_or_create_signing_key(dir.path / "signing.key");
  const fs::path cps = dir.path / "checkpoints";
  append_many(0, 5);
  auto first = write_checkpoint(db(), cps, signer, 1'760'000'000'000);
  ASSERT_TRUE(first.written);
  EXPECT_EQ(first.written->filename(), "head-000000000005.checkpoint");
  EXPECT_FALSE(write_checkpoint(db(), cps, signer, 1'760'000'000'001).written) << "the head did not move";
  append_many(5, 5);
  ASSERT_TRUE(write_checkpoint(db(), cps, signer, 1'760'000'300'000).written);

  const VerifyReport good = verify_with(key, cps, signer.public_key);
  EXPECT_TRUE(good.ok) << good.problem;
  EXPECT_TRUE(good.complete) << good.unchecked;
  EXPECT_EQ(good.checkpoints, 2);
  EXPECT_EQ(good.newest_checkpoint, 10);

  // Remove entries 8..10 and move the head back to entry 7: the chain alone looks whole.
  drop_append_only_guard();
  const Record seventh = page(db(), 6, 1).at(0);
  tamper("DELETE FROM audit_log WHERE id > 7");
  tamper("UPDATE audit_head SET last_id = 7, last_hash = ? WHERE singleton = 1", {seventh.hash});
  EXPECT_TRUE(verify_with(key).ok);
  const VerifyReport report = verify_with(key, cps, signer.public_key);
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_id, 8);
  EXPECT_EQ(report.problem,
            "entries after 7 removed (checkpoint head-000000000010.checkpoint at head 10, database head 7)");
  // The writer says so too, and writes nothing over the evidence.
  const auto after = write_checkpoint(db(), cps, signer, 1'760'000'600'000);
  EXPECT_FALSE(after.written);
  EXPECT_TRUE(after.ahead);
}

TEST_P(AuditKeyedTest, CheckpointsCatchARecomputedChainAndAMovedSwitchPoint) {
  TempDir dir;
  // An unkeyed chain of an earlier version, checkpointed, then keyed.
  const SigningKey signer = load_or_create_signing_key(dir.path / "signing.key");
  const fs::path cps = dir.path / "checkpoints";
  append_many(0, 4);
  ASSERT_TRUE(write_checkpoint(db(), cps, signer, 1).written);
  const ChainKey key = key_of(5);
  use_chain_key(key);
  append_many(4, 4);
  ASSERT_TRUE(write_checkpoint(db(), cps, signer, 2).written);
  EXPECT_TRUE(verify_with(key, cps, signer.public_key).ok);

  // Whoever has the database file rewrites entry 2 and recomputes everything unkeyed, claiming the
  // chain was never keyed.
  drop_append_only_guard();
  tamper("UPDATE audit_log SET actor = 'user:99' WHERE id = 2");
  rehash_unkeyed_from(2);
  tamper("UPDATE audit_head SET keyed_from = NULL, key_id = NULL WHERE singleton = 1");
  const VerifyReport report = verify_with(key, cps, signer.public_key);
  EXPECT_FALSE(report.ok);
  EXPECT_TRUE(has_code(report, "checkpoint_mismatch")) << report.problem;
  EXPECT_TRUE(has_code(report, "keyed_from_moved")) << report.problem;
}

TEST_P(AuditKeyedTest, TamperedForeignAndUnreadableCheckpointsAreNamed) {
  TempDir dir;
  const ChainKey key = key_of(5);
  use_chain_key(key);
  const SigningKey signer = load_or_create_signing_key(dir.path / "signing.key");
  const fs::path cps = dir.path / "checkpoints";
  append_many(0, 3);
  const fs::path file = *write_checkpoint(db(), cps, signer, 1).written;

  // The head hash changed by hand: the signature no longer fits.
  const std::string original = slurp(file);
  std::string forged = original;
  const auto at = forged.find("head_hash: ") + 11;
  forged[at] = forged[at] == '0' ? '1' : '0';
  spit(file, forged);
  VerifyReport report = verify_with(key, cps, signer.public_key);
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.problem, "checkpoint file head-000000000003.checkpoint has a bad signature");

  // Signed well, by someone else's key.
  spit(file, original);
  const SigningKey other = load_or_create_signing_key(dir.path / "other.key");
  fs::remove(file);
  (void)write_checkpoint(db(), cps, other, 1);
  report = verify_with(key, cps, signer.public_key);
  EXPECT_TRUE(has_code(report, "checkpoint_foreign_key")) << report.problem;
  // Without the signing key the file's own public key is all there is: not complete.
  report = verify_with(key, cps, std::nullopt);
  EXPECT_TRUE(report.ok);
  EXPECT_FALSE(report.complete);

  spit(file, "half a fi");
  report = verify_with(key, cps, signer.public_key);
  EXPECT_TRUE(has_code(report, "checkpoint_unreadable")) << report.problem;
  // A temporary file of a writer that crashed is not a checkpoint.
  fs::remove(file);
  spit(cps / ".tmp-1-head-000000000003.checkpoint", "half");
  report = verify_with(key, cps, signer.public_key);
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.checkpoints, 0);
  ASSERT_EQ(report.warnings.size(), 1u);
}

TEST_P(AuditKeyedTest, CheckpointRoundTrip) {
  TempDir dir;
  const SigningKey signer = load_or_create_signing_key(dir.path / "signing.key");
  use_chain_key(key_of(1));
  append_many(0, 1);
  const fs::path file = *write_checkpoint(db(), dir.path, signer, 1'764'766'800'000).written;
  auto parsed = parse_checkpoint(slurp(file));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->head_id, 1);
  EXPECT_EQ(parsed->keyed_from, 1);
  EXPECT_EQ(parsed->head_hash, read_head(db()).last_hash);
  EXPECT_EQ(parsed->at, "2025-12-03T13:00:00.000Z");
  EXPECT_EQ(parsed->public_key_hex, signer.public_hex());
  EXPECT_TRUE(signature_ok(*parsed));
  EXPECT_EQ(format_checkpoint(*parsed), slurp(file));
  std::string seed = slurp(dir.path / "signing.key");
  seed.pop_back();
  EXPECT_EQ(slurp(file).find(seed), std::string::npos) << "the secret seed is never written out";
}

VIKNO_INSTANTIATE_DB_TEST(AuditKeyedTest);

// A database migrated by an earlier version (migrations up to 0005) with an unkeyed chain, then
// upgraded: migration 0006 applies and the chain goes on keyed.
class AuditUpgradeTest : public storage::testing::DbTest {
protected:
  [[nodiscard]] bool migrated() const override { return false; }
  void TearDown() override {
    use_chain_key(std::nullopt);
    DbTest::TearDown();
  }
};

TEST_P(AuditUpgradeTest, MigrationKeepsTheUnkeyedChainAndKeysNewEntries) {
  use_chain_key(std::nullopt);
  db().transact([](Connection& c) {
    c.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms "
              "BIGINT NOT NULL)");
  });
  for (const auto& m : storage::migrations_for(dialect())) {
    if (m.version > 5) {
      break;
    }
    db().transact([&](Connection& c) {
      c.execute_script(m.sql);
      c.execute("INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, 0)",
                {std::int64_t{m.version}, m.name});
    });
  }
  // The earlier version's append, by hand: its audit_head has no keyed_from yet.
  std::string prev(64, '0');
  for (int i = 1; i <= 3; ++i) {
    const Entry e = sample(i);
    const std::string h = chain_hash(prev, i, e);
    db().transact([&](Connection& c) {
      c.execute("INSERT INTO audit_log (id, at_ms, actor, action, object_type, object_id, source, prev_hash, hash)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                {std::int64_t{i}, e.at, e.actor, e.action, e.object_type, e.object_id, e.source, prev, h});
      c.execute("UPDATE audit_head SET last_id = ?, last_hash = ?", {std::int64_t{i}, h});
    });
    prev = h;
  }
  const auto report_migrate = storage::migrate(db());
  ASSERT_FALSE(report_migrate.applied_now.empty());
  EXPECT_EQ(read_head(db()).keyed_from, 0);
  EXPECT_TRUE(verify(db(), {}).ok);

  const ChainKey key = key_of(11);
  use_chain_key(key);
  db().transact([&](Connection& c) { append(c, sample(4)); });
  EXPECT_EQ(read_head(db()).keyed_from, 4);
  const VerifyReport report = verify(db(), VerifyOptions{key, std::nullopt, std::nullopt});
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.entries, 4);
}

VIKNO_INSTANTIATE_DB_TEST(AuditUpgradeTest);

} // namespace
} // namespace vikno::audit
