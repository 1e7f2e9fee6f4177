// Queue storage: the SQL of the electronic queue, one function per statement shape, all taking
// the connection of the caller's transaction (queue/service owns the transactions). The ticket
// row is the visit record; ticket_to_row/ticket_from_row are the one mapping between them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "queue/model.hpp"
#include "storage/db.hpp"

namespace vikno::queue::store {

// How many ids a PostgreSQL instance takes from a queue table's sequence at a time (migration
// 0005 steps the sequences by this).
constexpr std::int64_t kIdBlock = 1000;

// The tables whose ids the process hands out (queue/center_state.hpp, RowIds).
enum class IdTable { tickets, events };
// The first id of a new reserve: SQLite counts on from the largest id; PostgreSQL takes the next
// block of kIdBlock from the table's sequence.
std::int64_t reserve_ids(storage::Connection& c, storage::Dialect dialect, IdTable table);
// The last visit event of a center (0 for none): where its live stream resumes.
std::int64_t last_event_id(storage::Connection& c, std::int64_t center_id);

// Everything the engine needs to rebuild one center at start.
struct CenterSnapshot {
  std::vector<Ticket> open_tickets;                           // waiting, called, serving
  std::vector<Administrator> administrators;                  // without skills (the registry has them)
  std::vector<std::pair<std::string, int>> sequences;         // today: letter -> last seq
  std::vector<std::pair<std::int64_t, Millis>> service_times; // recent visits: group, called -> finished
  std::vector<Ticket> recent_calls;                           // today, latest first (the display's list)
};

CenterSnapshot load_center(storage::Connection& c, std::int64_t center_id, const std::string& day);

// The ticket with its id (given by the service, see QueueService::refill_ids).
void insert_ticket(storage::Connection& c, std::int64_t center_id, const Ticket& t);
void update_ticket(storage::Connection& c, const Ticket& t);
std::optional<std::pair<std::int64_t, Ticket>> ticket_by_token(storage::Connection& c, const std::string& token);
std::optional<Ticket> ticket_by_id(storage::Connection& c, std::int64_t center_id, std::int64_t id);

// A step of a visit; returns its id (also the live event's id).
struct VisitEvent {
  std::int64_t id = 0;
  std::optional<std::int64_t> ticket_id;
  Millis at = 0;
  std::string type;
  std::optional<std::int64_t> user_id;
  int window_number = 0;
  std::string details = "{}";
};
// The event with its id (given by the service).
void append_event(storage::Connection& c, std::int64_t center_id, const VisitEvent& e);
std::vector<VisitEvent> ticket_events(storage::Connection& c, std::int64_t ticket_id);

void save_administrator(storage::Connection& c, std::int64_t center_id, const Administrator& a);

// An administrator's day: visits finished and their average time at the window.
struct DayCount {
  int served = 0;
  Millis average_ms = 0;
};
DayCount administrator_day(storage::Connection& c, std::int64_t center_id, std::int64_t user_id,
                           const std::string& day);

std::optional<Settings> load_settings(storage::Connection& c, std::int64_t center_id);
void save_settings(storage::Connection& c, std::int64_t center_id, const Settings& s);

struct StoredResponse {
  unsigned status = 200;
  std::string body;
};
std::optional<StoredResponse> find_response(storage::Connection& c, const std::string& actor, const std::string& key);
void save_response(storage::Connection& c, const std::string& actor, const std::string& key,
                   const StoredResponse& response, Millis now);
// Forgets answers older than `before` (a retry comes within minutes, not days).
void forget_responses(storage::Connection& c, Millis before);

} // namespace vikno::queue::store
