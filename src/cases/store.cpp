#include "cases/store.hpp"

namespace vikno::cases::store {

namespace {

using storage::Connection;
using storage::Row;
using storage::Value;

constexpr std::string_view kNextNumber =
    "INSERT INTO case_counters (center_id, year, last) VALUES (?, ?, 1) "
    "ON CONFLICT (center_id, year) DO UPDATE SET last = case_counters.last + 1 RETURNING last";
constexpr std::string_view kInsertApplication =
    "INSERT INTO case_applications (id, center_id, life_situation_id, channel, ticket_id, applicant_kind, "
    "applicant_sealed, applicant_initials, phone_hash, registered_at_ms, registered_by) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kInsertCase =
    "INSERT INTO cases (id, application_id, center_id, number, public_token, service_id, service_version_id, "
    "provider_id, status, current_stage, registered_on, registered_at_ms, hand_over_due, due_on, decided_on, "
    "closed_on, pickup_until, term_days, term_unit, clock_stops, storage_days, fee_kopiykas, fee_paid, "
    "updated_at_ms, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)";
constexpr std::string_view kInsertLine =
    "INSERT INTO case_inventory (case_id, position, name, from_card, form, medium, pages, received, missing_reason) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kInsertStage =
    "INSERT INTO case_stages (case_id, position, name, responsible, term_days, term_unit, planned_on, finished_on) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kUpdateStage =
    "UPDATE case_stages SET planned_on = ?, finished_on = ? WHERE case_id = ? AND position = ?";
constexpr std::string_view kInsertMove =
    "INSERT INTO case_moves (id, case_id, center_id, seq, kind, from_status, to_status, at_ms, on_date, actor, "
    "actor_name, reason, legal_basis, new_deadline, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kUpdateCase =
    "UPDATE cases SET status = ?, current_stage = ?, due_on = ?, decided_on = ?, closed_on = ?, pickup_until = ?, "
    "fee_paid = ?, updated_at_ms = ?, version = version + 1 WHERE id = ? AND version = ?";
// The columns of a case row, with the names and the application's fields joined in.
constexpr std::string_view kSelectCase =
    "SELECT k.id, k.application_id, k.center_id, k.number, k.public_token, k.service_id, k.service_version_id, "
    "k.provider_id, sv.title_uk, p.name_uk, k.status, k.current_stage, a.channel, a.ticket_id, k.registered_on, "
    "k.registered_at_ms, k.hand_over_due, k.due_on, k.decided_on, k.closed_on, k.pickup_until, k.term_days, "
    "k.term_unit, k.clock_stops, k.storage_days, k.fee_kopiykas, k.fee_paid, a.applicant_initials, k.version "
    "FROM cases k JOIN case_applications a ON a.id = k.application_id "
    "JOIN service_versions sv ON sv.id = k.service_version_id JOIN providers p ON p.id = k.provider_id";
constexpr std::string_view kSelectLines =
    "SELECT position, name, from_card, form, medium, pages, received, missing_reason FROM case_inventory "
    "WHERE case_id = ? ORDER BY position";
constexpr std::string_view kSelectStages =
    "SELECT position, name, responsible, term_days, term_unit, planned_on, finished_on FROM case_stages "
    "WHERE case_id = ? ORDER BY position";
constexpr std::string_view kSelectMoves =
    "SELECT id, kind, from_status, to_status, at_ms, on_date, actor, actor_name, reason, legal_basis, new_deadline, "
    "detail FROM case_moves WHERE case_id = ? ORDER BY seq";
constexpr std::string_view kSelectApplication =
    "SELECT id, center_id, life_situation_id, channel, ticket_id, applicant_kind, applicant_sealed, "
    "applicant_initials, phone_hash, registered_at_ms, registered_by FROM case_applications WHERE id = ?";
constexpr std::string_view kToAnonymize =
    "SELECT id FROM case_applications WHERE registered_at_ms < ? AND anonymized_at_ms IS NULL "
    "ORDER BY registered_at_ms LIMIT ?";
constexpr std::string_view kAnonymize =
    "UPDATE case_applications SET applicant_sealed = ?, applicant_initials = '', phone_hash = NULL, "
    "anonymized_at_ms = ? WHERE id = ?";

Value opt_text(const std::string& s) { return s.empty() ? Value{nullptr} : Value{s}; }
Value opt_id(const std::optional<std::int64_t>& v) { return v ? Value{*v} : Value{nullptr}; }
std::int64_t flag(bool b) { return b ? 1 : 0; }

template <class E, class F> E parse_or(const std::string& text, F from, E fallback) {
  return from(text).value_or(fallback);
}

Case case_from(const Row& r) {
  Case k;
  k.id = r.text(0);
  k.application_id = r.text(1);
  k.center_id = r.int64(2);
  k.number = r.text(3);
  k.public_token = r.text(4);
  k.service_id = r.int64(5);
  k.service_version_id = r.int64(6);
  k.provider_id = r.int64(7);
  k.service_title = r.text(8);
  k.provider_name = r.text(9);
  k.status = parse_or(r.text(10), status_from, Status::registered);
  k.current_stage = static_cast<int>(r.int64(11));
  k.channel = parse_or(r.text(12), channel_from, Channel::in_person);
  k.ticket_id = r.opt_int64(13);
  k.registered_on = r.text(14);
  k.registered_at = r.int64(15);
  k.hand_over_due = r.text(16);
  k.due_on = r.text(17);
  k.decided_on = r.opt_text(18).value_or("");
  k.closed_on = r.opt_text(19).value_or("");
  k.pickup_until = r.opt_text(20).value_or("");
  k.term.days = static_cast<int>(r.int64(21));
  k.term.unit = calendar::parse_term_unit(r.text(22)).value_or(TermUnit::calendar_days);
  k.term.clock_stops_when_suspended = r.int64(23) != 0;
  k.term.storage_days = static_cast<int>(r.int64(24));
  k.fee_kopiykas = r.int64(25);
  k.fee_paid = r.int64(26) != 0;
  k.applicant_initials = r.text(27);
  k.version = r.int64(28);
  return k;
}

void load_children(Connection& c, Case& k) {
  for (const auto& r : c.query(kSelectLines, {k.id})) {
    InventoryLine l;
    l.position = static_cast<int>(r.int64(0));
    l.name = r.text(1);
    l.from_card = r.int64(2) != 0;
    l.form = parse_or(r.text(3), document_form_from, DocumentForm::original);
    l.medium = parse_or(r.text(4), document_medium_from, DocumentMedium::paper);
    l.pages = static_cast<int>(r.int64(5));
    l.received = r.int64(6) != 0;
    l.missing_reason = r.text(7);
    k.inventory.push_back(std::move(l));
  }
  for (const auto& r : c.query(kSelectStages, {k.id})) {
    CaseStage s;
    s.position = static_cast<int>(r.int64(0));
    s.name = r.text(1);
    s.responsible = r.text(2);
    s.term_days = static_cast<int>(r.int64(3));
    s.term_unit = calendar::parse_term_unit(r.text(4)).value_or(TermUnit::working_days);
    s.planned_on = r.text(5);
    s.finished_on = r.text(6);
    k.stages.push_back(std::move(s));
  }
  for (const auto& r : c.query(kSelectMoves, {k.id})) {
    CaseMove m;
    m.id = r.text(0);
    m.kind = parse_or(r.text(1), move_kind_from, MoveKind::registered);
    m.from = parse_or(r.text(2), status_from, Status::registered);
    m.to = parse_or(r.text(3), status_from, Status::registered);
    m.at = r.int64(4);
    m.on_date = r.text(5);
    m.actor = r.text(6);
    m.actor_name = r.text(7);
    m.reason = r.text(8);
    m.legal_basis = r.text(9);
    m.new_deadline = r.text(10);
    m.detail = r.text(11);
    k.moves.push_back(std::move(m));
  }
}

void insert_move(Connection& c, const Case& k, const CaseMove& m, std::size_t seq) {
  c.execute(kInsertMove, {m.id, k.id, k.center_id, static_cast<std::int64_t>(seq), std::string(to_string(m.kind)),
                          std::string(to_string(m.from)), std::string(to_string(m.to)), m.at, m.on_date, m.actor,
                          m.actor_name, m.reason, m.legal_basis, m.new_deadline, m.detail});
}

std::optional<Case> load_where(Connection& c, std::string_view where, const std::string& key) {
  auto row = c.query_one(std::string(kSelectCase) + std::string(where), {key});
  if (!row) {
    return std::nullopt;
  }
  Case k = case_from(*row);
  load_children(c, k);
  return k;
}

} // namespace

std::int64_t next_number(Connection& c, std::int64_t center_id, int year) {
  return c.query_one(kNextNumber, {center_id, std::int64_t{year}})->int64(0);
}

void insert_application(Connection& c, const ApplicationRow& a) {
  c.execute(kInsertApplication, {a.id, a.center_id, opt_id(a.life_situation_id), std::string(to_string(a.channel)),
                                 opt_id(a.ticket_id), std::string(to_string(a.applicant_kind)), a.applicant_sealed,
                                 a.applicant_initials, opt_text(a.phone_hash), a.registered_at, a.registered_by});
}

void insert_case(Connection& c, const Case& k, Millis now) {
  c.execute(kInsertCase, {k.id,
                          k.application_id,
                          k.center_id,
                          k.number,
                          k.public_token,
                          k.service_id,
                          k.service_version_id,
                          k.provider_id,
                          std::string(to_string(k.status)),
                          std::int64_t{k.current_stage},
                          k.registered_on,
                          k.registered_at,
                          k.hand_over_due,
                          k.due_on,
                          opt_text(k.decided_on),
                          opt_text(k.closed_on),
                          opt_text(k.pickup_until),
                          std::int64_t{k.term.days},
                          std::string(term_unit_name(k.term.unit)),
                          flag(k.term.clock_stops_when_suspended),
                          std::int64_t{k.term.storage_days},
                          k.fee_kopiykas,
                          flag(k.fee_paid),
                          now});
  for (const auto& l : k.inventory) {
    c.execute(kInsertLine,
              {k.id, std::int64_t{l.position}, l.name, flag(l.from_card), std::string(to_string(l.form)),
               std::string(to_string(l.medium)), std::int64_t{l.pages}, flag(l.received), l.missing_reason});
  }
  for (const auto& s : k.stages) {
    c.execute(kInsertStage, {k.id, std::int64_t{s.position}, s.name, s.responsible, std::int64_t{s.term_days},
                             std::string(term_unit_name(s.term_unit)), s.planned_on, s.finished_on});
  }
  for (std::size_t i = 0; i < k.moves.size(); ++i) {
    insert_move(c, k, k.moves[i], i + 1);
  }
}

bool update_case(Connection& c, const Case& k, std::int64_t read_version, Millis now) {
  auto changed = c.execute(kUpdateCase, {std::string(to_string(k.status)), std::int64_t{k.current_stage}, k.due_on,
                                         opt_text(k.decided_on), opt_text(k.closed_on), opt_text(k.pickup_until),
                                         flag(k.fee_paid), now, k.id, read_version});
  if (changed != 1) {
    return false;
  }
  for (const auto& s : k.stages) {
    c.execute(kUpdateStage, {s.planned_on, s.finished_on, k.id, std::int64_t{s.position}});
  }
  if (!k.moves.empty()) {
    insert_move(c, k, k.moves.back(), k.moves.size());
  }
  return true;
}

std::optional<Case> load_case(Connection& c, const std::string& id) { return load_where(c, " WHERE k.id = ?", id); }

std::optional<Case> load_by_token(Connection& c, const std::string& token) {
  return load_where(c, " WHERE k.public_token = ?", token);
}

std::optional<ApplicationRow> load_application(Connection& c, const std::string& id) {
  auto r = c.query_one(kSelectApplication, {id});
  if (!r) {
    return std::nullopt;
  }
  ApplicationRow a;
  a.id = r->text(0);
  a.center_id = r->int64(1);
  a.life_situation_id = r->opt_int64(2);
  a.channel = parse_or(r->text(3), channel_from, Channel::in_person);
  a.ticket_id = r->opt_int64(4);
  a.applicant_kind = parse_or(r->text(5), applicant_kind_from, ApplicantKind::person);
  a.applicant_sealed = r->text(6);
  a.applicant_initials = r->text(7);
  a.phone_hash = r->opt_text(8).value_or("");
  a.registered_at = r->int64(9);
  a.registered_by = r->text(10);
  return a;
}

std::vector<Case> cases_of_application(Connection& c, const std::string& application_id) {
  std::vector<Case> out;
  for (const auto& r :
       c.query(std::string(kSelectCase) + " WHERE k.application_id = ? ORDER BY k.number", {application_id})) {
    out.push_back(case_from(r));
  }
  for (auto& k : out) {
    load_children(c, k);
  }
  return out;
}

Page list(Connection& c, const Query& q) {
  std::string where = " WHERE k.center_id = ?";
  std::vector<Value> params{q.center_id};
  auto add = [&](std::string_view clause, Value v) {
    where += clause;
    params.push_back(std::move(v));
  };
  if (q.provider_id) {
    add(" AND k.provider_id = ?", *q.provider_id);
  }
  if (q.service_id) {
    add(" AND k.service_id = ?", *q.service_id);
  }
  if (q.status) {
    add(" AND k.status = ?", std::string(to_string(*q.status)));
  }
  if (!q.number.empty()) {
    add(" AND k.number = ?", q.number);
  }
  if (!q.phone_hash.empty()) {
    add(" AND a.phone_hash = ?", q.phone_hash);
  }
  if (q.open_only) {
    where += " AND k.decided_on IS NULL AND k.closed_on IS NULL";
  }
  if (!q.due_before.empty()) {
    add(" AND k.due_on < ?", q.due_before);
  }
  if (!q.due_through.empty()) {
    add(" AND k.due_on <= ?", q.due_through);
  }
  if (!q.due_from.empty()) {
    add(" AND k.due_on >= ?", q.due_from);
  }
  Page page;
  auto count =
      c.query_one("SELECT count(*) FROM cases k JOIN case_applications a ON a.id = k.application_id" + where, params);
  page.total = count ? count->int64(0) : 0;
  std::string sql =
      std::string(kSelectCase) + where +
      (q.by_deadline ? " ORDER BY k.due_on, k.number" : " ORDER BY k.registered_at_ms DESC, k.number DESC") +
      " LIMIT ? OFFSET ?";
  params.emplace_back(std::int64_t{q.limit});
  params.emplace_back(std::int64_t{q.offset});
  for (const auto& r : c.query(sql, params)) {
    page.cases.push_back(case_from(r));
  }
  return page;
}

std::vector<std::string> applications_to_anonymize(Connection& c, Millis before, int limit) {
  std::vector<std::string> out;
  for (const auto& r : c.query(kToAnonymize, {before, std::int64_t{limit}})) {
    out.push_back(r.text(0));
  }
  return out;
}

void anonymize_application(Connection& c, const std::string& id, const std::string& sealed_empty, Millis now) {
  c.execute(kAnonymize, {sealed_empty, now, id});
}

} // namespace vikno::cases::store
