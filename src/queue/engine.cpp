#include "queue/engine.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

#include <fmt/format.h>

namespace vikno::queue {

namespace {

constexpr std::size_t kServiceTimeWindow = 20; // visits in the rolling average
constexpr double kPriorWeight = 3.0;           // the catalog's typical time counts as this many visits

bool contains(const std::vector<std::int64_t>& v, std::int64_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Whether the administrator serves the group at all (as a primary or a secondary skill).
bool serves(const Administrator& a, std::int64_t group_id) {
  return contains(a.skills.primary, group_id) || contains(a.skills.secondary, group_id);
}

Error conflict(std::string code, std::string message) { return Error::conflict(std::move(code), std::move(message)); }

} // namespace

CenterQueue::CenterQueue(Settings settings) : settings_(std::move(settings)) {}

void CenterQueue::set_group(std::int64_t group_id, GroupInfo info) { groups_[group_id] = std::move(info); }

const GroupInfo* CenterQueue::group(std::int64_t group_id) const {
  auto it = groups_.find(group_id);
  return it == groups_.end() ? nullptr : &it->second;
}

// --- Rebuilding -----------------------------------------------------------------------------------

void CenterQueue::restore(Ticket ticket) {
  if (is_final(ticket.state)) {
    return;
  }
  auto id = ticket.id;
  auto [it, inserted] = tickets_.insert_or_assign(id, std::move(ticket));
  if (it->second.state == TicketState::waiting) {
    enqueue(it->second);
  }
}

void CenterQueue::restore(Administrator administrator) {
  auto id = administrator.user_id;
  administrators_.insert_or_assign(id, std::move(administrator));
}

void CenterQueue::restore_sequence(const std::string& day, const std::string& letter, int last_seq) {
  int& seq = sequences_[{day, letter}];
  seq = std::max(seq, last_seq);
}

void CenterQueue::record_service_time(std::int64_t group_id, Millis ms) {
  auto& times = service_times_[group_id];
  times.last.push_back(ms);
  times.sum += ms;
  if (times.last.size() > kServiceTimeWindow) {
    times.sum -= times.last.front();
    times.last.pop_front();
  }
}

Millis CenterQueue::average_service_ms(std::int64_t group_id) const {
  Millis prior = 15LL * 60 * 1000;
  if (const auto* g = group(group_id)) {
    prior = g->typical_ms;
  }
  double sum = kPriorWeight * static_cast<double>(prior);
  double n = kPriorWeight;
  if (auto it = service_times_.find(group_id); it != service_times_.end()) {
    sum += static_cast<double>(it->second.sum);
    n += static_cast<double>(it->second.last.size());
  }
  return static_cast<Millis>(std::llround(sum / n));
}

// --- Tickets --------------------------------------------------------------------------------------

Result<std::pair<std::string, int>> CenterQueue::next_number(std::int64_t group_id, const std::string& day) {
  const auto* g = group(group_id);
  if (g == nullptr) {
    return fail(Error::invalid("unknown_group", "this service group is not offered in this center"));
  }
  int seq = ++sequences_[{day, g->letter}];
  return std::pair{fmt::format("{}-{:03}", g->letter, seq), seq};
}

void CenterQueue::add(Ticket ticket) {
  ticket.state = TicketState::waiting;
  restore(std::move(ticket));
}

void CenterQueue::enqueue(const Ticket& t) {
  Key key{t.issued_at, t.id};
  auto& q = waiting_[t.group_id];
  if (t.target_user) {
    personal_[*t.target_user].insert(key);
    q.named.insert(key);
    return;
  }
  q.all.insert(key);
  if (!t.priority.empty()) {
    q.priority.insert(key);
  }
  if (t.booked_for) {
    q.booked.insert(Key{*t.booked_for, t.id});
  }
}

void CenterQueue::dequeue(const Ticket& t) {
  Key key{t.issued_at, t.id};
  auto it = waiting_.find(t.group_id);
  if (t.target_user) {
    if (auto p = personal_.find(*t.target_user); p != personal_.end()) {
      p->second.erase(key);
    }
    if (it != waiting_.end()) {
      it->second.named.erase(key);
    }
    return;
  }
  if (it == waiting_.end()) {
    return;
  }
  it->second.all.erase(key);
  it->second.priority.erase(key);
  if (t.booked_for) {
    it->second.booked.erase(Key{*t.booked_for, t.id});
  }
}

// --- Administrators -------------------------------------------------------------------------------

Result<Administrator*> CenterQueue::signed_in(std::int64_t user_id) {
  auto it = administrators_.find(user_id);
  if (it == administrators_.end() || it->second.status == AdministratorStatus::signed_out) {
    return fail(conflict("not_signed_in", "sign in to a window first"));
  }
  return &it->second;
}

Result<Administrator> CenterQueue::sign_in(std::int64_t user_id, std::string name, std::int64_t window_id,
                                           int window_number, Skills skills, Millis now) {
  for (const auto& [id, a] : administrators_) {
    if (id != user_id && a.status != AdministratorStatus::signed_out && a.window_id == window_id) {
      return fail(conflict("window_taken", fmt::format("window {} is taken by {}", window_number, a.name)));
    }
  }
  auto& a = administrators_[user_id];
  if (a.ticket_id && a.window_id != window_id) {
    return fail(conflict("holding_ticket", "finish or transfer the current ticket before changing windows"));
  }
  a.user_id = user_id;
  a.name = std::move(name);
  if (a.status != AdministratorStatus::available || a.window_id != window_id) {
    a.since = now;
  }
  a.status = AdministratorStatus::available;
  a.pause_reason.clear();
  a.window_id = window_id;
  a.window_number = window_number;
  a.skills = std::move(skills);
  return a;
}

Result<Administrator> CenterQueue::pause(std::int64_t user_id, std::string reason, Millis now) {
  VIKNO_TRY(a, signed_in(user_id));
  if (a->ticket_id) {
    return fail(conflict("holding_ticket", "finish or transfer the current ticket before a pause"));
  }
  a->status = AdministratorStatus::paused;
  a->pause_reason = std::move(reason);
  a->since = now;
  return *a;
}

Result<Administrator> CenterQueue::resume(std::int64_t user_id, Millis now) {
  VIKNO_TRY(a, signed_in(user_id));
  if (a->status != AdministratorStatus::available) {
    a->status = AdministratorStatus::available;
    a->pause_reason.clear();
    a->since = now;
  }
  return *a;
}

Result<Administrator> CenterQueue::sign_out(std::int64_t user_id, Millis now) {
  VIKNO_TRY(a, signed_in(user_id));
  if (a->ticket_id) {
    return fail(conflict("holding_ticket", "finish or transfer the current ticket before signing out"));
  }
  a->status = AdministratorStatus::signed_out;
  a->pause_reason.clear();
  a->window_id.reset();
  a->window_number = 0;
  a->since = now;
  return *a;
}

// --- The routing policy ---------------------------------------------------------------------------

std::optional<Pick> CenterQueue::pick(std::int64_t user_id, Millis now) const {
  auto ait = administrators_.find(user_id);
  if (ait == administrators_.end()) {
    return std::nullopt;
  }
  const Administrator& a = ait->second;
  if (auto p = personal_.find(user_id); p != personal_.end() && !p->second.empty()) {
    return Pick{p->second.begin()->id, PickRule::transfer};
  }
  // The earliest key over the administrator's groups in one of the group's sets, if `accept` takes it.
  auto earliest = [&](const std::vector<std::int64_t>& groups, auto member, auto accept) -> std::optional<Key> {
    std::optional<Key> best;
    for (auto g : groups) {
      auto it = waiting_.find(g);
      if (it == waiting_.end()) {
        continue;
      }
      const std::set<Key>& set = it->second.*member;
      if (set.empty() || !accept(*set.begin())) {
        continue;
      }
      if (!best || *set.begin() < *best) {
        best = *set.begin();
      }
    }
    return best;
  };
  auto any = [](const Key&) { return true; };
  std::vector<std::int64_t> all_groups = a.skills.primary;
  all_groups.insert(all_groups.end(), a.skills.secondary.begin(), a.skills.secondary.end());

  if (auto k = earliest(all_groups, &GroupQueue::booked, [now](const Key& key) { return key.at <= now; })) {
    return Pick{k->id, PickRule::booking};
  }
  if (auto k = earliest(all_groups, &GroupQueue::priority, any)) {
    return Pick{k->id, PickRule::priority};
  }
  Millis limit = now - settings_.wait_limit_ms;
  if (auto k = earliest(all_groups, &GroupQueue::all, [limit](const Key& key) { return key.at <= limit; })) {
    return Pick{k->id, PickRule::wait_limit};
  }
  if (auto k = earliest(a.skills.primary, &GroupQueue::all, any)) {
    return Pick{k->id, PickRule::primary_skill};
  }
  if (auto k = earliest(a.skills.secondary, &GroupQueue::all, any)) {
    return Pick{k->id, PickRule::secondary_skill};
  }
  return std::nullopt;
}

Result<std::optional<Ticket>> CenterQueue::call_next(std::int64_t user_id, Millis now) {
  VIKNO_TRY(a, signed_in(user_id));
  if (a->status == AdministratorStatus::paused) {
    return fail(conflict("paused", "resume work before calling the next ticket"));
  }
  if (a->ticket_id) {
    return fail(conflict("holding_ticket", "finish, transfer or mark no-show the current ticket first"));
  }
  auto p = pick(user_id, now);
  if (!p) {
    return std::optional<Ticket>{};
  }
  Ticket& t = tickets_.at(p->ticket_id);
  dequeue(t);
  t.target_user.reset();
  t.state = TicketState::called;
  t.user_id = user_id;
  t.window_id = a->window_id;
  t.window_number = a->window_number;
  t.called_at = now;
  t.started_at = 0;
  t.recalls = 0;
  t.rule = p->rule;
  a->ticket_id = t.id;
  return std::optional<Ticket>{t};
}

Result<Ticket*> CenterQueue::held_by(std::int64_t user_id, std::int64_t ticket_id) {
  auto it = tickets_.find(ticket_id);
  if (it == tickets_.end()) {
    return fail(Error::not_found("ticket_not_found", "no open ticket with this id in this center"));
  }
  Ticket& t = it->second;
  if (t.user_id != user_id || (t.state != TicketState::called && t.state != TicketState::serving)) {
    return fail(conflict("not_your_ticket", fmt::format("ticket {} is not held by you", t.number)));
  }
  return &t;
}

Ticket CenterQueue::finalize(Ticket& t, TicketState state, Millis now) {
  if (t.state == TicketState::waiting) {
    dequeue(t);
  }
  if (t.user_id) {
    if (auto it = administrators_.find(*t.user_id); it != administrators_.end() && it->second.ticket_id == t.id) {
      it->second.ticket_id.reset();
    }
  }
  t.state = state;
  t.finished_at = now;
  Ticket out = std::move(t);
  tickets_.erase(out.id);
  return out;
}

Result<Ticket> CenterQueue::recall(std::int64_t user_id, std::int64_t ticket_id, Millis now) {
  VIKNO_TRY(t, held_by(user_id, ticket_id));
  if (t->state != TicketState::called) {
    return fail(conflict("wrong_state", "only a called ticket can be recalled"));
  }
  ++t->recalls;
  if (t->recalls > settings_.recalls_before_no_show) {
    return finalize(*t, TicketState::no_show, now);
  }
  return *t;
}

Result<Ticket> CenterQueue::start(std::int64_t user_id, std::int64_t ticket_id, Millis now) {
  VIKNO_TRY(t, held_by(user_id, ticket_id));
  if (t->state != TicketState::called) {
    return fail(conflict("wrong_state", "the service has already started"));
  }
  t->state = TicketState::serving;
  t->started_at = now;
  return *t;
}

Result<Ticket> CenterQueue::finish(std::int64_t user_id, std::int64_t ticket_id, Outcome outcome,
                                   std::optional<std::int64_t> service_id, Millis now) {
  VIKNO_TRY(t, held_by(user_id, ticket_id));
  if (t->started_at == 0) {
    t->started_at = t->called_at;
  }
  t->outcome = outcome;
  if (service_id) {
    t->service_id = service_id;
  }
  record_service_time(t->group_id, now - t->called_at);
  Ticket done = finalize(*t, TicketState::done, now);
  finished_[user_id] = done;
  return done;
}

const Ticket* CenterQueue::correctable(std::int64_t user_id, Millis now) const {
  auto it = finished_.find(user_id);
  if (it == finished_.end() || now - it->second.finished_at > kOutcomeCorrectionMs) {
    return nullptr;
  }
  return &it->second;
}

Result<Ticket> CenterQueue::correct_outcome(std::int64_t user_id, std::int64_t ticket_id, Outcome outcome,
                                            std::optional<std::int64_t> service_id, Millis now) {
  auto it = finished_.find(user_id);
  if (it == finished_.end() || it->second.id != ticket_id) {
    return fail(conflict("not_your_last_visit", "only the visit you finished last can be corrected"));
  }
  if (now - it->second.finished_at > kOutcomeCorrectionMs) {
    return fail(conflict("correction_expired", "the outcome can be corrected only within 5 minutes of the finish"));
  }
  it->second.outcome = outcome;
  if (service_id) {
    it->second.service_id = service_id;
  }
  return it->second;
}

Result<Ticket> CenterQueue::no_show(std::int64_t user_id, std::int64_t ticket_id, Millis now) {
  VIKNO_TRY(t, held_by(user_id, ticket_id));
  if (t->state != TicketState::called) {
    return fail(conflict("wrong_state", "a visitor being served is not a no-show; finish the visit"));
  }
  return finalize(*t, TicketState::no_show, now);
}

Result<Ticket> CenterQueue::transfer(std::int64_t user_id, std::int64_t ticket_id, std::int64_t to_group,
                                     std::optional<std::int64_t> to_user, Millis now) {
  if (group(to_group) == nullptr) {
    return fail(Error::invalid("unknown_group", "this service group is not offered in this center"));
  }
  VIKNO_TRY(t, held_by(user_id, ticket_id));
  if (auto it = administrators_.find(user_id); it != administrators_.end()) {
    it->second.ticket_id.reset();
  }
  t->transfers.push_back(Transfer{now, user_id, to_group, to_user});
  t->state = TicketState::waiting;
  t->group_id = to_group;
  t->target_user = to_user;
  t->user_id.reset();
  t->window_id.reset();
  t->window_number = 0;
  t->called_at = 0;
  t->started_at = 0;
  t->recalls = 0;
  t->rule.reset();
  enqueue(*t);
  return *t;
}

Result<Ticket> CenterQueue::reassign(std::int64_t by_user, std::int64_t ticket_id, std::int64_t to_group,
                                     std::optional<std::int64_t> to_user, Millis now) {
  if (group(to_group) == nullptr) {
    return fail(Error::invalid("unknown_group", "this service group is not offered in this center"));
  }
  auto it = tickets_.find(ticket_id);
  if (it == tickets_.end()) {
    return fail(Error::not_found("ticket_not_found", "no open ticket with this id in this center"));
  }
  Ticket& t = it->second;
  if (t.state != TicketState::waiting) {
    return fail(conflict("wrong_state", "only a waiting ticket can be reassigned"));
  }
  dequeue(t);
  t.transfers.push_back(Transfer{now, by_user, to_group, to_user});
  t.group_id = to_group;
  t.target_user = to_user;
  enqueue(t);
  return t;
}

Result<Ticket> CenterQueue::cancel(std::int64_t ticket_id, std::string reason, Millis now) {
  auto it = tickets_.find(ticket_id);
  if (it == tickets_.end()) {
    return fail(Error::not_found("ticket_not_found", "no open ticket with this id in this center"));
  }
  Ticket& t = it->second;
  if (t.state == TicketState::serving) {
    return fail(conflict("wrong_state", "the visitor is being served; finish the visit instead"));
  }
  t.close_reason = std::move(reason);
  return finalize(t, TicketState::cancelled, now);
}

std::vector<Ticket> CenterQueue::close_day(const std::string& day, bool include_day, const std::string& reason,
                                           Millis now) {
  std::vector<std::int64_t> ids;
  for (const auto& [id, t] : tickets_) {
    bool earlier = t.day < day;
    bool today = include_day && t.day == day;
    bool open = t.state == TicketState::waiting || t.state == TicketState::called;
    if ((earlier && (open || t.state == TicketState::serving)) || (today && open)) {
      ids.push_back(id);
    }
  }
  std::sort(ids.begin(), ids.end());
  std::vector<Ticket> closed;
  for (auto id : ids) {
    Ticket& t = tickets_.at(id);
    t.close_reason = reason;
    closed.push_back(finalize(t, TicketState::closed, now));
  }
  std::erase_if(sequences_, [&](const auto& entry) { return entry.first.first < day; });
  return closed;
}

// --- Reading --------------------------------------------------------------------------------------

const Ticket* CenterQueue::ticket(std::int64_t id) const {
  auto it = tickets_.find(id);
  return it == tickets_.end() ? nullptr : &it->second;
}

const Administrator* CenterQueue::administrator(std::int64_t user_id) const {
  auto it = administrators_.find(user_id);
  return it == administrators_.end() ? nullptr : &it->second;
}

std::vector<const Administrator*> CenterQueue::administrators() const {
  std::vector<const Administrator*> out;
  for (const auto& [id, a] : administrators_) {
    out.push_back(&a);
  }
  return out;
}

std::vector<const Ticket*> CenterQueue::open_tickets() const {
  std::vector<const Ticket*> out;
  out.reserve(tickets_.size());
  for (const auto& [id, t] : tickets_) {
    out.push_back(&t);
  }
  std::sort(out.begin(), out.end(), [](const Ticket* x, const Ticket* y) {
    return std::pair{x->issued_at, x->id} < std::pair{y->issued_at, y->id};
  });
  return out;
}

int CenterQueue::waiting_count() const {
  std::size_t n = 0;
  for (const auto& [g, q] : waiting_) {
    n += q.all.size();
  }
  for (const auto& [u, s] : personal_) {
    n += s.size();
  }
  return static_cast<int>(n);
}

std::vector<std::int64_t> CenterQueue::groups() const {
  std::vector<std::int64_t> out;
  for (const auto& [id, g] : groups_) {
    out.push_back(id);
  }
  return out;
}

// A ticket transferred to a named administrator waits for that person's line only: nothing when
// they are free and nothing is ahead, else the tickets ahead at the group's average time, plus
// half a visit for the one under way; no estimate while they are away.
Millis CenterQueue::personal_wait(std::int64_t group_id, int ahead, std::int64_t user_id) const {
  const Administrator* a = administrator(user_id);
  if (a == nullptr || a->status != AdministratorStatus::available) {
    return -1;
  }
  int idle = a->ticket_id ? 0 : 1;
  if (ahead < idle) {
    return 0;
  }
  double avg = static_cast<double>(average_service_ms(group_id));
  return static_cast<Millis>(std::llround(avg * (static_cast<double>(ahead - idle) + 0.5)));
}

std::vector<const Administrator*> CenterQueue::at_work() const {
  std::vector<const Administrator*> out;
  for (const auto& [id, a] : administrators_) {
    if (a.status == AdministratorStatus::available) {
      out.push_back(&a);
    }
  }
  return out;
}

CenterQueue::Pool CenterQueue::pool_for(std::int64_t group_id, const std::vector<const Administrator*>& at_work) const {
  Pool pool;
  for (const Administrator* a : at_work) {
    if (serves(*a, group_id)) {
      pool.of_group.push_back(a);
      for (const auto* groups : {&a->skills.primary, &a->skills.secondary}) {
        for (auto g : *groups) {
          if (!contains(pool.groups, g)) {
            pool.groups.push_back(g);
          }
        }
      }
    }
  }
  if (pool.groups.empty()) {
    return pool;
  }
  for (const Administrator* a : at_work) {
    if (std::any_of(pool.groups.begin(), pool.groups.end(), [&](std::int64_t g) { return serves(*a, g); })) {
      pool.servers += 1;
      pool.idle += a->ticket_id ? 0 : 1;
    }
  }
  return pool;
}

namespace {

// How many of the set come before (at or after) the key; a key past the last one, as a ticket
// issued now is, needs no walk through the set.
template <class Set, class Key> int count_before(const Set& set, const Key& key) {
  if (set.empty() || *set.rbegin() < key) {
    return static_cast<int>(set.size());
  }
  return static_cast<int>(std::distance(set.begin(), set.lower_bound(key)));
}
template <class Set, class Key> int count_from(const Set& set, const Key& key) {
  return static_cast<int>(set.size()) - count_before(set, key);
}

} // namespace

// Under the policy an administrator serves the oldest ticket of all their groups (and any ticket
// past the wait limit first), so under load the groups an administrator shares behave as one line:
// the wait is the work issued before this ticket in every group reachable by the administrators
// who serve its group (priority tickets of those groups go first), over the administrators who
// take from that pool.
std::vector<CenterQueue::Standing> CenterQueue::standings(const Ticket& t, const Pool& pool) const {
  Key key{t.issued_at, t.id};
  std::vector<Standing> out;
  out.reserve(pool.groups.size());
  for (auto g : pool.groups) {
    Standing st;
    st.group_id = g;
    if (auto it = waiting_.find(g); it != waiting_.end()) {
      st.all = static_cast<int>(it->second.all.size());
      st.priority = static_cast<int>(it->second.priority.size());
      st.all_before = count_before(it->second.all, key);
      st.priority_before = count_before(it->second.priority, key);
    }
    out.push_back(st);
  }
  return out;
}

Millis CenterQueue::pooled_wait(const Ticket& t, const Pool& pool) const {
  return pooled_wait(t, pool, standings(t, pool));
}

Millis CenterQueue::pooled_wait(const Ticket& t, const Pool& pool, const std::vector<Standing>& standings) const {
  if (pool.groups.empty()) {
    return -1;
  }
  double work = 0;
  int ahead = 0;
  for (const Standing& st : standings) {
    const double each = static_cast<double>(average_service_ms(st.group_id));
    int before = st.all_before;
    if (t.priority.empty()) { // later priority tickets go first
      before += st.priority - st.priority_before;
    } else { // a priority ticket waits only for earlier priority tickets
      before = st.priority_before;
    }
    ahead += before;
    work += each * before;
  }
  if (ahead < pool.idle) {
    return 0;
  }
  double each = ahead > 0 ? work / ahead : static_cast<double>(average_service_ms(t.group_id));
  return static_cast<Millis>(std::llround(each * (static_cast<double>(ahead - pool.idle) + 0.5) / pool.servers));
}

std::pair<int, int> CenterQueue::routed_ahead(const Ticket& t, const Pool& pool,
                                              const std::vector<Standing>& standings) const {
  std::optional<std::pair<int, int>> best;
  for (const Administrator* a : pool.of_group) {
    const bool primary = contains(a->skills.primary, t.group_id);
    int ahead = 0;
    int priority = 0;
    if (auto p = personal_.find(a->user_id); p != personal_.end()) {
      ahead += static_cast<int>(p->second.size()); // transferred to them by name: called first
    }
    for (const Standing& st : standings) {
      const bool in_primary = contains(a->skills.primary, st.group_id);
      if (!in_primary && !contains(a->skills.secondary, st.group_id)) {
        continue;
      }
      if (!t.priority.empty()) {
        priority += st.priority_before;
        continue;
      }
      priority += st.priority;
      const int plain_before = st.all_before - st.priority_before;
      const int plain_all = st.all - st.priority;
      if (primary) {
        ahead += in_primary ? plain_before : 0;
      } else {
        ahead += in_primary ? plain_all : plain_before;
      }
    }
    ahead += priority;
    if (!best || ahead < best->first) {
      best = std::pair{ahead, priority};
    }
  }
  return best.value_or(std::pair{0, 0});
}

std::optional<Estimate> CenterQueue::estimate(std::int64_t ticket_id, Millis /*now*/) const {
  std::map<std::int64_t, Pool> pools;
  return estimate(ticket(ticket_id), at_work(), pools);
}

std::vector<std::optional<Estimate>> CenterQueue::estimates(const std::vector<std::int64_t>& ticket_ids) const {
  const auto staff = at_work();
  std::map<std::int64_t, Pool> pools;
  std::vector<std::optional<Estimate>> out;
  out.reserve(ticket_ids.size());
  for (auto id : ticket_ids) {
    out.push_back(estimate(ticket(id), staff, pools));
  }
  return out;
}

std::optional<Estimate> CenterQueue::estimate(const Ticket* t, const std::vector<const Administrator*>& staff,
                                              std::map<std::int64_t, Pool>& pools) const {
  if (t == nullptr || t->state != TicketState::waiting) {
    return std::nullopt;
  }
  Key key{t->issued_at, t->id};
  Estimate e;
  Millis wait = -1;
  if (t->target_user) {
    const auto& mine = personal_.at(*t->target_user);
    e.ahead = count_before(mine, key);
    wait = personal_wait(t->group_id, e.ahead, *t->target_user);
  } else {
    const GroupQueue& q = waiting_.at(t->group_id);
    auto pool = pools.find(t->group_id);
    if (pool == pools.end()) {
      pool = pools.emplace(t->group_id, pool_for(t->group_id, staff)).first;
    }
    const auto standing = standings(*t, pool->second);
    if (pool->second.of_group.empty()) { // nobody at work for it: its own line
      const int priority_before = count_before(q.priority, key);
      e.priority_ahead = t->priority.empty() ? static_cast<int>(q.priority.size()) : priority_before;
      e.ahead = t->priority.empty() ? e.priority_ahead + count_before(q.all, key) - priority_before : priority_before;
    } else {
      std::tie(e.ahead, e.priority_ahead) = routed_ahead(*t, pool->second, standing);
      e.shared = pool->second.groups.size() > 1;
    }
    wait = pooled_wait(*t, pool->second, standing);
  }
  if (wait >= 0) {
    e.wait_ms = wait;
  }
  return e;
}

GroupLoad CenterQueue::load(std::int64_t group_id, Millis now) const { return load(group_id, now, at_work()); }

std::vector<GroupLoad> CenterQueue::loads(Millis now) const {
  const auto staff = at_work();
  std::vector<GroupLoad> out;
  out.reserve(groups_.size());
  for (const auto& [id, g] : groups_) {
    out.push_back(load(id, now, staff));
  }
  return out;
}

GroupLoad CenterQueue::load(std::int64_t group_id, Millis now, const std::vector<const Administrator*>& staff) const {
  GroupLoad out;
  out.group_id = group_id;
  // Every waiting ticket of the group counts, those transferred to a person by name too: the
  // kiosk, the load page, the desk and the head count the same tickets.
  if (auto it = waiting_.find(group_id); it != waiting_.end()) {
    const GroupQueue& q = it->second;
    out.waiting = static_cast<int>(q.all.size() + q.named.size());
    std::optional<Millis> oldest;
    for (const auto* set : {&q.all, &q.named}) {
      if (!set->empty() && (!oldest || set->begin()->at < *oldest)) {
        oldest = set->begin()->at;
      }
    }
    out.longest_wait_ms = oldest ? now - *oldest : 0;
  }
  for (const Administrator* a : staff) {
    if (serves(*a, group_id)) {
      ++out.serving_administrators;
    }
  }
  Ticket probe; // a ticket issued now
  probe.group_id = group_id;
  probe.issued_at = now;
  probe.id = std::numeric_limits<std::int64_t>::max();
  if (Millis wait = pooled_wait(probe, pool_for(group_id, staff)); wait >= 0) {
    out.expected_wait_ms = wait;
  }
  return out;
}

} // namespace vikno::queue
