// Group commit: when writes share a commit, what a failure undoes, the order of the after-commit
// actions. The engine is tested on a recording host (the decisions), then on both databases.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <barrier>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/db.hpp"
#include "storage/group_commit.hpp"
#include "testing/test_db.hpp"

namespace vikno::storage {
namespace {

using namespace std::chrono_literals;

// A writer that writes nothing: it records the transaction statements the group sends.
class RecordingHost final : public GroupHost, public Connection {
public:
  Connection& begin_group() override {
    note("BEGIN");
    return *this;
  }
  void end_group(bool commit) override {
    note(commit ? "COMMIT" : "ROLLBACK");
    if (commit && fail_next_commit.exchange(false)) {
      throw Unavailable("disk full");
    }
  }
  void run(const char* sql) override { note(sql); }
  bool write_failed() override { return false; }

  Rows query(std::string_view, std::span<const Value>) override { return {}; }
  std::int64_t execute(std::string_view, std::span<const Value>) override { return 0; }
  void execute_script(std::string_view) override {}

  int count(const std::string& what) {
    std::lock_guard lock(mutex);
    return static_cast<int>(std::count(log.begin(), log.end(), what));
  }

  std::atomic<bool> fail_next_commit{false};
  std::mutex mutex;
  std::vector<std::string> log;

private:
  void note(const std::string& what) {
    std::lock_guard lock(mutex);
    log.push_back(what);
  }
};

// How a submitted write ended, as its actions tell it: null once committed, else its error.
class Outcome {
public:
  // `more`'s actions, then the ones that report here.
  AfterCommit report(AfterCommit more = {}) {
    more.on_commit([this] { told_.set_value(nullptr); });
    more.on_failure([this](const std::exception_ptr& e) { told_.set_value(e); });
    return more;
  }
  std::exception_ptr wait() { return told_future_.get(); }

private:
  std::promise<std::exception_ptr> told_;
  std::future<std::exception_ptr> told_future_ = told_.get_future();
};

// Long enough that a test relying on it would hang (and time out) instead of passing by luck.
constexpr GroupCommit::Options kPatient{std::chrono::hours(1), 64};

TEST(GroupCommit, WritesAnnouncedTogetherShareOneCommitAndActInWriteOrder) {
  RecordingHost host;
  GroupCommit group(host, kPatient);
  constexpr int kWriters = 8;
  std::vector<GroupCommit::Intent> intents;
  intents.reserve(kWriters);
  for (int i = 0; i < kWriters; ++i) {
    intents.push_back(group.intend()); // everybody announced before anybody writes
  }
  std::mutex order_mutex;
  std::vector<int> written;
  std::vector<int> published;
  std::vector<std::thread> threads;
  threads.reserve(kWriters);
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      auto pending = group.write(intents[static_cast<std::size_t>(i)], [&](Connection&, AfterCommit& after) {
        std::lock_guard lock(order_mutex);
        written.push_back(i);
        after.on_commit([&, i] { published.push_back(i); });
        return true;
      });
      pending.wait();
      std::lock_guard lock(order_mutex);
      EXPECT_EQ(published.size(), written.size()) << "a writer returned before its group's actions ran";
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(host.count("BEGIN"), 1);
  EXPECT_EQ(host.count("COMMIT"), 1);
  EXPECT_EQ(host.count("SAVEPOINT vikno_write"), kWriters);
  EXPECT_EQ(published, written); // after-commit actions in the order the writes ran
}

TEST(GroupCommit, AWriteAloneCommitsAtOnce) {
  RecordingHost host;
  GroupCommit group(host, kPatient);
  for (int round = 0; round < 3; ++round) {
    auto intent = group.intend();
    group.write(intent, [](Connection&, AfterCommit&) { return true; }).wait();
  }
  EXPECT_EQ(host.count("COMMIT"), 3);
}

TEST(GroupCommit, AnIntentThatNeverWritesDoesNotHoldTheGroup) {
  RecordingHost host;
  GroupCommit group(host, kPatient);
  auto writer = group.intend();
  auto quitter = group.intend();
  auto pending = group.write(writer, [](Connection&, AfterCommit&) { return true; });
  std::thread later([&] {
    std::this_thread::sleep_for(20ms);
    quitter.release(); // e.g. the request was refused before it wrote
  });
  pending.wait();
  later.join();
  EXPECT_EQ(host.count("COMMIT"), 1);
}

TEST(GroupCommit, AGroupCommitsAfterMaxDelayEvenWithAWriterStillAnnounced) {
  RecordingHost host;
  GroupCommit group(host, GroupCommit::Options{5ms, 64});
  auto writer = group.intend();
  auto slow = group.intend(); // never writes while the first waits
  group.write(writer, [](Connection&, AfterCommit&) { return true; }).wait();
  EXPECT_EQ(host.count("COMMIT"), 1);
}

TEST(GroupCommit, ARolledBackWriteUndoesOnlyItsOwnStatements) {
  RecordingHost host;
  GroupCommit group(host, kPatient);
  auto a = group.intend();
  auto b = group.intend();
  auto c = group.intend();
  auto kept = group.write(a, [](Connection&, AfterCommit&) { return true; });
  auto undone = group.write(b, [](Connection&, AfterCommit&) { return false; });
  EXPECT_THROW(group.write(c, [](Connection&, AfterCommit&) -> bool { throw std::runtime_error("bad request"); }),
               std::runtime_error);
  kept.wait();
  undone.wait(); // nothing to wait for
  EXPECT_EQ(host.count("ROLLBACK TO SAVEPOINT vikno_write"), 2);
  EXPECT_EQ(host.count("COMMIT"), 1);
  EXPECT_EQ(host.count("ROLLBACK"), 0);
}

TEST(GroupCommit, AFailedCommitFailsEveryWriteOfTheGroupAndWarnsBeforeTheNextWrite) {
  RecordingHost host;
  GroupCommit group(host, kPatient);
  host.fail_next_commit = true;
  std::atomic<int> warned{0};
  std::atomic<int> published{0};
  auto a = group.intend();
  auto b = group.intend();
  auto write = [&](GroupCommit::Intent& intent) {
    return group.write(intent, [&](Connection&, AfterCommit& after) {
      after.on_commit([&] { ++published; });
      after.on_failure([&] { ++warned; });
      return true;
    });
  };
  auto first = write(a);
  auto second = write(b);
  EXPECT_THROW(first.wait(), Unavailable);
  EXPECT_THROW(second.wait(), Unavailable);
  EXPECT_EQ(warned.load(), 2);
  EXPECT_EQ(published.load(), 0);
  auto next = group.intend();
  group
      .write(next,
             [&](Connection&, AfterCommit&) {
               EXPECT_EQ(warned.load(), 2); // the failure was known before this write ran
               return true;
             })
      .wait();
  EXPECT_EQ(host.count("COMMIT"), 2);
}

TEST(GroupCommit, SubmittedWritesRunInSubmissionOrderBeforeALaterWriteAndShareItsCommit) {
  RecordingHost host;
  GroupCommit group(host, kPatient);
  std::mutex ran_mutex;
  std::vector<std::string> ran;
  std::vector<std::string> published;
  std::array<Outcome, 3> outcomes;
  auto late = group.intend(); // holds the group open until the direct write below
  std::size_t k = 0;
  for (const char* name : {"first", "second", "third"}) {
    auto intent = group.intend();
    AfterCommit after;
    after.on_commit([&, name] { published.emplace_back(name); });
    group.submit(
        intent,
        [&, name](Connection&) {
          std::lock_guard lock(ran_mutex);
          ran.emplace_back(name);
        },
        outcomes.at(k++).report(std::move(after)));
  }
  auto direct = group.write(late, [&](Connection&, AfterCommit&) {
    std::lock_guard lock(ran_mutex);
    ran.emplace_back("direct");
    return true;
  });
  {
    std::lock_guard lock(ran_mutex);
    EXPECT_EQ(ran, (std::vector<std::string>{"first", "second", "third", "direct"}));
  }
  direct.wait();
  for (auto& outcome : outcomes) {
    EXPECT_EQ(outcome.wait(), nullptr);
  }
  EXPECT_EQ(published, (std::vector<std::string>{"first", "second", "third"}));
  EXPECT_EQ(host.count("COMMIT"), 1);
}

TEST(GroupCommit, ASubmittedWriteThatThrowsIsUndoneAloneAndWarnsBeforeTheNextQueuedWriteRuns) {
  RecordingHost host;
  GroupCommit group(host, kPatient);
  std::atomic<bool> poisoned{false};
  auto a = group.intend();
  auto b = group.intend();
  auto c = group.intend();
  AfterCommit warn;
  warn.on_failure([&] { poisoned = true; });
  Outcome kept;
  Outcome failing;
  Outcome after;
  group.submit(
      a, [](Connection&) {}, kept.report());
  group.submit(
      b, [](Connection&) { throw DbError("constraint"); }, failing.report(std::move(warn)));
  bool saw_poison = false;
  group.submit(
      c, [&](Connection&) { saw_poison = poisoned; }, after.report());
  auto failure = failing.wait();
  ASSERT_TRUE(failure);
  EXPECT_THROW(std::rethrow_exception(failure), DbError);
  EXPECT_EQ(kept.wait(), nullptr);
  EXPECT_EQ(after.wait(), nullptr);
  EXPECT_TRUE(saw_poison) << "the failure's actions ran before the next queued write";
  EXPECT_EQ(host.count("ROLLBACK TO SAVEPOINT vikno_write"), 1);
  EXPECT_EQ(host.count("COMMIT"), 1);
}

TEST(GroupCommit, ManyThreadsSubmittingLoseNoWriteAndKeepEachThreadsOrder) {
  RecordingHost host;
  GroupCommit group(host, GroupCommit::Options{200us, 16});
  constexpr int kThreads = 8;
  constexpr int kEach = 200;
  std::mutex order_mutex;
  std::vector<std::vector<int>> seen(kThreads);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto intent = group.intend();
        Outcome outcome;
        group.submit(
            intent,
            [&, t, i](Connection&) {
              std::lock_guard lock(order_mutex);
              seen[static_cast<std::size_t>(t)].push_back(i);
            },
            outcome.report());
        EXPECT_EQ(outcome.wait(), nullptr);
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  for (const auto& one : seen) {
    ASSERT_EQ(one.size(), static_cast<std::size_t>(kEach));
    EXPECT_TRUE(std::is_sorted(one.begin(), one.end()));
  }
  EXPECT_EQ(group.stats().writes, kThreads * kEach);
}

TEST(GroupCommit, SubmittedWritesNobodyWaitsForAreCommittedAndTellTheirOutcomeThroughTheirActions) {
  RecordingHost host;
  GroupCommit group(host, kPatient);
  Outcome kept;
  Outcome refused;
  {
    auto a = group.intend();
    auto b = group.intend();
    group.submit(
        a, [](Connection&) {}, kept.report());
    group.submit(
        b, [](Connection&) { throw DbError("constraint"); }, refused.report());
  }
  // Nobody waits and the group's delay is an hour: the writer thread commits once nobody is about
  // to write. A test that relied on a waiter would hang here.
  EXPECT_EQ(kept.wait(), nullptr);
  auto failure = refused.wait();
  ASSERT_TRUE(failure);
  EXPECT_THROW(std::rethrow_exception(failure), DbError) << "the failure action is told the write's own error";
  EXPECT_EQ(host.count("COMMIT"), 1);
  EXPECT_EQ(host.count("ROLLBACK TO SAVEPOINT vikno_write"), 1);
  EXPECT_EQ(group.stats().writes, 1);
}

TEST(GroupCommit, WritesFailingFromAFailedCommitUntilTheNextCommitButNotForAWritesOwnError) {
  RecordingHost host;
  GroupCommit group(host, kPatient);
  auto write = [&](bool keep, bool throw_own = false) {
    auto intent = group.intend();
    return group.write(intent, [&](Connection&, AfterCommit&) {
      if (throw_own) {
        throw DbError("a write's own bug");
      }
      return keep;
    });
  };
  EXPECT_FALSE(group.writes_failing());
  host.fail_next_commit = true;
  EXPECT_THROW(write(true).wait(), Unavailable);
  EXPECT_TRUE(group.writes_failing());
  EXPECT_THROW(write(true, true).wait(), DbError); // its own error: says nothing of the database
  EXPECT_TRUE(group.writes_failing());
  write(false).wait(); // rolled back, nothing committed: still not known to work
  EXPECT_TRUE(group.writes_failing());
  write(true).wait();
  EXPECT_FALSE(group.writes_failing());
  EXPECT_THROW(write(true, true).wait(), DbError);
  EXPECT_FALSE(group.writes_failing());
}

TEST(GroupCommit, AFailedCommitTellsTheSubmittedWritesItsError) {
  RecordingHost host;
  host.fail_next_commit = true;
  GroupCommit group(host, kPatient);
  Outcome outcome;
  auto intent = group.intend();
  group.submit(
      intent, [](Connection&) {}, outcome.report());
  auto failure = outcome.wait();
  ASSERT_TRUE(failure) << "a failed commit runs no commit action";
  EXPECT_THROW(std::rethrow_exception(failure), Unavailable);
}

TEST(GroupCommit, ClosingRunsAndCommitsWhatWasQueued) {
  RecordingHost host;
  std::atomic<int> committed{0};
  {
    GroupCommit group(host, kPatient);
    auto held = group.intend(); // nothing is due while this is outstanding (for an hour)
    for (int i = 0; i < 3; ++i) {
      auto intent = group.intend();
      AfterCommit after;
      after.on_commit([&] { ++committed; });
      group.submit(
          intent, [](Connection&) {}, std::move(after));
    }
    group.close();
    EXPECT_EQ(committed.load(), 3) << "close() commits what was queued before it returns";
  }
  EXPECT_EQ(host.count("COMMIT"), 1);
}

TEST(GroupCommit, AWriteInsideAWriteIsRefused) {
  RecordingHost host;
  GroupCommit group(host, kPatient);
  auto outer = group.intend();
  group
      .write(outer,
             [&](Connection&, AfterCommit&) {
               auto inner = group.intend();
               EXPECT_THROW(group.write(inner, [](Connection&, AfterCommit&) { return true; }), DbError);
               return true;
             })
      .wait();
}

// --- On both databases ------------------------------------------------------------------------

class GroupCommitDbTest : public testing::DbTest {
protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped()) {
      return;
    }
    std::string id = dialect() == Dialect::sqlite ? "id INTEGER PRIMARY KEY" : "id BIGSERIAL PRIMARY KEY";
    db().transact(
        [&](Connection& c) { c.execute_script("CREATE TABLE items (" + id + ", name TEXT NOT NULL UNIQUE)"); });
  }
  std::vector<std::string> names() {
    return db().read([](Connection& c) {
      std::vector<std::string> out;
      for (const auto& row : c.query("SELECT name FROM items ORDER BY id")) {
        out.push_back(row.text(0));
      }
      return out;
    });
  }
};

TEST_P(GroupCommitDbTest, AFailingWriteIsUndoneAloneAndLaterWritesSeeEarlierOnes) {
  auto a = db().intend_write();
  auto b = db().intend_write();
  auto c = db().intend_write();
  auto [first, first_commit] = db().write(a, [](Connection& conn, AfterCommit&) {
    conn.execute("INSERT INTO items (name) VALUES ('first')");
    return 1;
  });
  EXPECT_THROW(db().write(b,
                          [](Connection& conn, AfterCommit&) {
                            conn.execute("INSERT INTO items (name) VALUES ('doomed')");
                            conn.execute("INSERT INTO items (name) VALUES ('first')"); // duplicate
                            return 2;
                          }),
               UniqueViolation);
  auto [seen, third_commit] = db().write(c, [](Connection& conn, AfterCommit&) {
    auto n = conn.query_one("SELECT COUNT(*) FROM items")->int64(0); // 'first', not yet committed
    conn.execute("INSERT INTO items (name) VALUES ('third')");
    return n;
  });
  EXPECT_EQ(seen, 1);
  first_commit.wait();
  third_commit.wait();
  EXPECT_EQ(first, 1);
  EXPECT_EQ(names(), (std::vector<std::string>{"first", "third"}));
}

TEST_P(GroupCommitDbTest, ConcurrentWritersAllLand) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 25;
  std::barrier start(kThreads);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < kRounds; ++i) {
        try {
          auto intent = db().intend_write();
          auto [ok, pending] = db().write(intent, [&](Connection& c, AfterCommit&) {
            c.execute("INSERT INTO items (name) VALUES (?)", {std::to_string(t) + "-" + std::to_string(i)});
            return true;
          });
          pending.wait();
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(names().size(), static_cast<std::size_t>(kThreads * kRounds));
}

VIKNO_INSTANTIATE_DB_TEST(GroupCommitDbTest);

} // namespace
} // namespace vikno::storage
