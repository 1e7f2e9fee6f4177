// The SQL of cases (migration 0007_cases): named statements, each function one or a few
// statements on a Connection the service opened (inside its transaction for writes). No rules
// here: cases/rules decides, the service calls these to persist.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cases/model.hpp"
#include "storage/db.hpp"

namespace vikno::cases::store {

// The application's row: the applicant sealed, the initials and the phone's lookup hash in clear.
struct ApplicationRow {
  std::string id;
  std::int64_t center_id = 0;
  std::optional<std::int64_t> life_situation_id;
  Channel channel = Channel::in_person;
  std::optional<std::int64_t> ticket_id;
  ApplicantKind applicant_kind = ApplicantKind::person;
  std::string applicant_sealed;
  std::string applicant_initials;
  std::string phone_hash; // "" for none
  Millis registered_at = 0;
  std::string registered_by;
};

// The next number of a center's year (1, 2, ...), taken inside the registering transaction.
std::int64_t next_number(storage::Connection& c, std::int64_t center_id, int year);

void insert_application(storage::Connection& c, const ApplicationRow& a);
// The case row with its inventory, stages and moves.
void insert_case(storage::Connection& c, const Case& k, Millis now);
// Writes the case's changed fields and its last move; false when the version is stale.
bool update_case(storage::Connection& c, const Case& k, std::int64_t read_version, Millis now);

std::optional<Case> load_case(storage::Connection& c, const std::string& id);
std::optional<Case> load_by_token(storage::Connection& c, const std::string& token);
std::optional<ApplicationRow> load_application(storage::Connection& c, const std::string& id);
// The cases of an application (a life situation opens several), in number order.
std::vector<Case> cases_of_application(storage::Connection& c, const std::string& application_id);

// A page of a center's register, newest first, or by deadline for a work list. Rows carry no
// inventory, stages or moves.
struct Query {
  std::int64_t center_id = 0;
  std::optional<std::int64_t> provider_id;
  std::optional<std::int64_t> service_id;
  std::optional<Status> status;
  std::string number;       // exact
  std::string phone_hash;   // exact
  bool open_only = false;   // not yet decided (a provider's work list)
  std::string due_before;   // due_on < this (overdue as of a day)
  std::string due_through;  // due_on <= this (due soon)
  std::string due_from;     // due_on >= this
  bool by_deadline = false; // order by due_on, else newest first
  int limit = 50;
  int offset = 0;
};
struct Page {
  std::vector<Case> cases;
  std::int64_t total = 0;
};
Page list(storage::Connection& c, const Query& q);

// Applications registered before `before` that still hold personal data, oldest first.
std::vector<std::string> applications_to_anonymize(storage::Connection& c, Millis before, int limit);
// Replaces the sealed applicant with `sealed_empty`, clears the initials and the phone hash.
void anonymize_application(storage::Connection& c, const std::string& id, const std::string& sealed_empty, Millis now);

} // namespace vikno::cases::store
