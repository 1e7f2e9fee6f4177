// Applications (звернення) and their cases (справи): what the front office registers, what the
// provider (суб'єкт надання) reviews stage by stage, and what comes back to the applicant.
//
// One Application is what a person files at once: one service, or a life situation (життєва
// ситуація, e.g. єМалятко) that opens one Case per service and provider, each with its own
// deadline. A Case moves through Statuses by Moves (rules.hpp decides which move is allowed);
// every move is kept with who, when and why. Plain structs, no IO.
//
// Ids of what a center creates are UUIDv7 text (globally unique: an offline center node uploads
// its rows to the regional database without clashes) and carry their owning center. Dates are
// civil dates in Kyiv ("YYYY-MM-DD"); instants are UTC milliseconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/calendar.hpp"
#include "common/time.hpp"

namespace vikno::cases {

using calendar::Date;
using calendar::TermUnit;

// The life of a case. docs/cases.md draws the moves between them.
enum class Status {
  registered,              // зареєстровано у ЦНАП
  handed_over,             // передано суб'єкту надання
  in_review,               // на розгляді (stage by stage)
  suspended,               // зупинено: чекаємо документів від заявника
  result_ready,            // результат готовий (у суб'єкта надання)
  refused,                 // відмовлено (рішення про відмову готове)
  at_center,               // результат у ЦНАП, заявника повідомлено
  issued,                  // видано
  unclaimed,               // не отримано у строк зберігання
  returned_to_provider,    // повернуто суб'єкту надання
  withdrawn,               // відкликано заявником
  returned_without_review, // повернуто без розгляду
};

// What a person does to a case; each is one stored CaseMove.
enum class MoveKind {
  registered,         // the case is created
  hand_over,          // registered -> handed_over (the cover letter goes with it)
  accept,             // handed_over -> in_review (stage 1 starts)
  finish_stage,       // in_review -> in_review (the next stage starts)
  suspend,            // in_review -> suspended (what is needed from the applicant)
  resume,             // suspended -> in_review (the documents came)
  extend,             // in_review|suspended -> same status, a new deadline (legal reason)
  decide_ready,       // in_review -> result_ready
  refuse,             // in_review -> refused (grounds, legal basis, how to appeal)
  receive_result,     // result_ready|refused -> at_center (the applicant is notified)
  issue,              // at_center -> issued (in person with identity checked, post, electronic)
  mark_unclaimed,     // at_center -> unclaimed (after the storage term)
  return_to_provider, // unclaimed -> returned_to_provider
  withdraw,           // any open status before a decision -> withdrawn
  return_unreviewed,  // handed_over|in_review|suspended -> returned_without_review
};

enum class ApplicantKind { person, legal_entity };
enum class IssueMethod { in_person, post, electronic };
enum class DocumentForm { original, copy };
enum class DocumentMedium { paper, electronic };
enum class Channel { in_person, post, online, mobile_office }; // how the application came in
enum class NotifyChannel { email, sms, viber };

std::string_view to_string(Status v);
std::string_view to_string(MoveKind v);
std::string_view to_string(ApplicantKind v);
std::string_view to_string(IssueMethod v);
std::string_view to_string(DocumentForm v);
std::string_view to_string(DocumentMedium v);
std::string_view to_string(Channel v);
std::string_view to_string(NotifyChannel v);
// "working_days" or "calendar_days" (calendar::parse_term_unit reads it back).
std::string_view term_unit_name(TermUnit v);
std::optional<Status> status_from(std::string_view s);
std::optional<MoveKind> move_kind_from(std::string_view s);
std::optional<ApplicantKind> applicant_kind_from(std::string_view s);
std::optional<IssueMethod> issue_method_from(std::string_view s);
std::optional<DocumentForm> document_form_from(std::string_view s);
std::optional<DocumentMedium> document_medium_from(std::string_view s);
std::optional<Channel> channel_from(std::string_view s);
std::optional<NotifyChannel> notify_channel_from(std::string_view s);

// Ukrainian words people read (the tracking page, the forms): "Передано суб'єкту надання".
std::string_view status_uk(Status v);
std::string_view status_en(Status v);
std::string_view move_uk(MoveKind v);

// A decided, closed or handed-back case: no more provider work.
bool is_decided(Status v); // result_ready, refused and everything after
bool is_closed(Status v);  // issued, returned_to_provider, withdrawn, returned_without_review

// Personal data of the applicant. Stored sealed (encrypted at rest, cases/sealing.hpp); only the
// initials are kept in the clear, for the public tracking page.
struct Applicant {
  ApplicantKind kind = ApplicantKind::person;
  std::string name;    // a person's full name, or a legal entity's name
  std::string tax_id;  // РНОКПП (10 digits) of a person, ЄДРПОУ (8 digits) of a legal entity; optional
  std::string address; // for a reply by post; optional
  std::string phone;   // +380XXXXXXXXX; optional
  std::string email;   // optional
  // A representative acting by a power of attorney (представник за довіреністю).
  std::string representative_name;
  std::string representative_document; // the power of attorney: number and date
  std::vector<NotifyChannel> consent;  // channels the applicant agreed to be notified by
};

// "Шевченко Т. Г." -> "Т. Ш."; a legal entity keeps its name's first letters only.
std::string initials_of(const Applicant& a);

// One line of the inventory of the received package (опис вхідного пакета документів).
struct InventoryLine {
  int position = 0;      // 1-based; lines from the card first, in the card's order
  std::string name;      // from the card's list of documents, or added by the administrator
  bool from_card = true; // a document the card requires
  DocumentForm form = DocumentForm::original;
  DocumentMedium medium = DocumentMedium::paper;
  int pages = 0;
  bool received = true;
  std::string missing_reason; // required when a card document was not received
};

// What a stage of the technological card planned, and when it was done.
struct CaseStage {
  int position = 0; // 1-based
  std::string name;
  std::string responsible;
  int term_days = 1; // the stage's own term, from the technological card
  TermUnit term_unit = TermUnit::working_days;
  std::string planned_on;  // YYYY-MM-DD, from the stage terms counted when the provider accepts
  std::string finished_on; // "" until done
};

struct CaseMove {
  std::string id; // UUIDv7
  MoveKind kind = MoveKind::registered;
  Status from = Status::registered;
  Status to = Status::registered;
  Millis at = 0;
  std::string on_date;      // YYYY-MM-DD in Kyiv
  std::string actor;        // "user:3"
  std::string actor_name;   // shown to staff
  std::string reason;       // why: free text (a suspension's needed documents, refusal text...)
  std::string legal_basis;  // an extension's or refusal's legal reason
  std::string new_deadline; // extend: YYYY-MM-DD
  std::string detail;       // stage name, issue method, refusal ground code...
};

// A deadline's arithmetic inputs, kept with the case so a past report can be recomputed.
struct TermSnapshot {
  int days = 30;
  TermUnit unit = TermUnit::calendar_days;
  bool clock_stops_when_suspended = true;
  int storage_days = 30; // how long a result waits at the center before it is unclaimed
};

struct Case {
  std::string id; // UUIDv7
  std::string application_id;
  std::int64_t center_id = 0;
  std::string number;       // readable, unique in the country: "<center code>-<year>-<seq>"
  std::string public_token; // 128-bit random, base32: /c/{token}
  std::int64_t service_id = 0;
  std::int64_t service_version_id = 0;
  std::int64_t provider_id = 0;
  std::string service_title;
  std::string provider_name;
  Status status = Status::registered;
  int current_stage = 0; // 1-based while in review; 0 before
  Channel channel = Channel::in_person;
  std::optional<std::int64_t> ticket_id;
  std::string registered_on; // YYYY-MM-DD
  Millis registered_at = 0;
  std::string hand_over_due; // the next working day after registration
  std::string due_on;        // the legal deadline now (after suspensions and extensions)
  std::string decided_on;    // result_ready or refused
  std::string closed_on;
  std::string pickup_until; // at_center: the last day of the storage term
  TermSnapshot term;
  std::int64_t fee_kopiykas = 0;
  bool fee_paid = false;
  std::string applicant_initials;
  std::vector<InventoryLine> inventory;
  std::vector<CaseStage> stages;
  std::vector<CaseMove> moves;
  std::int64_t version = 1;
};

} // namespace vikno::cases
