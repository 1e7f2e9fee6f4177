#include "storage/group_commit.hpp"

#include "common/log.hpp"
#include "storage/db.hpp"

#include <algorithm>
#include <iterator>

namespace vikno::storage {

namespace {

thread_local const GroupCommit* tl_writing = nullptr; // the GroupCommit whose write runs on this thread

constexpr const char* kSavepoint = "SAVEPOINT vikno_write";
constexpr const char* kRelease = "RELEASE SAVEPOINT vikno_write";
constexpr const char* kRollbackTo = "ROLLBACK TO SAVEPOINT vikno_write";

void run_all(std::vector<std::function<void()>>& actions) {
  for (auto& action : actions) {
    try {
      action();
    } catch (...) {
      // An action after the fact cannot undo the commit; the next one still runs.
    }
  }
}

void run_failed(std::vector<AfterCommit::FailureAction>& actions, const std::exception_ptr& error) {
  for (auto& action : actions) {
    try {
      action(error);
    } catch (...) { // NOLINT(bugprone-empty-catch): the next one still runs
    }
  }
}

} // namespace

struct GroupCommit::Group {
  std::chrono::steady_clock::time_point opened = std::chrono::steady_clock::now();
  int writes = 0;
  bool done = false;
  std::exception_ptr error;
  std::vector<std::function<void()>> committed;
  std::vector<AfterCommit::FailureAction> failed;
};

struct GroupCommit::Queued {
  std::function<void(Connection&)> work;
  AfterCommit after;
  std::exception_ptr error; // its statements failed (or its group could not be opened)
};

GroupCommit::GroupCommit(GroupHost& host, Options options)
    : host_(host), options_(options), writer_([this] { run_writer(); }), actions_([this] { run_actions(); }) {}

GroupCommit::~GroupCommit() { close(); }

GroupCommit::Stats GroupCommit::stats() {
  std::lock_guard lock(mutex_);
  return stats_;
}

bool GroupCommit::writing_here() const { return tl_writing == this; }

GroupCommit::Intent GroupCommit::intend() {
  std::lock_guard lock(mutex_);
  ++intents_;
  return Intent(this);
}

void GroupCommit::Intent::release() {
  if (owner_ == nullptr) {
    return;
  }
  GroupCommit* owner = owner_;
  owner_ = nullptr;
  std::unique_lock lock(owner->mutex_);
  --owner->intents_;
  owner->close_if_idle(lock);
  lock.unlock();
  owner->group_changed_.notify_all(); // the group may be complete now
  owner->writer_wake_.notify_one();
}

GroupCommit::Pending& GroupCommit::Pending::operator=(Pending&& other) noexcept {
  if (this != &other) {
    try {
      wait();
    } catch (...) { // NOLINT(bugprone-empty-catch): the error belonged to the abandoned write
    }
    owner_ = other.owner_;
    group_ = std::move(other.group_);
    other.owner_ = nullptr;
  }
  return *this;
}

GroupCommit::Pending::~Pending() {
  try {
    wait();
  } catch (...) { // NOLINT(bugprone-empty-catch): nobody asked for the result
  }
}

void GroupCommit::Pending::wait() {
  if (owner_ == nullptr || !group_) {
    return;
  }
  std::shared_ptr<Group> group = std::move(group_);
  GroupCommit* owner = owner_;
  owner_ = nullptr;
  std::unique_lock lock(owner->mutex_);
  owner->settle(lock, group);
  if (group->error) {
    std::rethrow_exception(group->error);
  }
}

void GroupCommit::settle(std::unique_lock<std::mutex>& lock, const std::shared_ptr<Group>& group) {
  while (!group->done) {
    if (!busy_ && !queue_.empty()) {
      run_queued(lock); // writes queued behind this one join its group before it commits
      continue;
    }
    if (open_ == group && !busy_) {
      if (due(*group)) {
        end_open(lock, true);
        continue;
      }
      group_changed_.wait_until(lock, group->opened + options_.max_delay);
    } else {
      group_changed_.wait(lock);
    }
  }
}

void GroupCommit::end_open(std::unique_lock<std::mutex>& lock, bool commit) {
  std::shared_ptr<Group> group = std::move(open_);
  busy_ = true;
  lock.unlock();
  try {
    host_.end_group(commit && group->writes > 0);
  } catch (...) {
    group->error = std::current_exception();
  }
  connection_ = nullptr;
  if (group->error) {
    run_failed(group->failed, group->error); // before any later write runs: busy_ is still set
  }
  if (group->error || (commit && group->writes > 0 && host_.group_changed())) {
    note_outcome(group->error);
  }
  lock.lock();
  if (!group->error && group->writes > 0) {
    stats_.commits += 1;
    stats_.writes += group->writes;
  }
  busy_ = false; // the next group may start writing while this one's actions run
  ended_.push_back(std::move(group));
  lock.unlock();
  writer_free();
  actions_wake_.notify_one();
  lock.lock();
}

void GroupCommit::run_actions() {
  std::unique_lock lock(mutex_);
  for (;;) {
    actions_wake_.wait(lock, [&] { return !ended_.empty() || actions_closed_; });
    if (ended_.empty()) {
      return;
    }
    std::shared_ptr<Group> group = std::move(ended_.front());
    ended_.pop_front();
    lock.unlock();
    if (!group->error) {
      run_all(group->committed);
    }
    lock.lock();
    group->done = true; // its writers return only now, after their actions
    group_changed_.notify_all();
  }
}

void GroupCommit::close_if_idle(std::unique_lock<std::mutex>& lock) {
  // A group whose writes all rolled back, with nobody coming: end its (empty) transaction now
  // rather than keep the writer's lock.
  if (open_ && !busy_ && intents_ == 0 && open_->writes == 0) {
    end_open(lock, false);
  }
}

void GroupCommit::fail_open(std::unique_lock<std::mutex>& lock, std::exception_ptr error) {
  std::shared_ptr<Group> group = std::move(open_);
  lock.unlock();
  try {
    host_.end_group(false);
  } catch (...) { // NOLINT(bugprone-empty-catch): the first error is the one to report
  }
  connection_ = nullptr;
  group->error = std::move(error);
  note_outcome(group->error);
  run_failed(group->failed, group->error);
  lock.lock();
  group->done = true;
  group_changed_.notify_all();
}

GroupCommit::Pending GroupCommit::write(Intent& intent, const std::function<bool(Connection&, AfterCommit&)>& fn) {
  if (writing_here()) {
    throw DbError("a write started inside another write on the same database (nested transactions are not supported)");
  }
  std::unique_lock lock(mutex_);
  take_writer(lock);
  if (intent.owner_ == this) {
    --intents_;
    intent.owner_ = nullptr;
  }
  if (closed_) {
    throw Unavailable("database is closed");
  }
  busy_ = true;
  struct Idle { // busy_ ends however the write ends
    GroupCommit* self;
    std::unique_lock<std::mutex>& lock;
    bool kept = false; // the writer will wait for its group itself (and commit it if it is the last)
    ~Idle() {
      if (!lock.owns_lock()) {
        lock.lock();
      }
      self->busy_ = false;
      self->close_if_idle(lock);
      const bool queued = !self->queue_.empty();
      lock.unlock();
      self->writer_free();
      if (!kept || queued) {
        // The writers waiting may have been waiting for this one, or for the writer to run the queue.
        self->group_changed_.notify_all();
      }
    }
  } idle{this, lock};

  if (!open_) {
    lock.unlock();
    Connection& c = host_.begin_group();
    lock.lock();
    connection_ = &c;
    open_ = std::make_shared<Group>();
  }
  std::shared_ptr<Group> group = open_;
  Connection& c = *connection_;
  lock.unlock();

  AfterCommit after;
  bool kept = false;
  std::exception_ptr error;
  try {
    error = run_in_savepoint([&] { return fn(c, after); }, kept);
  } catch (...) {
    lock.lock();
    fail_open(lock, std::current_exception());
    lock.unlock();
    throw;
  }
  if (error) {
    std::rethrow_exception(error);
  }
  if (!kept) {
    return {};
  }
  lock.lock();
  join(*group, after);
  idle.kept = true;
  return Pending(this, group);
}

void GroupCommit::submit(Intent& intent, std::function<void(Connection&)> work, AfterCommit after) {
  auto queued = std::make_shared<Queued>();
  queued->work = std::move(work);
  queued->after = std::move(after);
  std::unique_lock lock(mutex_);
  if (intent.owner_ == this) {
    --intents_;
    intent.owner_ = nullptr;
  }
  if (closed_) {
    throw Unavailable("database is closed");
  }
  queue_.push_back(std::move(queued));
  lock.unlock();
  writer_wake_.notify_one();
}

std::exception_ptr GroupCommit::run_in_savepoint(const std::function<bool()>& fn, bool& kept) {
  host_.run(kSavepoint);
  host_.begin_write();
  std::exception_ptr error;
  kept = false;
  tl_writing = this;
  try {
    kept = fn();
  } catch (...) {
    error = std::current_exception();
  }
  tl_writing = nullptr;
  if (!error && host_.write_failed()) {
    error = std::make_exception_ptr(
        DbError("a statement failed inside the transaction and its error was caught; rolled back"));
  }
  host_.end_write();
  if (error) {
    note_outcome(error); // only a lost database or a full disk counts; a write's own error does not
  }
  if (error || !kept) {
    kept = false;
    host_.run(kRollbackTo);
  }
  host_.run(kRelease);
  return error;
}

void GroupCommit::join(Group& group, AfterCommit& after) {
  ++group.writes;
  std::move(after.committed_.begin(), after.committed_.end(), std::back_inserter(group.committed));
  std::move(after.failed_.begin(), after.failed_.end(), std::back_inserter(group.failed));
}

bool GroupCommit::due(const Group& group) const {
  return intents_ == 0 || group.writes >= options_.max_writes ||
         std::chrono::steady_clock::now() >= group.opened + options_.max_delay;
}

void GroupCommit::writer_free() {
  slot_free_.notify_one();
  writer_wake_.notify_one();
}

void GroupCommit::run_writer() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (busy_) {
      writer_wake_.wait(lock);
    } else if (!queue_.empty()) {
      run_queued(lock);
    } else if (open_ && (closed_ || due(*open_))) {
      end_open(lock, true);
    } else if (open_) {
      writer_wake_.wait_until(lock, open_->opened + options_.max_delay);
    } else if (closed_) {
      return;
    } else {
      writer_wake_.wait(lock);
    }
  }
}

void GroupCommit::take_writer(std::unique_lock<std::mutex>& lock) {
  for (;;) {
    slot_free_.wait(lock, [&] { return !busy_ || closed_; });
    if (closed_ || queue_.empty()) {
      return;
    }
    run_queued(lock);
  }
}

void GroupCommit::run_queued(std::unique_lock<std::mutex>& lock) {
  std::vector<std::shared_ptr<Queued>> batch = std::move(queue_);
  queue_.clear();
  busy_ = true;
  std::shared_ptr<Group> group = open_;
  Connection* c = connection_;
  lock.unlock();
  try {
    if (!group) {
      c = &host_.begin_group();
      group = std::make_shared<Group>();
      lock.lock();
      connection_ = c;
      open_ = group;
      lock.unlock();
    }
    for (auto& queued : batch) {
      Queued& q = *queued;
      bool kept = false;
      q.error = run_in_savepoint( // throws if the transaction is lost: handled below
          [&] {
            q.work(*c);
            return true;
          },
          kept);
      if (q.error) {
        run_failed(q.after.failed_, q.error); // before the next queued write runs
      }
    }
  } catch (...) {
    // The group's transaction is lost (or could not begin): every write of the batch fails with it
    // (one whose own statements failed first keeps its error; its actions ran already).
    const std::exception_ptr error = std::current_exception();
    note_outcome(error);
    for (auto& q : batch) {
      if (!q->error) {
        q->error = error;
        run_failed(q->after.failed_, error);
      }
    }
    lock.lock();
    if (open_ == group && group) {
      fail_open(lock, error);
    }
    busy_ = false;
    lock.unlock();
    writer_free();
    group_changed_.notify_all();
    lock.lock();
    return;
  }
  lock.lock();
  for (auto& q : batch) {
    if (!q->error) {
      join(*group, q->after);
    }
  }
  busy_ = false;
  close_if_idle(lock);
  // No wake-up for everyone here: the writes of the batch learn that they ran when their group
  // ends, and this thread goes on to run what was queued meanwhile or to end the group. Only a full
  // group is worth waking its committer for.
  const bool full = open_ && open_->writes >= options_.max_writes;
  lock.unlock();
  writer_free();
  if (full) {
    group_changed_.notify_all();
  }
  lock.lock();
}

void GroupCommit::note_outcome(const std::exception_ptr& error) {
  if (!error) {
    writes_failing_.store(false);
    return;
  }
  try {
    std::rethrow_exception(error);
  } catch (const Unavailable& e) {
    last_failure_.store(std::chrono::steady_clock::now().time_since_epoch().count());
    if (!writes_failing_.exchange(true)) {
      const bool full = e.reason() == Unavailable::Reason::disk_full;
      log::error(full ? "the disk of the database is full: writes fail until space is freed"
                      : "writes to the database fail",
                 {{"reason", to_code(e.reason())}, {"what", e.what()}});
    }
  } catch (...) { // NOLINT(bugprone-empty-catch): a write's own error (a bug, a conflict) says nothing of the database
  }
}

void GroupCommit::close() {
  std::unique_lock lock(mutex_);
  if (!closed_) {
    take_writer(lock);
    if (open_) {
      end_open(lock, true);
    }
    closed_ = true;
  }
  lock.unlock();
  slot_free_.notify_all();
  group_changed_.notify_all();
  writer_wake_.notify_all();
  if (writer_.joinable() && writer_.get_id() != std::this_thread::get_id()) {
    writer_.join(); // after it ran what was queued meanwhile
  }
  lock.lock();
  actions_closed_ = true;
  lock.unlock();
  actions_wake_.notify_all();
  if (actions_.joinable() && actions_.get_id() != std::this_thread::get_id()) {
    actions_.join(); // after the actions of every group ended before
  }
}

} // namespace vikno::storage
