// The electronic queue's data (електронна черга): tickets (талони), administrators at windows
// (адміністратори на робочих місцях) and the rules that pick the next ticket. Plain structs, no IO.
//
// A ticket's number is its group's letter and a daily sequence ("А-015"), never reused within the
// day. A ticket is issued for a service group (напрям) and a purpose; it may carry a priority
// category (позачергово), a booking time, and after a transfer a named administrator who alone
// may call it. Its issue time never changes: the queue orders by it, before and after transfers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/purpose.hpp"
#include "common/time.hpp"

namespace vikno::queue {

enum class TicketState { waiting, called, serving, done, no_show, cancelled, closed };
// Who issued it: the kiosk, an administrator at the desk, the web, or a booking's check-in.
enum class Source { kiosk, desk, web, booking };
// How a visit ended (результат обслуговування).
enum class Outcome { consultation_given, application_registered, result_issued, refused, other };
enum class AdministratorStatus { available, paused, signed_out };

// Which rule of the routing policy picked a ticket (docs/queue-routing.md): kept in the visit
// record so "why was he called before me?" has an answer.
enum class PickRule { transfer, booking, priority, wait_limit, primary_skill, secondary_skill };

std::string_view to_string(TicketState v);
std::string_view to_string(Source v);
std::string_view to_string(Outcome v);
std::string_view to_string(AdministratorStatus v);
std::string_view to_string(PickRule v);
std::optional<TicketState> ticket_state_from(std::string_view s);
std::optional<Source> source_from(std::string_view s);
std::optional<Outcome> outcome_from(std::string_view s);
std::optional<AdministratorStatus> administrator_status_from(std::string_view s);
std::optional<PickRule> pick_rule_from(std::string_view s);

// A ticket still open at the end of the day, or finished: no further command changes it.
bool is_final(TicketState s);

// One step of a ticket's transfer chain (ланцюжок переадресувань).
struct Transfer {
  Millis at = 0;
  std::int64_t from_user = 0;
  std::int64_t to_group = 0;
  std::optional<std::int64_t> to_user; // a named administrator, or anyone of the group
  bool operator==(const Transfer&) const = default;
};

struct Ticket {
  std::int64_t id = 0;
  std::string number; // "А-015"
  std::string letter; // "А"
  int seq = 0;        // 15
  std::string day;    // the center's local date of issue, YYYY-MM-DD
  std::string token;  // random, for the citizen's tracking link
  std::int64_t group_id = 0;
  Purpose purpose = Purpose::consultation;
  std::optional<std::int64_t> service_id;
  std::string priority; // a priority category code, "" for none
  Source source = Source::kiosk;
  TicketState state = TicketState::waiting;
  Millis issued_at = 0;
  std::optional<Millis> booked_for;        // a booked visit's time
  std::optional<std::int64_t> target_user; // transferred to this administrator by name
  // The administrator holding it (called or serving), and where.
  std::optional<std::int64_t> user_id;
  std::optional<std::int64_t> window_id;
  int window_number = 0;
  Millis called_at = 0;
  Millis started_at = 0;
  Millis finished_at = 0;
  int recalls = 0;
  std::optional<PickRule> rule;
  std::optional<Outcome> outcome;
  std::string close_reason; // cancelled / closed: why
  std::vector<Transfer> transfers;
};

struct Skills {
  std::vector<std::int64_t> primary;
  std::vector<std::int64_t> secondary;
};

struct Administrator {
  std::int64_t user_id = 0;
  std::string name;
  AdministratorStatus status = AdministratorStatus::signed_out;
  std::string pause_reason;
  std::optional<std::int64_t> window_id;
  int window_number = 0;
  Skills skills;
  std::optional<std::int64_t> ticket_id; // the ticket held now (called or serving)
  Millis since = 0;                      // of the current status
};

// A center's queue settings (налаштування черги).
struct Settings {
  Millis wait_limit_ms = 30LL * 60 * 1000; // a ticket waiting longer jumps ahead within skills
  int recalls_before_no_show = 2;          // a third "recall" marks the ticket no-show
  std::vector<std::string> priority_categories{"disability", "war_veteran", "pregnant", "infant_parent"};
};

} // namespace vikno::queue
