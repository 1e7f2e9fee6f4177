// The rules of a case (правила розгляду справи), pure: which move is allowed from which status and
// by whom, what a move needs, and the legal deadlines counted on the working-day calendar. The
// store and the service only persist what these functions decide. No IO, no clock: the day is
// passed in.
//
// Deadlines (DOMAIN.md "A case"): the term of the service version (calendar or working days; 30
// calendar days when none is set), counted from the day after registration; a last day on a
// non-working day moves to the next working day. While suspended, the clock stops where the
// service says so: on resume the deadline moves on by the days (in the term's unit) from the day
// after the suspension through the day of the resume. An extension sets a later deadline with its
// legal reason. The provider gets the case by the next working day after registration.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/calendar.hpp"
#include "cases/model.hpp"
#include "common/error.hpp"

namespace vikno::cases {

// Who may make a move: the center's front office (administrators, the head) or the provider's
// employees.
enum class Side { front_office, provider };
Side side_of(MoveKind move);

// The status a move leads to from `from`, or nullopt when it is out of order.
std::optional<Status> next_status(Status from, MoveKind move);
// Every move allowed from a status (the buttons a page shows), in a stable order.
std::vector<MoveKind> moves_from(Status from);

// The last day of the term registered on `registered_on` (before suspensions and extensions).
Date first_deadline(const calendar::Calendar& cal, Date registered_on, const TermSnapshot& term);
// The provider's day to receive the case: the next working day after registration.
Date hand_over_due(const calendar::Calendar& cal, Date registered_on);
// A deadline moved on by a suspension from `suspended_on` to `resumed_on` (the clock stopped on the
// days after suspended_on through resumed_on), when the service stops the clock.
Date deadline_after_suspension(const calendar::Calendar& cal, Date due, Date suspended_on, Date resumed_on,
                               const TermSnapshot& term);
// Planned dates of the stages, counted one after another from `start` with each stage's term.
struct StageTerm {
  int days = 1;
  TermUnit unit = TermUnit::working_days;
};
std::vector<Date> plan_stages(const calendar::Calendar& cal, Date start, const std::vector<StageTerm>& terms);

// How a case stands against its deadline on a day.
enum class DueState { on_track, due_soon, overdue, done };
std::string_view to_string(DueState v);
struct DueView {
  DueState state = DueState::on_track;
  int days_overdue = 0;      // calendar days after the deadline
  int working_days_left = 0; // working days from the day after `today` through the deadline
};
// Due soon: not decided and the deadline within `due_soon_days` working days of today (today
// included when it is the deadline). Overdue: not decided and today is after the deadline.
DueView due_view(const calendar::Calendar& cal, const Case& c, Date today, int due_soon_days);

// What a person asks with a move.
struct MoveRequest {
  MoveKind kind = MoveKind::accept;
  std::string reason;                      // suspend: what is needed; withdraw / return_unreviewed: why
  std::string legal_basis;                 // extend, refuse
  std::string new_deadline;                // extend: YYYY-MM-DD
  std::string refusal_ground;              // refuse: a code of refusal_grounds()
  std::optional<IssueMethod> issue_method; // issue
  bool identity_checked = false;           // issue in person
};

// A refusal ground (підстава для відмови) people choose from; the text explains the case.
struct RefusalGround {
  std::string_view code;
  std::string_view uk;
  std::string_view en;
};
const std::vector<RefusalGround>& refusal_grounds();

// Applies a move to a case on `today` (Kyiv), or says why it cannot be made: 409
// move_not_allowed (out of order, with the status and the move as problems), 400 with a field for
// what the move needs. On success the case has its new status, dates and stage, and the move is
// appended to c.moves (its id, instant and actor are left for the caller to fill).
Result<void> apply_move(const calendar::Calendar& cal, Case& c, const MoveRequest& request, Date today);

// Checks of what the front office types in.
// "+380 67 123-45-67", "0671234567", "380671234567" -> "+380671234567"; anything else fails.
std::optional<std::string> normalize_phone(std::string_view text);
bool valid_email(std::string_view text);

// The inventory as registered against the card's list of documents: the lines marked from_card
// must be the card's documents in the card's order; a card document not received needs a reason;
// pages 0..2000. Positions are assigned here. Problems are reported with `prefix` + "[i].field".
Result<std::vector<InventoryLine>> check_inventory(const std::vector<std::string>& card_documents,
                                                   std::vector<InventoryLine> lines, const std::string& prefix);

// The readable number: "<center code>-<year>-<sequence of 6 digits>", unique in the country
// because center codes are.
std::string case_number(std::string_view center_code, int year, std::int64_t seq);

} // namespace vikno::cases
