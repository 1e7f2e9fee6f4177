#include <algorithm>

#include "queue/center_state.hpp"
#include "queue/service.hpp"
#include "queue/views.hpp"

namespace vikno::queue {

namespace bj = boost::json;
using storage::Connection;

namespace {
template <class T> bj::value opt_value(const std::optional<T>& v) { return v ? bj::value(*v) : bj::value(nullptr); }
} // namespace

Result<boost::json::object> QueueService::menu(std::int64_t center_id) {
  CenterState& s = center(center_id);
  std::unique_lock lock(s.mutex);
  VIKNO_CHECK(ready(s, center_id, lock));

  bj::array groups;
  for (const auto& g : loads_json(s, clock_())) {
    groups.push_back(g);
  }
  bj::array purposes;
  for (auto p : {Purpose::consultation, Purpose::submit_documents, Purpose::receive_result}) {
    purposes.push_back(bj::value(to_string(p)));
  }
  bj::array categories;
  for (const auto& c : s.engine.settings().priority_categories) {
    categories.push_back(bj::value(c));
  }
  return bj::object{{"center", bj::object{{"id", center_id}, {"name_uk", s.name_uk}, {"name_en", s.name_en}}},
                    {"groups", std::move(groups)},
                    {"purposes", std::move(purposes)},
                    {"priority_categories", std::move(categories)}};
}

Result<boost::json::object> QueueService::track(const std::string& token) {
  std::optional<std::int64_t> center_id;
  {
    std::lock_guard lock(tokens_mutex_);
    if (auto it = token_centers_.find(token); it != token_centers_.end()) {
      center_id = it->second;
    }
  }
  Millis now = clock_();
  if (center_id) {
    CenterState& s = center(*center_id);
    std::lock_guard lock(s.mutex);
    if (const Ticket* t = s.open_ticket(token)) {
      return followed_ticket_json(s, *t, now, s.engine.estimate(t->id, now));
    }
  }
  auto stored = db_.read([&](Connection& c) { return store::ticket_by_token(c, token); });
  if (!stored) {
    return fail(Error::not_found("ticket_not_found", "no ticket with this token"));
  }
  CenterState& s = center(stored->first);
  std::unique_lock lock(s.mutex);
  VIKNO_CHECK(ready(s, stored->first, lock));

  if (const Ticket* t = s.open_ticket(token)) { // loaded just now
    return followed_ticket_json(s, *t, now, s.engine.estimate(t->id, now));
  }
  return public_ticket_json(s, stored->second, now);
}

Result<boost::json::object> QueueService::load(std::int64_t center_id) {
  CenterState& s = center(center_id);
  std::unique_lock lock(s.mutex);
  VIKNO_CHECK(ready(s, center_id, lock));
  Millis now = clock_();

  return bj::object{{"center_id", center_id},
                    {"name_uk", s.name_uk},
                    {"name_en", s.name_en},
                    {"at", format_iso8601(now)},
                    {"waiting", s.engine.waiting_count()},
                    {"groups", loads_json(s, now)}};
}

boost::json::array QueueService::load_all() {
  bj::array out;
  for (const auto& c : registry_.list_centers()) {
    if (c.profile.status != registry::CenterStatus::active) {
      continue;
    }
    if (auto l = load(c.id)) {
      out.push_back(std::move(*l));
    }
  }
  return out;
}

Result<boost::json::object> QueueService::desk(std::int64_t center_id, std::int64_t user_id) {
  CenterState& s = center(center_id);
  std::unique_lock lock(s.mutex);
  VIKNO_CHECK(ready(s, center_id, lock));
  Millis now = clock_();

  bj::object out{{"at", format_iso8601(now)}}; // the server's time: durations on the page do not depend on its clock
  const Administrator* a = s.engine.administrator(user_id);
  out["administrator"] = a != nullptr && a->status != AdministratorStatus::signed_out
                             ? bj::value(administrator_json(s, *a, now))
                             : bj::value(nullptr);
  std::vector<std::int64_t> mine;
  if (auto st = s.staff.find(user_id); st != s.staff.end()) {
    for (const auto& k : st->second.skills) {
      mine.push_back(k.group_id);
    }
  }
  bj::array groups;
  for (const auto& g : loads_json(s, now)) {
    if (std::find(mine.begin(), mine.end(), g.as_object().at("group_id").as_int64()) != mine.end()) {
      groups.push_back(g);
    }
  }
  out["groups"] = std::move(groups);
  auto count = db_.read([&](Connection& c) { return store::administrator_day(c, center_id, user_id, s.day); });
  out["today"] = bj::object{{"served", count.served}, {"average_ms", count.average_ms}};
  bj::array windows;
  for (const auto& [id, w] : s.windows) {
    if (!w.active) {
      continue;
    }
    bj::object wo{{"id", id}, {"number", w.number}, {"label", w.label}, {"taken_by", nullptr}};
    for (const Administrator* x : s.engine.administrators()) {
      if (x->status != AdministratorStatus::signed_out && x->window_id == id) {
        wo["taken_by"] = bj::object{{"user_id", x->user_id}, {"name", x->name}};
      }
    }
    windows.push_back(std::move(wo));
  }
  out["windows"] = std::move(windows);
  out["colleagues"] = colleagues_json(s, user_id);
  // The visit finished last, while its outcome can still be corrected.
  out["correctable"] = nullptr;
  if (const Ticket* last = s.engine.correctable(user_id, now)) {
    out["correctable"] =
        bj::object{{"ticket_id", last->id},
                   {"number", last->number},
                   {"outcome", last->outcome ? bj::value(to_string(*last->outcome)) : bj::value(nullptr)},
                   {"until", format_iso8601(last->finished_at + CenterQueue::kOutcomeCorrectionMs)}};
  }
  return out;
}

Result<boost::json::object> QueueService::state(std::int64_t center_id) {
  // What the head should fix: the tickets' tracking links point at this machine only (its device
  // lookup reads the database: before the center's mutex, not under it).
  bj::array warnings;
  if (tracking_unreachable(center_id)) {
    warnings.push_back(bj::object{{"code", "tracking_url_loopback"}, {"public_url", public_url_}});
  }
  CenterState& s = center(center_id);
  std::unique_lock lock(s.mutex);
  VIKNO_CHECK(ready(s, center_id, lock));
  Millis now = clock_();

  bj::array administrators;
  for (const Administrator* a : s.engine.administrators()) {
    if (a->status != AdministratorStatus::signed_out) {
      administrators.push_back(administrator_json(s, *a, now));
    }
  }
  bj::array waiting;
  Millis longest = 0;
  for (const Ticket* t : s.engine.open_tickets()) {
    if (t->state == TicketState::waiting) {
      waiting.push_back(ticket_json(s, *t, now));
      longest = std::max(longest, now - t->issued_at);
    }
  }
  return bj::object{{"center", bj::object{{"id", center_id}, {"name_uk", s.name_uk}, {"name_en", s.name_en}}},
                    {"at", format_iso8601(now)},
                    {"day", s.day},
                    {"wait_target_ms", s.engine.settings().wait_limit_ms},
                    {"longest_wait_ms", longest},
                    {"administrators", std::move(administrators)},
                    {"groups", loads_json(s, now)},
                    {"waiting", std::move(waiting)},
                    {"colleagues", colleagues_json(s, std::nullopt)},
                    {"warnings", std::move(warnings)},
                    {"alerts", alerts_ != nullptr ? alerts::to_json(alerts_->open(center_id, now)) : bj::array{}}};
}

Result<boost::json::object> QueueService::visit(std::int64_t center_id, std::int64_t ticket_id) {
  CenterState& s = center(center_id);
  std::unique_lock lock(s.mutex);
  VIKNO_CHECK(ready(s, center_id, lock));
  Millis now = clock_();

  auto found = db_.read([&](Connection& c) -> std::optional<std::pair<Ticket, std::vector<store::VisitEvent>>> {
    auto t = store::ticket_by_id(c, center_id, ticket_id);
    if (!t) {
      return std::nullopt;
    }
    return std::pair{std::move(*t), store::ticket_events(c, ticket_id)};
  });
  if (!found) {
    return fail(Error::not_found("ticket_not_found", "no ticket with this id in this center"));
  }
  const Ticket* open = s.engine.ticket(ticket_id);
  bj::object out{{"ticket", ticket_json(s, open != nullptr ? *open : found->first, now)}};
  bj::array events;
  for (const auto& e : found->second) {
    boost::system::error_code ec;
    bj::value details = bj::parse(e.details, ec);
    events.push_back(
        bj::object{{"id", e.id},
                   {"at", format_iso8601(e.at)},
                   {"type", e.type},
                   {"user_id", opt_value(e.user_id)},
                   {"window_number", e.window_number > 0 ? bj::value(e.window_number) : bj::value(nullptr)},
                   {"details", ec ? bj::value(bj::object{}) : details}});
  }
  out["events"] = std::move(events);
  return out;
}

Result<boost::json::object> QueueService::settings(std::int64_t center_id) {
  CenterState& s = center(center_id);
  std::unique_lock lock(s.mutex);
  VIKNO_CHECK(ready(s, center_id, lock));

  const Settings& st = s.engine.settings();
  bj::array categories;
  for (const auto& c : st.priority_categories) {
    categories.push_back(bj::value(c));
  }
  return bj::object{{"wait_limit_minutes", st.wait_limit_ms / 60000},
                    {"recalls_before_no_show", st.recalls_before_no_show},
                    {"priority_categories", std::move(categories)}};
}

Result<boost::json::object> QueueService::display(std::int64_t center_id) {
  CenterState& s = center(center_id);
  std::unique_lock lock(s.mutex);
  VIKNO_CHECK(ready(s, center_id, lock));
  Millis now = clock_();

  return display_json(s, center_id, now);
}

} // namespace vikno::queue
