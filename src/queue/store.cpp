#include "queue/store.hpp"

#include <boost/json.hpp>

#include <fmt/format.h>

namespace vikno::queue::store {

namespace bj = boost::json;
using storage::Connection;
using storage::Row;
using storage::Value;

namespace {

constexpr std::string_view kTicketColumns =
    "id, day, letter, seq, number, token, group_id, purpose, service_id, priority, source, state, issued_at_ms, "
    "booked_for_ms, target_user_id, user_id, window_id, window_number, called_at_ms, started_at_ms, finished_at_ms, "
    "recalls, pick_rule, outcome, close_reason, transfers";

Value opt(const std::optional<std::int64_t>& v) { return v ? Value{*v} : Value{nullptr}; }
Value opt_text(std::optional<std::string_view> v) { return v ? Value{std::string(*v)} : Value{nullptr}; }

std::string transfers_json(const std::vector<Transfer>& transfers) {
  bj::array out;
  for (const auto& t : transfers) {
    bj::object o{{"at", t.at}, {"from_user", t.from_user}, {"to_group", t.to_group}};
    o["to_user"] = t.to_user ? bj::value(*t.to_user) : bj::value(nullptr);
    out.push_back(std::move(o));
  }
  return bj::serialize(out);
}

std::vector<Transfer> transfers_from(const std::string& text) {
  std::vector<Transfer> out;
  boost::system::error_code ec;
  bj::value v = bj::parse(text, ec);
  if (ec || !v.is_array()) {
    return out;
  }
  for (const auto& item : v.as_array()) {
    const auto& o = item.as_object();
    Transfer t;
    t.at = o.at("at").to_number<std::int64_t>();
    t.from_user = o.at("from_user").to_number<std::int64_t>();
    t.to_group = o.at("to_group").to_number<std::int64_t>();
    if (const auto* u = o.if_contains("to_user"); u != nullptr && !u->is_null()) {
      t.to_user = u->to_number<std::int64_t>();
    }
    out.push_back(t);
  }
  return out;
}

Ticket ticket_from_row(const Row& r) {
  Ticket t;
  t.id = r.int64(0);
  t.day = r.text(1);
  t.letter = r.text(2);
  t.seq = static_cast<int>(r.int64(3));
  t.number = r.text(4);
  t.token = r.text(5);
  t.group_id = r.int64(6);
  t.purpose = purpose_from(r.text(7)).value_or(Purpose::consultation);
  t.service_id = r.opt_int64(8);
  t.priority = r.text(9);
  t.source = source_from(r.text(10)).value_or(Source::kiosk);
  t.state = ticket_state_from(r.text(11)).value_or(TicketState::closed);
  t.issued_at = r.int64(12);
  t.booked_for = r.opt_int64(13);
  t.target_user = r.opt_int64(14);
  t.user_id = r.opt_int64(15);
  t.window_id = r.opt_int64(16);
  t.window_number = static_cast<int>(r.int64(17));
  t.called_at = r.int64(18);
  t.started_at = r.int64(19);
  t.finished_at = r.int64(20);
  t.recalls = static_cast<int>(r.int64(21));
  if (auto rule = r.opt_text(22)) {
    t.rule = pick_rule_from(*rule);
  }
  if (auto outcome = r.opt_text(23)) {
    t.outcome = outcome_from(*outcome);
  }
  t.close_reason = r.text(24);
  t.transfers = transfers_from(r.text(25));
  return t;
}

} // namespace

CenterSnapshot load_center(Connection& c, std::int64_t center_id, const std::string& day) {
  CenterSnapshot s;
  for (const auto& r : c.query(fmt::format("SELECT {} FROM queue_tickets WHERE center_id = ? AND state IN "
                                           "('waiting', 'called', 'serving') ORDER BY id",
                                           kTicketColumns),
                               {center_id})) {
    s.open_tickets.push_back(ticket_from_row(r));
  }
  for (const auto& r : c.query("SELECT p.user_id, u.name, p.status, p.pause_reason, p.window_id, p.window_number, "
                               "p.since_ms FROM queue_positions p JOIN users u ON u.id = p.user_id "
                               "WHERE p.center_id = ? AND p.status <> 'signed_out'",
                               {center_id})) {
    Administrator a;
    a.user_id = r.int64(0);
    a.name = r.text(1);
    a.status = administrator_status_from(r.text(2)).value_or(AdministratorStatus::signed_out);
    a.pause_reason = r.text(3);
    a.window_id = r.opt_int64(4);
    a.window_number = static_cast<int>(r.int64(5));
    a.since = r.int64(6);
    s.administrators.push_back(std::move(a));
  }
  for (const auto& r : c.query("SELECT letter, MAX(seq) FROM queue_tickets WHERE center_id = ? AND day = ? "
                               "GROUP BY letter",
                               {center_id, day})) {
    s.sequences.emplace_back(r.text(0), static_cast<int>(r.int64(1)));
  }
  for (const auto& r : c.query("SELECT group_id, finished_at_ms - called_at_ms FROM queue_tickets "
                               "WHERE center_id = ? AND finished_at_ms > 0 AND state = 'done' "
                               "ORDER BY finished_at_ms DESC LIMIT 500",
                               {center_id})) {
    s.service_times.emplace_back(r.int64(0), r.int64(1));
  }
  for (const auto& r :
       c.query(fmt::format("SELECT {} FROM queue_tickets WHERE center_id = ? AND day = ? AND called_at_ms > 0 "
                           "ORDER BY called_at_ms DESC LIMIT 8",
                           kTicketColumns),
               {center_id, day})) {
    s.recent_calls.push_back(ticket_from_row(r));
  }
  return s;
}

void insert_ticket(Connection& c, std::int64_t center_id, const Ticket& t) {
  c.execute("INSERT INTO queue_tickets (id, center_id, day, letter, seq, number, token, group_id, purpose, service_id, "
            "priority, source, state, issued_at_ms, booked_for_ms, target_user_id, transfers) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {t.id, center_id, t.day, t.letter, std::int64_t{t.seq}, t.number, t.token, t.group_id,
             std::string(to_string(t.purpose)), opt(t.service_id), t.priority, std::string(to_string(t.source)),
             std::string(to_string(t.state)), t.issued_at, opt(t.booked_for), opt(t.target_user),
             transfers_json(t.transfers)});
}

void update_ticket(Connection& c, const Ticket& t) {
  c.execute("UPDATE queue_tickets SET group_id = ?, service_id = ?, state = ?, target_user_id = ?, user_id = ?, "
            "window_id = ?, window_number = ?, called_at_ms = ?, started_at_ms = ?, finished_at_ms = ?, recalls = ?, "
            "pick_rule = ?, outcome = ?, close_reason = ?, transfers = ? WHERE id = ?",
            {t.group_id, opt(t.service_id), std::string(to_string(t.state)), opt(t.target_user), opt(t.user_id),
             opt(t.window_id), std::int64_t{t.window_number}, t.called_at, t.started_at, t.finished_at,
             std::int64_t{t.recalls}, opt_text(t.rule ? std::optional(to_string(*t.rule)) : std::nullopt),
             opt_text(t.outcome ? std::optional(to_string(*t.outcome)) : std::nullopt), t.close_reason,
             transfers_json(t.transfers), t.id});
}

std::optional<std::pair<std::int64_t, Ticket>> ticket_by_token(Connection& c, const std::string& token) {
  auto row =
      c.query_one(fmt::format("SELECT {}, center_id FROM queue_tickets WHERE token = ?", kTicketColumns), {token});
  if (!row) {
    return std::nullopt;
  }
  return std::pair{row->int64(26), ticket_from_row(*row)};
}

std::optional<Ticket> ticket_by_id(Connection& c, std::int64_t center_id, std::int64_t id) {
  auto row = c.query_one(fmt::format("SELECT {} FROM queue_tickets WHERE id = ? AND center_id = ?", kTicketColumns),
                         {id, center_id});
  if (!row) {
    return std::nullopt;
  }
  return ticket_from_row(*row);
}

void append_event(Connection& c, std::int64_t center_id, const VisitEvent& e) {
  c.execute(
      "INSERT INTO queue_events (id, center_id, ticket_id, at_ms, type, user_id, window_number, details) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {e.id, center_id, opt(e.ticket_id), e.at, e.type, opt(e.user_id), std::int64_t{e.window_number}, e.details});
}

std::vector<VisitEvent> ticket_events(Connection& c, std::int64_t ticket_id) {
  std::vector<VisitEvent> out;
  for (const auto& r : c.query("SELECT id, ticket_id, at_ms, type, user_id, window_number, details FROM queue_events "
                               "WHERE ticket_id = ? ORDER BY id",
                               {ticket_id})) {
    out.push_back(VisitEvent{r.int64(0), r.opt_int64(1), r.int64(2), r.text(3), r.opt_int64(4),
                             static_cast<int>(r.int64(5)), r.text(6)});
  }
  return out;
}

void save_administrator(Connection& c, std::int64_t center_id, const Administrator& a) {
  c.execute("INSERT INTO queue_positions (center_id, user_id, status, pause_reason, window_id, window_number, "
            "since_ms) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (center_id, user_id) DO UPDATE SET "
            "status = excluded.status, pause_reason = excluded.pause_reason, window_id = excluded.window_id, "
            "window_number = excluded.window_number, since_ms = excluded.since_ms",
            {center_id, a.user_id, std::string(to_string(a.status)), a.pause_reason, opt(a.window_id),
             std::int64_t{a.window_number}, a.since});
}

DayCount administrator_day(Connection& c, std::int64_t center_id, std::int64_t user_id, const std::string& day) {
  auto row = c.query_one("SELECT COUNT(*), COALESCE(AVG(finished_at_ms - called_at_ms), 0) FROM queue_tickets "
                         "WHERE center_id = ? AND day = ? AND user_id = ? AND state = 'done'",
                         {center_id, day, user_id});
  return DayCount{static_cast<int>(row->int64(0)), static_cast<Millis>(row->real(1))};
}

std::optional<Settings> load_settings(Connection& c, std::int64_t center_id) {
  auto row = c.query_one("SELECT wait_limit_minutes, recalls_before_no_show, priority_categories FROM queue_settings "
                         "WHERE center_id = ?",
                         {center_id});
  if (!row) {
    return std::nullopt;
  }
  Settings s;
  s.wait_limit_ms = row->int64(0) * 60 * 1000;
  s.recalls_before_no_show = static_cast<int>(row->int64(1));
  s.priority_categories.clear();
  boost::system::error_code ec;
  bj::value v = bj::parse(row->text(2), ec);
  if (!ec && v.is_array()) {
    for (const auto& item : v.as_array()) {
      if (item.is_string()) {
        s.priority_categories.emplace_back(item.as_string());
      }
    }
  }
  return s;
}

void save_settings(Connection& c, std::int64_t center_id, const Settings& s) {
  bj::array categories;
  for (const auto& p : s.priority_categories) {
    categories.emplace_back(p);
  }
  c.execute(
      "INSERT INTO queue_settings (center_id, wait_limit_minutes, recalls_before_no_show, priority_categories) "
      "VALUES (?, ?, ?, ?) ON CONFLICT (center_id) DO UPDATE SET wait_limit_minutes = excluded.wait_limit_minutes, "
      "recalls_before_no_show = excluded.recalls_before_no_show, "
      "priority_categories = excluded.priority_categories, version = queue_settings.version + 1",
      {center_id, s.wait_limit_ms / 60000, std::int64_t{s.recalls_before_no_show}, bj::serialize(categories)});
}

std::optional<StoredResponse> find_response(Connection& c, const std::string& actor, const std::string& key) {
  auto row = c.query_one("SELECT status, body FROM idempotency_keys WHERE actor = ? AND key = ?", {actor, key});
  if (!row) {
    return std::nullopt;
  }
  return StoredResponse{static_cast<unsigned>(row->int64(0)), row->text(1)};
}

void save_response(Connection& c, const std::string& actor, const std::string& key, const StoredResponse& response,
                   Millis now) {
  c.execute("INSERT INTO idempotency_keys (actor, key, created_at_ms, status, body) VALUES (?, ?, ?, ?, ?)",
            {actor, key, now, std::int64_t{response.status}, response.body});
}

void forget_responses(Connection& c, Millis before) {
  c.execute("DELETE FROM idempotency_keys WHERE created_at_ms < ?", {before});
}

std::int64_t reserve_ids(Connection& c, storage::Dialect dialect, IdTable table) {
  const bool sqlite = dialect == storage::Dialect::sqlite;
  const char* sql = nullptr;
  switch (table) {
  case IdTable::tickets:
    sql = sqlite ? "SELECT COALESCE(MAX(id), 0) + 1 FROM queue_tickets"
                 : "SELECT nextval(pg_get_serial_sequence('queue_tickets', 'id'))";
    break;
  case IdTable::events:
    sql = sqlite ? "SELECT COALESCE(MAX(id), 0) + 1 FROM queue_events"
                 : "SELECT nextval(pg_get_serial_sequence('queue_events', 'id'))";
    break;
  }
  return c.query_one(sql)->int64(0);
}

std::int64_t last_event_id(Connection& c, std::int64_t center_id) {
  return c.query_one("SELECT COALESCE(MAX(id), 0) FROM queue_events WHERE center_id = ?", {center_id})->int64(0);
}

} // namespace vikno::queue::store
