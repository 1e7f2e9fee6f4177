// CenterQueue: one center's electronic queue in memory, the pure state machine (no IO, time
// passed in). The service (queue/service) holds one per center behind a mutex: a command changes
// it first and lists its rows, which the database's writer commits after, in command order, often
// several commands in one group commit (storage/group_commit.hpp); when a commit fails, or when the
// center is first used (after a restart too), the service rebuilds it from the database.
//
// The routing policy (docs/queue-routing.md) is `pick`: for an administrator it returns the ticket
// to call and the rule that chose it, in this order:
//   1. transfer        a ticket transferred to this administrator by name;
//   2. booking         a booked visitor whose time has come (earliest booking first);
//   3. priority        a priority category (earliest issued first);
//   4. wait_limit      a ticket waiting longer than the center's limit, in any of the
//                      administrator's groups, primary or secondary (earliest first);
//   5. primary_skill   the longest-waiting ticket of the administrator's primary groups;
//   6. secondary_skill the longest-waiting ticket of the secondary groups.
// Rules 2-6 consider only the administrator's groups. Ties go to the earlier issue, then the lower id.
//
// Indexes keep "next" independent of the queue's length: per group, ordered sets of waiting
// tickets (all, priority, booked) and per administrator the tickets transferred to them by name.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/error.hpp"
#include "queue/model.hpp"

namespace vikno::queue {

// What the queue needs to know about a service group.
struct GroupInfo {
  std::string letter;                   // ticket letter
  Millis typical_ms = 15LL * 60 * 1000; // the catalog's typical visit, the estimator's starting point
};

struct Pick {
  std::int64_t ticket_id = 0;
  PickRule rule = PickRule::primary_skill;
};

// A waiting ticket's outlook: how many tickets the policy will call before it, and how long that
// should take; no wait when nobody who can serve it is at work.
//
// `ahead` follows the routing: of the administrators at work who serve the ticket's group, the
// fewest tickets any of them would call first if nobody else came (their tickets transferred to
// them by name, the priority visitors of all their groups, then their primary groups before their
// secondary ones, earliest first; the wait limit and bookings aside). With nobody at work for the
// group: the tickets of its own line before it. Why the number can grow while one waits:
// `shared` (these administrators serve other groups too, whose later visitors may go first) and
// `priority_ahead` (priority visitors among those ahead).
struct Estimate {
  int ahead = 0;
  std::optional<Millis> wait_ms;
  bool shared = false;
  int priority_ahead = 0;
  bool operator==(const Estimate&) const = default;
};

// The public load of one group: how many wait, and the expected wait of a ticket issued now.
struct GroupLoad {
  std::int64_t group_id = 0;
  int waiting = 0;
  int serving_administrators = 0; // available now with this group among their skills
  std::optional<Millis> expected_wait_ms;
  Millis longest_wait_ms = 0;
};

class CenterQueue {
public:
  explicit CenterQueue(Settings settings = {});

  void set_settings(Settings settings) { settings_ = std::move(settings); }
  [[nodiscard]] const Settings& settings() const { return settings_; }
  void set_group(std::int64_t group_id, GroupInfo info);
  [[nodiscard]] const GroupInfo* group(std::int64_t group_id) const;

  // --- Rebuilding from storage -------------------------------------------------------------------
  // An open ticket (waiting, called or serving) as stored.
  void restore(Ticket ticket);
  void restore(Administrator administrator);
  // The last sequence number used for a letter on a day, so numbering continues after a restart.
  void restore_sequence(const std::string& day, const std::string& letter, int last_seq);
  // A finished visit's time at the window (called -> finished), for the rolling average.
  void record_service_time(std::int64_t group_id, Millis ms);

  // --- Tickets -----------------------------------------------------------------------------------
  // The next number for the group on `day`: {"А-015", 15}. Sequences never go back within a day.
  Result<std::pair<std::string, int>> next_number(std::int64_t group_id, const std::string& day);
  // Adds an issued ticket (state waiting; its id already given by storage).
  void add(Ticket ticket);

  // --- Administrators ----------------------------------------------------------------------------
  Result<Administrator> sign_in(std::int64_t user_id, std::string name, std::int64_t window_id, int window_number,
                                Skills skills, Millis now);
  Result<Administrator> pause(std::int64_t user_id, std::string reason, Millis now);
  Result<Administrator> resume(std::int64_t user_id, Millis now);
  Result<Administrator> sign_out(std::int64_t user_id, Millis now);

  // --- The routing policy and the visit ----------------------------------------------------------
  [[nodiscard]] std::optional<Pick> pick(std::int64_t user_id, Millis now) const;
  // "Next": picks and calls; nullopt when nothing is eligible. Errors: not signed in, paused,
  // already holding a ticket.
  Result<std::optional<Ticket>> call_next(std::int64_t user_id, Millis now);
  // Recall the held ticket; past the center's number of recalls it becomes a no-show.
  Result<Ticket> recall(std::int64_t user_id, std::int64_t ticket_id, Millis now);
  Result<Ticket> start(std::int64_t user_id, std::int64_t ticket_id, Millis now);
  Result<Ticket> finish(std::int64_t user_id, std::int64_t ticket_id, Outcome outcome,
                        std::optional<std::int64_t> service_id, Millis now);
  Result<Ticket> no_show(std::int64_t user_id, std::int64_t ticket_id, Millis now);
  // The administrator corrects the outcome of the visit they finished last, within
  // kOutcomeCorrectionMs of its finish (a wrong key in the finish dialog); the visit record keeps
  // both (the service records the correction as a visit event of its own).
  static constexpr Millis kOutcomeCorrectionMs = 5LL * 60 * 1000;
  Result<Ticket> correct_outcome(std::int64_t user_id, std::int64_t ticket_id, Outcome outcome,
                                 std::optional<std::int64_t> service_id, Millis now);
  // The visit the administrator finished last, while it can still be corrected (else null).
  [[nodiscard]] const Ticket* correctable(std::int64_t user_id, Millis now) const;
  // Back to waiting for another group and optionally a named administrator, keeping the issue time.
  Result<Ticket> transfer(std::int64_t user_id, std::int64_t ticket_id, std::int64_t to_group,
                          std::optional<std::int64_t> to_user, Millis now);
  // The head of center moves a waiting ticket to a group and/or a named administrator.
  Result<Ticket> reassign(std::int64_t by_user, std::int64_t ticket_id, std::int64_t to_group,
                          std::optional<std::int64_t> to_user, Millis now);
  // A waiting or called ticket is withdrawn (by staff, or by its holder through the tracking link).
  Result<Ticket> cancel(std::int64_t ticket_id, std::string reason, Millis now);
  // The end of the day: every ticket issued before `day` (or, with include_day, on it too) that is
  // still waiting or called is closed with the reason; tickets being served on earlier days too.
  std::vector<Ticket> close_day(const std::string& day, bool include_day, const std::string& reason, Millis now);

  // --- Reading -----------------------------------------------------------------------------------
  [[nodiscard]] const Ticket* ticket(std::int64_t id) const;
  [[nodiscard]] const Administrator* administrator(std::int64_t user_id) const;
  [[nodiscard]] std::vector<const Administrator*> administrators() const;
  [[nodiscard]] std::vector<const Ticket*> open_tickets() const;
  [[nodiscard]] int waiting_count() const;
  [[nodiscard]] std::optional<Estimate> estimate(std::int64_t ticket_id, Millis now) const;
  // The estimates of many tickets at once (those the citizens follow): who is at work and each
  // group's pool are found once for all of them. In the order of `ticket_ids`.
  [[nodiscard]] std::vector<std::optional<Estimate>> estimates(const std::vector<std::int64_t>& ticket_ids) const;
  [[nodiscard]] GroupLoad load(std::int64_t group_id, Millis now) const;
  [[nodiscard]] std::vector<GroupLoad> loads(Millis now) const; // every group's, in group id order
  [[nodiscard]] std::vector<std::int64_t> groups() const;
  // The rolling average time at the window for a group (starts from the catalog's typical time).
  [[nodiscard]] Millis average_service_ms(std::int64_t group_id) const;

private:
  struct Key {
    Millis at = 0;
    std::int64_t id = 0;
    bool operator==(const Key&) const = default;
    bool operator<(const Key& other) const { return at != other.at ? at < other.at : id < other.id; }
  };
  struct GroupQueue {
    std::set<Key> all;      // every waiting ticket of the group not transferred to a person
    std::set<Key> priority; // those with a priority category
    std::set<Key> booked;   // those with a booking, keyed by the booked time
    std::set<Key> named;    // those transferred to a person by name (they wait in personal_)
  };

  void enqueue(const Ticket& t);
  void dequeue(const Ticket& t);
  Result<Ticket*> held_by(std::int64_t user_id, std::int64_t ticket_id);
  Ticket finalize(Ticket& t, TicketState state, Millis now);
  Result<Administrator*> signed_in(std::int64_t user_id);
  // Who serves a group's tickets now (see pooled_wait): the groups of every available administrator
  // who serves it, and the available administrators with any of those groups.
  struct Pool {
    std::vector<std::int64_t> groups;
    double servers = 0;
    int idle = 0;                               // of them, those without a ticket
    std::vector<const Administrator*> of_group; // at work with the group among their skills
  };
  // How the waiting tickets of one group stand against a ticket: all of them and the priority
  // ones, and of each those issued before it.
  struct Standing {
    std::int64_t group_id = 0;
    int all = 0;
    int priority = 0;
    int all_before = 0;
    int priority_before = 0;
  };
  [[nodiscard]] std::vector<Standing> standings(const Ticket& t, const Pool& pool) const;
  [[nodiscard]] Millis pooled_wait(const Ticket& t, const Pool& pool, const std::vector<Standing>& standings) const;
  // The routing's count of tickets ahead (see Estimate), with the priority ones among them.
  [[nodiscard]] std::pair<int, int> routed_ahead(const Ticket& t, const Pool& pool,
                                                 const std::vector<Standing>& standings) const;
  [[nodiscard]] std::vector<const Administrator*> at_work() const;
  [[nodiscard]] Pool pool_for(std::int64_t group_id, const std::vector<const Administrator*>& at_work) const;
  [[nodiscard]] Millis pooled_wait(const Ticket& t, const Pool& pool) const;
  [[nodiscard]] std::optional<Estimate> estimate(const Ticket* t, const std::vector<const Administrator*>& at_work,
                                                 std::map<std::int64_t, Pool>& pools) const;
  [[nodiscard]] GroupLoad load(std::int64_t group_id, Millis now,
                               const std::vector<const Administrator*>& at_work) const;
  [[nodiscard]] Millis personal_wait(std::int64_t group_id, int ahead, std::int64_t user_id) const;

  Settings settings_;
  std::map<std::int64_t, GroupInfo> groups_;
  std::unordered_map<std::int64_t, Ticket> tickets_; // open tickets only
  std::map<std::int64_t, Administrator> administrators_;
  std::map<std::int64_t, GroupQueue> waiting_;
  std::map<std::int64_t, std::set<Key>> personal_; // transferred by name, per administrator
  std::map<std::int64_t, Ticket> finished_;        // per administrator, the visit they finished last
  std::map<std::pair<std::string, std::string>, int> sequences_;
  struct ServiceTimes {
    std::deque<Millis> last; // the latest kServiceTimeWindow visits
    Millis sum = 0;          // of `last`
  };
  std::map<std::int64_t, ServiceTimes> service_times_;
};

} // namespace vikno::queue
