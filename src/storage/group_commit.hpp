// Group commit: many small writes share one transaction, so they share one commit (one fsync).
//
// A write runs in a SAVEPOINT of the group's open transaction: if it fails or asks to roll back,
// only its own statements are undone. The caller then waits (`PendingCommit::wait`) until the
// group's transaction committed; if the commit itself fails, every write of the group gets the
// error, as if each had failed alone. Writes run one at a time on the one writer connection, in
// the order they arrive; a later write of the group sees what earlier ones wrote.
//
// When does a group commit? As soon as nobody else is about to write: a caller announces a coming
// write with `intend()` before it takes its own locks (the queue takes a center's mutex), so the
// group waits for it instead of committing without it. A group also commits once it is
// `max_delay` old or holds `max_writes` writes, so a steady stream of writers cannot hold it open.
//
// After the commit, each write's `on_commit` actions run in the order of the writes, and every
// group's actions after the previous group's, on the group commit's actions thread, so the writer goes on
// with the next group meanwhile (the queue sends its answers and publishes its live events there;
// an action must not wait for a commit). When a group is rolled back, its `on_failure` actions run
// before any later write starts (the queue marks the center's engine for a rebuild there).
//
// A write can also be handed over to run later (`submit`): its statements wait in a queue, in the
// order of submission, and run in front of any later write, on the group's writer thread (or on a
// thread that takes the writer first: a waiter, a later write()). The writer thread also commits the
// groups nobody waits for, so a submitter need not wait at all: its actions tell it the outcome.
// The queue uses this so a command holds its center's mutex only while it changes the engine, and
// no thread waits for the commit: the answer goes out from the commit's actions. A queued write
// that fails undoes only its own statements and runs its `on_failure` actions at once, before the
// next queued write runs.
//
// Rules for callers: never wait for a commit while holding a lock that an intending writer may
// need; never call `Db::transact` or another write inside a write (it throws DbError); a queued
// write's work and its actions take no lock of the caller's (they may run on any thread, even one
// holding such a lock).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace vikno::storage {

class Connection;

// What a driver lends the group: the writer connection and its transaction statements.
class GroupHost {
public:
  virtual ~GroupHost() = default;
  // Takes the writer connection and begins a transaction on it; throws Unavailable if it cannot.
  virtual Connection& begin_group() = 0;
  // Commits (commit = true; throws if that fails, after rolling back) or rolls back; gives the
  // writer connection back either way.
  virtual void end_group(bool commit) = 0;
  // Runs a fixed statement (SAVEPOINT, RELEASE, ROLLBACK TO) on the writer; throws if it fails.
  virtual void run(const char* sql) = 0;
  // After a commit: whether the group changed a row (a group of reads commits even on a full disk,
  // which says nothing of whether writes work). Drivers that cannot tell say true.
  [[nodiscard]] virtual bool group_changed() { return true; }
  // Around one write: whether one of its statements failed, even if the caller caught the error.
  virtual void begin_write() {}
  [[nodiscard]] virtual bool write_failed() = 0;
  virtual void end_write() {}
};

// The actions a write leaves for the end of its group. A failure action is told the error (the
// write's own, or the commit's).
class AfterCommit {
public:
  using FailureAction = std::function<void(const std::exception_ptr&)>;
  void on_commit(std::function<void()> action) { committed_.push_back(std::move(action)); }
  void on_failure(FailureAction action) { failed_.push_back(std::move(action)); }
  void on_failure(std::function<void()> action) {
    failed_.push_back([a = std::move(action)](const std::exception_ptr&) { a(); });
  }

private:
  friend class GroupCommit;
  std::vector<std::function<void()>> committed_;
  std::vector<FailureAction> failed_;
};

class GroupCommit {
  struct Group;
  struct Queued;

public:
  struct Options {
    std::chrono::microseconds max_delay{2000};
    int max_writes = 64;
  };

  // A write announced before it runs: while any is outstanding, the open group waits for it.
  class Intent {
  public:
    Intent(Intent&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
    Intent& operator=(Intent&&) = delete;
    Intent(const Intent&) = delete;
    Intent& operator=(const Intent&) = delete;
    ~Intent() { release(); }
    void release(); // the write will not come after all (also done by write())

  private:
    friend class GroupCommit;
    explicit Intent(GroupCommit* owner) : owner_(owner) {}
    GroupCommit* owner_;
  };

  // A write's share of its group's commit.
  class Pending {
  public:
    Pending() = default;
    Pending(Pending&& other) noexcept = default;
    Pending& operator=(Pending&& other) noexcept;
    Pending(const Pending&) = delete;
    Pending& operator=(const Pending&) = delete;
    ~Pending(); // waits (ignoring errors) if nobody did: a write is never left uncommitted
    // Returns once the group committed; throws the commit's error if it was rolled back. Commits
    // the group itself when nobody else is about to write.
    void wait();

  private:
    friend class GroupCommit;
    Pending(GroupCommit* owner, std::shared_ptr<Group> group) : owner_(owner), group_(std::move(group)) {}
    GroupCommit* owner_ = nullptr;
    std::shared_ptr<Group> group_;
  };

  explicit GroupCommit(GroupHost& host, Options options);
  explicit GroupCommit(GroupHost& host) : GroupCommit(host, Options{}) {}
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;
  ~GroupCommit();

  [[nodiscard]] Intent intend();
  // Runs fn(connection, after) in a savepoint of the open group (opening one if needed); fn returns
  // true to keep its statements, false to undo them. An exception from fn undoes them and is
  // rethrown. The Pending is empty when nothing was kept.
  Pending write(Intent& intent, const std::function<bool(Connection&, AfterCommit&)>& fn);
  // Queues work(connection) to run later in a savepoint of a group, after every write queued
  // before it, on the writer thread, which commits it. Nobody waits for it: after's actions tell how
  // it ended (an exception from work undoes its statements and runs after.on_failure at once).
  void submit(Intent& intent, std::function<void(Connection&)> work, AfterCommit after);
  // Ends the open group (committing what it holds) and refuses later writes with Unavailable.
  void close();
  struct Stats {
    std::int64_t commits = 0; // groups committed
    std::int64_t writes = 0;  // writes in those groups
  };
  [[nodiscard]] Stats stats();
  // True while writes fail: set when a group could not be opened or committed, or a write's
  // statements failed, for a reason that is not the write's own (vikno::Unavailable: the disk is
  // full, the database is lost); cleared by the next commit of a group holding writes. /readyz
  // reports it. The first failure after a success is logged (log::error) once, so a full disk
  // that refuses every write is one line, not one per request.
  [[nodiscard]] bool writes_failing() const noexcept { return writes_failing_.load(); }
  // When a write last failed so (steady clock; the epoch when none has).
  [[nodiscard]] std::chrono::steady_clock::time_point last_write_failure() const noexcept {
    return std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(last_failure_.load()));
  }
  // True on a thread that is running a write's fn now (so a nested write would deadlock).
  [[nodiscard]] bool writing_here() const;

private:
  // The writer thread: runs the queue and commits the open group when it is due.
  void run_writer();
  // The actions thread: runs the committed groups' actions in commit order, then lets their
  // writers return.
  void run_actions();
  // Whether the open group should commit now (nobody about to write, full, or old). Lock held.
  [[nodiscard]] bool due(const Group& group) const;
  // Runs fn (true: keep its statements) in a savepoint on the writer; returns the error that undid
  // them, or null. Throws when the savepoint cannot be set or undone: the group's transaction is lost.
  std::exception_ptr run_in_savepoint(const std::function<bool()>& fn, bool& kept);
  // A kept write joins its group: counted, its actions run with the group's. Lock held.
  static void join(Group& group, AfterCommit& after);
  // Tells the writer thread and one waiting writer that busy_ ended. Lock not held.
  void writer_free();
  // Waits for the group to end, committing it when this thread may. Called with the lock held.
  void settle(std::unique_lock<std::mutex>& lock, const std::shared_ptr<Group>& group);
  // Commits or rolls back the open group. Called with the lock held and busy_ false.
  void end_open(std::unique_lock<std::mutex>& lock, bool commit);
  // Ends an open group that holds no write when nobody is about to write. Lock held.
  void close_if_idle(std::unique_lock<std::mutex>& lock);
  // Rolls the open group back after its connection failed (a write's savepoint could not be undone).
  void fail_open(std::unique_lock<std::mutex>& lock, std::exception_ptr error);
  // Runs every queued write in the open group (opening one if needed). Lock held, busy_ false.
  void run_queued(std::unique_lock<std::mutex>& lock);
  // Waits until the writer is free and nothing is queued (running the queue when it may). Lock held.
  void take_writer(std::unique_lock<std::mutex>& lock);
  // Records how a write or a commit ended (writes_failing()); `error` null: it succeeded.
  void note_outcome(const std::exception_ptr& error);

  GroupHost& host_;
  Options options_;
  std::mutex mutex_;
  std::condition_variable slot_free_;     // writers waiting for busy_ to end
  std::condition_variable group_changed_; // writers waiting for their group's commit
  std::condition_variable writer_wake_;   // the writer thread: something queued, released or freed
  bool busy_ = false;                     // a write runs, or the open group is committing
  bool closed_ = false;
  int intents_ = 0;
  Stats stats_;
  std::atomic<bool> writes_failing_{false};
  std::atomic<std::chrono::steady_clock::rep> last_failure_{0};
  Connection* connection_ = nullptr;
  std::shared_ptr<Group> open_;
  std::vector<std::shared_ptr<Queued>> queue_; // submitted, not run yet, in order
  std::deque<std::shared_ptr<Group>> ended_;   // committed or rolled back, actions not run yet, in order
  std::condition_variable actions_wake_;
  bool actions_closed_ = false;
  std::thread writer_; // last: started once everything above exists
  std::thread actions_;
};

} // namespace vikno::storage
