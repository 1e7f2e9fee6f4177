// The inside of QueueService (not included outside src/queue): one center's queue in memory
// (`CenterState`: the engine plus what the registry says about the center, and what the citizens
// following its tickets were sent last), the ids of new rows (`RowIds`), and what a command's
// body works with (`Ctx`: the rows to write and the events to publish after the commit).
#pragma once

#include <boost/json.hpp>

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "queue/engine.hpp"
#include "queue/service.hpp"
#include "queue/store.hpp"
#include "registry/registry.hpp"
#include "storage/db.hpp"

namespace vikno::queue {

inline constexpr Millis kMetaRefreshMs = 60'000; // registry data (groups, windows, staff) re-read this often
inline constexpr std::size_t kRecentCalls = 8;   // the display's list of last calls
inline constexpr Millis kKeepAnswersMs = 24LL * 3600 * 1000;
inline constexpr Millis kRecentAnswersMs = 10LL * 60 * 1000; // an answer stays in memory this long after it was given
inline constexpr std::string_view kTicketTopic = "ticket:";

inline std::string center_topic(std::int64_t center_id) { return "center:" + std::to_string(center_id); }
inline std::string ticket_topic(const std::string& token) { return std::string(kTicketTopic) + token; }

// What a citizen following a ticket sees: sent again only when some of it changes. The wait
// counts in the minutes the tracking page shows (web/src/lib/format.ts, waitParts): every visit
// that ends moves the rolling averages a little, and a phone need not hear of seconds.
struct Outlook {
  TicketState state = TicketState::waiting;
  std::int64_t group_id = 0;
  int window_number = 0;
  int recalls = 0;
  Millis called_at = 0;
  std::optional<int> ahead;
  std::optional<Millis> wait_minutes; // -1: under a minute
  bool shared = false;                // the notes under "ahead" (Estimate)
  int priority_ahead = 0;
  std::size_t transfers = 0; // and whether it was sent on, to whom
  bool named = false;
  bool operator==(const Outlook&) const = default;

  static Outlook of(const Ticket& t, const std::optional<Estimate>& e);
};

// One center's queue in memory: the engine plus what the registry says about the center.
struct CenterState {
  struct Group {
    std::string code;
    std::string name_uk;
    std::string name_en;
    std::string letter;
    int sort_order = 0;
    std::vector<std::int64_t> services;
    Millis typical_ms = 0; // the catalog's typical duration, averaged over the group's services
  };
  struct Window {
    int number = 0;
    std::string label;
    bool active = true;
  };
  // Answers to Idempotency-Keys (actor + "\n" + key) given lately: until its commit an answer is
  // only here, and it stays a while after (a retry looks in the database before the mutex).
  struct RecentAnswer {
    Answer answer; // its `committed` settles with the commit of its rows
    Millis at = 0;
  };

  std::mutex mutex;
  bool loaded = false;
  bool leftovers_checked = false; // roll_day looked for tickets of earlier days since the last load
  // Counts the failed writes: a command's rows are written only if none failed since the command
  // read the engine (its rows build on what the failed ones would have written). The engine is
  // stale, to be rebuilt, when a write failed since it was loaded.
  std::atomic<std::uint64_t> generation{0};
  std::uint64_t loaded_generation = 0;
  std::map<std::string, RecentAnswer, std::less<>> answers;
  std::deque<std::pair<Millis, std::string>> answers_by_age;
  std::int64_t last_event_id = 0; // the last visit event the engine reflects (committed or not)
  Millis meta_at = 0;
  std::string day;
  std::string name_uk;
  std::string name_en;
  registry::CenterProfile profile; // opening hours for the end of the day
  CenterQueue engine;
  std::map<std::int64_t, Group> groups;
  std::map<std::int64_t, Window> windows;
  std::map<std::int64_t, registry::StaffSkills> staff;
  std::deque<Ticket> recent_calls;                         // latest first
  std::map<std::string, Outlook, std::less<>> sent;        // token -> what its watchers were sent last
  std::map<std::string, std::int64_t, std::less<>> tokens; // open tickets: token -> id

  // A call (or a recall) for the display's list of the latest calls.
  void remember_call(Ticket shown);
  const Ticket* open_ticket(const std::string& token) const;
  void mark_stale() { ++generation; }
  bool stale() const { return generation.load() != loaded_generation; }
  void remember_answer(const std::string& key, const Answer& answer, Millis now);
  // Whether a member of the center's staff works at its windows (a role that may, and skills
  // here), and whether they serve the group: only they may be named in a transfer.
  bool works_at_window(std::int64_t user_id) const;
  bool serves(std::int64_t user_id, std::int64_t group_id) const;
  // The staff member's name, or "".
  std::string staff_name(std::int64_t user_id) const;
  // Whether a service of the catalog is offered here (in any group).
  bool offers(std::int64_t service_id) const;
  // Reads the center, its windows, groups, services and staff from the registry.
  Result<void> load_meta(registry::Registry& registry, std::int64_t center_id, Millis now);
};

// Ids of new tickets and visit events come from this process, so a command's rows can be written
// after its center's mutex is released. SQLite (one process per database file) counts on from the
// largest id. PostgreSQL hands out blocks of 1,000 from each table's identity sequence (migration
// 0005 makes it step by 1,000), so instances that share the database never give the same id.
class RowIds {
public:
  static constexpr std::int64_t kAhead = 64; // ids of tickets and events kept ready for a command

  bool low() const;
  // Inside a write: tops up what runs low.
  void refill(storage::Connection& c, storage::Dialect dialect);
  std::int64_t ticket() { return take(tickets_); }
  std::int64_t event() { return take(events_); }

private:
  struct Range {
    std::int64_t next = 0;
    std::int64_t end = 0; // one past the last id reserved
  };
  std::int64_t take(Range& range);

  mutable std::mutex mutex_;
  Range tickets_;
  Range events_;
};

// What a command's body works with: the center, the time, and what to write and publish. Its
// rows are written later, in order, by the database's writer (`write`).
struct Ctx {
  CenterState& s;
  RowIds& ids;
  Millis now;
  const Command& cmd;
  std::vector<store::VisitEvent> events;
  bool mutated = false;
  std::map<std::int64_t, Ticket> touched; // each ticket the command changed, as it left it
  std::vector<std::function<void(storage::Connection&)>> writes;
  storage::AfterCommit after_commit;

  template <class W> void write(W w) { writes.emplace_back(std::move(w)); }
  void save(const Ticket& t);
  // A visit event, its audit entry, and the live event to send after the commit.
  void record(const std::string& type, const Ticket* t, const boost::json::object& details, std::string before = {},
              std::string after = {});
};

} // namespace vikno::queue
