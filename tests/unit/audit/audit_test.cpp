#include <gtest/gtest.h>

#include <thread>

#include "audit/audit.hpp"
#include "testing/test_db.hpp"

namespace vikno::audit {
namespace {

using storage::Connection;
using storage::Dialect;

Entry sample(int i) {
  Entry e;
  e.at = 1'760'000'000'000 + i;
  e.actor = "user:" + std::to_string(i % 3 + 1);
  e.action = "ticket.call";
  e.object_type = "ticket";
  e.object_id = std::to_string(100 + i);
  e.before = "status=waiting";
  e.after = "status=called";
  e.source = "192.0.2." + std::to_string(i % 250);
  e.details_json = R"({"window":)" + std::to_string(i % 5) + "}";
  return e;
}

TEST(AuditCanonical, FieldBoundariesCannotBeShifted) {
  Entry a = sample(1);
  Entry b = a;
  a.actor = "user:1";
  a.action = "x.y";
  b.actor = "user:1x";
  b.action = ".y";
  EXPECT_NE(canonical(1, a), canonical(1, b));
  const std::string zero(64, '0');
  EXPECT_NE(chain_hash(zero, 1, a), chain_hash(zero, 1, b));
  EXPECT_NE(chain_hash(zero, 1, a), chain_hash(zero, 2, a)); // the id is part of the hash
  EXPECT_THROW((void)chain_hash("xyz", 1, a), std::invalid_argument);
}

TEST(AuditCanonical, FormatIsStable) {
  // Pinned: changing the canonical form breaks every existing log. Computed independently with
  // Python: hashlib.blake2b(bytes(32) + canonical, digest_size=32).
  Entry e;
  e.at = 1;
  e.actor = "system";
  e.action = "a.b";
  EXPECT_EQ(chain_hash(std::string(64, '0'), 1, e), "97eceee36a80bfa507eb9e7973299e1f3f23bcd208c5f09ce379cb7c8bbef893");
}

class AuditTest : public storage::testing::DbTest {
protected:
  void append_many(int n) {
    for (int i = 0; i < n; ++i) {
      db().transact([&](Connection& c) { append(c, sample(i)); });
    }
  }
  // What an attacker with direct database access would do first.
  void drop_append_only_guard() {
    test_db().admin_execute(dialect() == Dialect::sqlite
                                ? "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
                                : "DROP TRIGGER audit_log_append_only ON audit_log;");
  }
  void tamper(const std::string& sql, std::initializer_list<storage::Value> params = {}) {
    db().transact([&](Connection& c) { c.execute(sql, params); });
  }
};

TEST_P(AuditTest, AppendedEntriesVerify) {
  EXPECT_TRUE(verify(db()).ok);
  append_many(12);
  // Several entries in one transaction chain like any others.
  const auto ids = db().transact([&](Connection& c) {
    return std::pair{append(c, sample(12)), append(c, sample(13))};
  });
  EXPECT_EQ(ids.first, 13);
  EXPECT_EQ(ids.second, 14);
  const VerifyReport report = verify(db());
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.entries, 14);
  EXPECT_FALSE(report.first_bad_id);

  const auto records = page(db(), 0, 100);
  ASSERT_EQ(records.size(), 14u);
  EXPECT_EQ(records[0].prev_hash, std::string(64, '0'));
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].id, static_cast<std::int64_t>(i) + 1);
    if (i > 0) {
      EXPECT_EQ(records[i].prev_hash, records[i - 1].hash);
    }
  }
  EXPECT_EQ(records[4].entry.actor, sample(4).actor);
  EXPECT_EQ(records[4].entry.details_json, sample(4).details_json);
  EXPECT_EQ(page(db(), 12, 1).size(), 1u);
}

TEST_P(AuditTest, EntriesCannotBeChangedThroughTheApplication) {
  append_many(2);
  EXPECT_THROW(tamper("UPDATE audit_log SET actor = 'user:9' WHERE id = 1"), storage::DbError);
  EXPECT_THROW(tamper("DELETE FROM audit_log WHERE id = 2"), storage::DbError);
  EXPECT_TRUE(verify(db()).ok);
}

TEST_P(AuditTest, RolledBackAppendLeavesNoGap) {
  append_many(3);
  EXPECT_THROW(db().transact([&](Connection& c) {
    append(c, sample(3));
    throw std::runtime_error("the request failed after auditing");
  }),
               std::runtime_error);
  append_many(1);
  const VerifyReport report = verify(db());
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.entries, 4);
}

TEST_P(AuditTest, EditedFieldIsNamed) {
  append_many(10);
  drop_append_only_guard();
  tamper("UPDATE audit_log SET actor = ? WHERE id = ?", {"user:999", std::int64_t{7}});
  const VerifyReport report = verify(db());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_id, 7);
  EXPECT_EQ(report.entries, 6);
  ASSERT_FALSE(report.problems.empty());
  EXPECT_EQ(report.problems[0].code, "edited");
  EXPECT_EQ(report.problem, "entry 7 edited: its contents do not match its hash");
}

TEST_P(AuditTest, EditedAndRehashedEntryBreaksTheNextLink) {
  append_many(10);
  drop_append_only_guard();
  const Record r = page(db(), 6, 1).at(0);
  Entry forged = r.entry;
  forged.after = "status=served";
  tamper("UPDATE audit_log SET after_ref = ?, hash = ? WHERE id = 7",
         {forged.after, chain_hash(r.prev_hash, 7, forged)});
  const VerifyReport report = verify(db());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_id, 8);
}

TEST_P(AuditTest, RemovedMiddleEntryNamesTheNextOne) {
  append_many(10);
  drop_append_only_guard();
  tamper("DELETE FROM audit_log WHERE id = 5");
  const VerifyReport report = verify(db());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_id, 6);
  EXPECT_EQ(report.problem, "entry 5 removed: the chain goes from entry 4 to entry 6");
}

TEST_P(AuditTest, RemovedNewestEntriesAreNoticed) {
  append_many(10);
  drop_append_only_guard();
  tamper("DELETE FROM audit_log WHERE id >= 9");
  const VerifyReport report = verify(db());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_id, 9);
  EXPECT_EQ(report.problem, "entries 9..10 removed: the chain head says the newest entry is 10");
}

TEST_P(AuditTest, SwappedEntriesAreDetected) {
  append_many(10);
  drop_append_only_guard();
  const Record a = page(db(), 2, 1).at(0); // id 3
  const Record b = page(db(), 4, 1).at(0); // id 5
  const char* kOverwrite =
      "UPDATE audit_log SET at_ms = ?, actor = ?, action = ?, object_type = ?, object_id = ?, before_ref = ?,"
      " after_ref = ?, source = ?, details = ?, prev_hash = ?, hash = ? WHERE id = ?";
  auto overwrite = [&](const Record& with, std::int64_t id) {
    const Entry& e = with.entry;
    tamper(kOverwrite, {e.at, e.actor, e.action, e.object_type, e.object_id, e.before, e.after, e.source,
                        e.details_json, with.prev_hash, with.hash, id});
  };
  overwrite(b, 3);
  overwrite(a, 5);
  const VerifyReport report = verify(db());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_id, 3);
  EXPECT_EQ(report.problems.at(0).code, "reordered") << report.problem;
}

TEST_P(AuditTest, ConcurrentAppendsFromTwoInstancesNeverForkTheChain) {
  auto second_instance = test_db().open_another(2);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    storage::Db& target = t % 2 == 0 ? db() : *second_instance;
    threads.emplace_back([&target, t] {
      for (int i = 0; i < kPerThread; ++i) {
        target.transact([&](Connection& c) { append(c, sample(t * kPerThread + i)); });
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  const VerifyReport report = verify(db());
  EXPECT_TRUE(report.ok) << report.problem << " at " << report.first_bad_id.value_or(0);
  EXPECT_EQ(report.entries, kThreads * kPerThread);
}

TEST_P(AuditTest, VerifyReadsPastOnePage) {
  db().transact([&](Connection& c) {
    for (int i = 0; i < 2100; ++i) {
      append(c, sample(i));
    }
  });
  const VerifyReport report = verify(db());
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.entries, 2100);
}

TEST_P(AuditTest, EmptyActorIsABug) {
  Entry e = sample(1);
  e.actor.clear();
  EXPECT_THROW(db().transact([&](Connection& c) { append(c, e); }), std::invalid_argument);
}

VIKNO_INSTANTIATE_DB_TEST(AuditTest);

} // namespace
} // namespace vikno::audit
