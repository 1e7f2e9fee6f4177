#include "queue/center_state.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "auth/accounts.hpp"
#include "auth/policy.hpp"

namespace vikno::queue {

namespace bj = boost::json;
using storage::Connection;

Outlook Outlook::of(const Ticket& t, const std::optional<Estimate>& e) {
  Outlook o{t.state, t.group_id, t.window_number, t.recalls, t.called_at, std::nullopt, std::nullopt};
  o.transfers = t.transfers.size();
  o.named = t.target_user.has_value();
  if (e) {
    o.ahead = e->ahead;
    o.shared = e->shared;
    o.priority_ahead = e->priority_ahead;
    if (e->wait_ms) {
      o.wait_minutes = *e->wait_ms < 60'000 ? -1 : std::llround(static_cast<double>(*e->wait_ms) / 60'000.0);
    }
  }
  return o;
}

void CenterState::remember_call(Ticket shown) {
  // A recall moves the ticket to the top of the list: the board lists each ticket once.
  std::erase_if(recent_calls, [&](const Ticket& t) { return t.id == shown.id; });
  recent_calls.push_front(std::move(shown));
  if (recent_calls.size() > kRecentCalls) {
    recent_calls.pop_back();
  }
}

const Ticket* CenterState::open_ticket(const std::string& token) const {
  auto it = tokens.find(token);
  return it == tokens.end() ? nullptr : engine.ticket(it->second);
}

void CenterState::remember_answer(const std::string& key, const Answer& answer, Millis now) {
  while (!answers_by_age.empty() && answers_by_age.front().first < now - kRecentAnswersMs) {
    auto it = answers.find(answers_by_age.front().second);
    if (it != answers.end() && it->second.at == answers_by_age.front().first) {
      if (!it->second.answer.committed->settled()) {
        break; // still to be written: kept (and everything after it) until its commit ends
      }
      answers.erase(it);
    }
    answers_by_age.pop_front();
  }
  answers[key] = RecentAnswer{answer, now};
  answers_by_age.emplace_back(now, key);
}

bool CenterState::works_at_window(std::int64_t user_id) const {
  auto it = staff.find(user_id);
  if (it == staff.end() || it->second.skills.empty()) {
    return false;
  }
  auto role = auth::role_from_string(it->second.role);
  return role && auth::role_allows(*role, auth::Permission::queue_operate);
}

bool CenterState::serves(std::int64_t user_id, std::int64_t group_id) const {
  auto it = staff.find(user_id);
  return it != staff.end() && std::any_of(it->second.skills.begin(), it->second.skills.end(),
                                          [&](const registry::Skill& k) { return k.group_id == group_id; });
}

std::string CenterState::staff_name(std::int64_t user_id) const {
  auto it = staff.find(user_id);
  return it == staff.end() ? std::string() : it->second.name;
}

bool CenterState::offers(std::int64_t service_id) const {
  return std::any_of(groups.begin(), groups.end(), [&](const auto& g) {
    return std::find(g.second.services.begin(), g.second.services.end(), service_id) != g.second.services.end();
  });
}

Result<void> CenterState::load_meta(registry::Registry& registry, std::int64_t center_id, Millis now) {
  auto center = registry.get_center(center_id);
  if (!center) {
    return fail(Error::not_found("center_not_found", "no such center"));
  }
  name_uk = center->profile.name_uk;
  name_en = center->profile.name_en;
  profile = center->profile;
  windows.clear();
  for (const auto& w : center->windows) {
    windows[w.id] = Window{w.number, w.label, w.active};
  }
  std::map<std::int64_t, registry::ServiceGroup> all_groups;
  for (auto& g : registry.list_groups()) {
    all_groups.emplace(g.id, std::move(g));
  }
  std::map<std::int64_t, std::pair<long, int>> minutes; // group -> sum of typical minutes, count
  groups.clear();
  std::vector<std::int64_t> offered = center->service_ids;
  std::sort(offered.begin(), offered.end());
  for (const auto& service : registry.list_services()) {
    if (!std::binary_search(offered.begin(), offered.end(), service.id)) {
      continue;
    }
    auto gid = service.current.card.group_id;
    auto git = all_groups.find(gid);
    if (git == all_groups.end()) {
      continue;
    }
    auto& g = groups[gid];
    g.code = git->second.data.code;
    g.name_uk = git->second.data.name_uk;
    g.name_en = git->second.data.name_en;
    g.letter = git->second.data.ticket_letter;
    g.sort_order = git->second.data.sort_order;
    g.services.push_back(service.id);
    minutes[gid].first += service.current.card.typical_minutes;
    minutes[gid].second += 1;
  }
  for (auto& [gid, g] : groups) {
    auto [sum, n] = minutes[gid];
    g.typical_ms = n > 0 ? sum * 60 * 1000 / n : 15LL * 60 * 1000;
    engine.set_group(gid, GroupInfo{g.letter, g.typical_ms});
  }
  staff.clear();
  for (auto& st : registry.staff_skills(center_id)) {
    auto id = st.user_id;
    staff.emplace(id, std::move(st));
  }
  meta_at = now;
  return {};
}

bool RowIds::low() const {
  std::lock_guard lock(mutex_);
  return tickets_.end - tickets_.next < kAhead || events_.end - events_.next < kAhead;
}

void RowIds::refill(Connection& c, storage::Dialect dialect) {
  std::lock_guard lock(mutex_);
  for (auto [range, table] :
       {std::pair{&tickets_, store::IdTable::tickets}, std::pair{&events_, store::IdTable::events}}) {
    if (range->end - range->next >= kAhead) {
      continue;
    }
    range->next = store::reserve_ids(c, dialect, table);
    range->end =
        dialect == storage::Dialect::sqlite ? std::numeric_limits<std::int64_t>::max() : range->next + store::kIdBlock;
  }
}

std::int64_t RowIds::take(Range& range) {
  std::lock_guard lock(mutex_);
  if (range.next >= range.end) {
    throw storage::DbError("no ids reserved for a new queue row"); // refresh() keeps kAhead ready
  }
  return range.next++;
}

void Ctx::save(const Ticket& t) {
  touched[t.id] = t;
  write([t](Connection& c) { store::update_ticket(c, t); });
}

void Ctx::record(const std::string& type, const Ticket* t, const bj::object& details, std::string before,
                 std::string after) {
  store::VisitEvent e;
  e.id = ids.event();
  e.ticket_id = t != nullptr ? std::optional(t->id) : std::nullopt;
  e.at = now;
  e.type = type;
  if (cmd.actor.principal.kind == auth::PrincipalKind::user) {
    e.user_id = cmd.actor.principal.id;
  }
  e.window_number = t != nullptr ? t->window_number : 0;
  if (t != nullptr) {
    touched[t->id] = *t;
  }
  e.details = bj::serialize(details);
  s.last_event_id = e.id;
  write([e, center_id = cmd.center_id, principal = cmd.actor.principal, address = cmd.actor.address, now = now,
         object_type = std::string(t != nullptr ? "queue_ticket" : "queue"),
         object_id = t != nullptr ? t->id : cmd.center_id, before = std::move(before),
         after = std::move(after)](Connection& c) {
    store::append_event(c, center_id, e);
    auth::record_change(c, auth::Actor{principal, address}, now, "queue." + e.type, object_type, object_id, before,
                        after, e.details);
  });
  events.push_back(std::move(e));
}

} // namespace vikno::queue
