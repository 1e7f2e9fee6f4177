#include "queue/views.hpp"

#include <algorithm>

namespace vikno::queue {

namespace bj = boost::json;

namespace {
bj::value opt_time(Millis t) { return t > 0 ? bj::value(format_iso8601(t)) : bj::value(nullptr); }
template <class T> bj::value opt_value(const std::optional<T>& v) { return v ? bj::value(*v) : bj::value(nullptr); }
} // namespace

bj::array colleagues_json(const CenterState& s, std::optional<std::int64_t> except) {
  bj::array out;
  for (const auto& [id, st] : s.staff) {
    if (id == except || !s.works_at_window(id)) {
      continue;
    }
    bj::array served;
    for (const auto& k : st.skills) {
      served.push_back(k.group_id);
    }
    const Administrator* x = s.engine.administrator(id);
    out.push_back(bj::object{{"user_id", id},
                             {"name", st.name},
                             {"group_ids", std::move(served)},
                             {"status", to_string(x != nullptr ? x->status : AdministratorStatus::signed_out)}});
  }
  return out;
}

bj::object center_json(const CenterState& s, std::int64_t center_id) {
  return bj::object{{"id", center_id}, {"name_uk", s.name_uk}, {"name_en", s.name_en}};
}

bj::object public_ticket_json(const CenterState& s, const Ticket& t, Millis now, const std::optional<Estimate>* known) {
  bj::object o{{"number", t.number},
               {"state", to_string(t.state)},
               {"purpose", to_string(t.purpose)},
               {"issued_at", format_iso8601(t.issued_at)}};
  if (auto g = s.groups.find(t.group_id); g != s.groups.end()) {
    o["group"] = bj::object{{"id", t.group_id},
                            {"letter", g->second.letter},
                            {"name_uk", g->second.name_uk},
                            {"name_en", g->second.name_en}};
  } else {
    o["group"] = bj::object{{"id", t.group_id}};
  }
  o["priority"] = t.priority.empty() ? bj::value(nullptr) : bj::value(t.priority);
  o["window_number"] = t.window_number > 0 ? bj::value(t.window_number) : bj::value(nullptr);
  o["called_at"] = opt_time(t.called_at);
  o["recalls"] = t.recalls;
  o["ahead"] = nullptr;
  o["expected_wait_ms"] = nullptr;
  // Why "ahead" may grow while one waits: other groups share these administrators; priority
  // visitors go first. And whether the ticket was sent on from another window.
  o["shared_administrators"] = false;
  o["priority_ahead"] = 0;
  o["transferred"] = !t.transfers.empty();
  o["named_administrator"] = t.target_user.has_value();
  if (t.state == TicketState::waiting) {
    if (auto e = known != nullptr ? *known : s.engine.estimate(t.id, now)) {
      o["ahead"] = e->ahead;
      o["expected_wait_ms"] = opt_value(e->wait_ms);
      o["shared_administrators"] = e->shared;
      o["priority_ahead"] = e->priority_ahead;
    }
  }
  o["center"] = bj::object{{"name_uk", s.name_uk}, {"name_en", s.name_en}};
  return o;
}

bj::object followed_ticket_json(CenterState& s, const Ticket& t, Millis now, const std::optional<Estimate>& estimate) {
  s.sent[t.token] = Outlook::of(t, estimate);
  return public_ticket_json(s, t, now, &estimate);
}

bj::object ticket_json(const CenterState& s, const Ticket& t, Millis now) {
  bj::object o = public_ticket_json(s, t, now);
  o["id"] = t.id;
  o["service_id"] = opt_value(t.service_id);
  o["source"] = to_string(t.source);
  o["booked_for"] = t.booked_for ? bj::value(format_iso8601(*t.booked_for)) : bj::value(nullptr);
  o["user_id"] = opt_value(t.user_id);
  o["target_user_id"] = opt_value(t.target_user);
  o["target_user"] = nullptr;
  if (t.target_user) { // named in a transfer: whether that person is at work to call it
    const Administrator* a = s.engine.administrator(*t.target_user);
    o["target_user"] = bj::object{{"id", *t.target_user},
                                  {"name", s.staff_name(*t.target_user)},
                                  {"status", to_string(a != nullptr ? a->status : AdministratorStatus::signed_out)}};
  }
  o["started_at"] = opt_time(t.started_at);
  o["finished_at"] = opt_time(t.finished_at);
  o["rule"] = t.rule ? bj::value(to_string(*t.rule)) : bj::value(nullptr);
  o["outcome"] = t.outcome ? bj::value(to_string(*t.outcome)) : bj::value(nullptr);
  o["close_reason"] = t.close_reason;
  Millis until = t.called_at > 0 ? t.called_at : (is_final(t.state) ? t.finished_at : now);
  o["waited_ms"] = std::max<Millis>(0, until - t.issued_at);
  bj::array transfers;
  for (const auto& x : t.transfers) {
    transfers.push_back(bj::object{{"at", format_iso8601(x.at)},
                                   {"from_user_id", x.from_user},
                                   {"to_group_id", x.to_group},
                                   {"to_user_id", opt_value(x.to_user)}});
  }
  o["transfers"] = std::move(transfers);
  return o;
}

bj::array loads_json(const CenterState& s, Millis now) {
  std::map<std::int64_t, GroupLoad> loads;
  for (auto& l : s.engine.loads(now)) {
    loads.emplace(l.group_id, l);
  }
  std::vector<std::pair<int, std::int64_t>> order;
  for (const auto& [gid, g] : s.groups) {
    order.emplace_back(g.sort_order, gid);
  }
  std::sort(order.begin(), order.end());
  bj::array out;
  out.reserve(order.size());
  for (const auto& [sort, gid] : order) {
    const auto& g = s.groups.at(gid);
    const GroupLoad& l = loads.at(gid); // the engine knows every group of the center (load_meta)
    out.push_back(bj::object{{"group_id", gid},
                             {"letter", g.letter},
                             {"name_uk", g.name_uk},
                             {"name_en", g.name_en},
                             {"waiting", l.waiting},
                             {"administrators", l.serving_administrators},
                             {"expected_wait_ms", opt_value(l.expected_wait_ms)},
                             {"longest_wait_ms", l.longest_wait_ms}});
  }
  return out;
}

bj::object administrator_json(const CenterState& s, const Administrator& a, Millis now) {
  bj::object o{{"user_id", a.user_id},
               {"name", a.name},
               {"status", to_string(a.status)},
               {"pause_reason", a.pause_reason},
               {"window_id", opt_value(a.window_id)},
               {"window_number", a.window_number > 0 ? bj::value(a.window_number) : bj::value(nullptr)},
               {"since", opt_time(a.since)}};
  bj::array primary;
  bj::array secondary;
  for (auto g : a.skills.primary) {
    primary.push_back(g);
  }
  for (auto g : a.skills.secondary) {
    secondary.push_back(g);
  }
  o["primary_groups"] = std::move(primary);
  o["secondary_groups"] = std::move(secondary);
  o["ticket"] = nullptr;
  if (a.ticket_id) {
    if (const Ticket* t = s.engine.ticket(*a.ticket_id)) {
      bj::object ticket = ticket_json(s, *t, now);
      ticket["with_ms"] = now - t->called_at;
      o["ticket"] = std::move(ticket);
    }
  }
  return o;
}

bj::object display_json(const CenterState& s, std::int64_t center_id, Millis now) {
  bj::array calls;
  for (const Ticket* t : s.engine.open_tickets()) {
    if (t->state == TicketState::called) {
      calls.push_back(bj::object{{"number", t->number},
                                 {"window_number", t->window_number},
                                 {"called_at", format_iso8601(t->called_at)},
                                 {"recalls", t->recalls}});
    }
  }
  bj::array recent;
  for (const auto& t : s.recent_calls) {
    recent.push_back(bj::object{
        {"number", t.number}, {"window_number", t.window_number}, {"called_at", format_iso8601(t.called_at)}});
  }
  return bj::object{{"center", bj::object{{"id", center_id}, {"name_uk", s.name_uk}, {"name_en", s.name_en}}},
                    {"at", format_iso8601(now)},
                    {"calls", std::move(calls)},
                    {"recent_calls", std::move(recent)},
                    {"groups", loads_json(s, now)},
                    {"last_event_id", s.last_event_id}};
}

} // namespace vikno::queue
