#include "queue/service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "auth/secrets.hpp"
#include "media/qr.hpp"

namespace vikno::queue {

namespace bj = boost::json;
using storage::Connection;

namespace {

constexpr Millis kMetaRefreshMs = 60'000; // registry data (groups, windows, staff) re-read this often
constexpr std::size_t kRecentCalls = 8;   // the display's list of last calls
constexpr Millis kKeepAnswersMs = 24LL * 3600 * 1000;
constexpr Millis kRecentAnswersMs = 10LL * 60 * 1000; // an answer stays in memory this long after it was given
constexpr std::int64_t kIdsAhead = 64;                // ids of tickets and events kept ready for a command

std::string center_topic(std::int64_t center_id) { return "center:" + std::to_string(center_id); }
constexpr std::string_view kTicketTopic = "ticket:";
std::string ticket_topic(const std::string& token) { return std::string(kTicketTopic) + token; }

bj::value opt_time(Millis t) { return t > 0 ? bj::value(format_iso8601(t)) : bj::value(nullptr); }
template <class T> bj::value opt_value(const std::optional<T>& v) { return v ? bj::value(*v) : bj::value(nullptr); }

Error user_required() { return Error::forbidden("only a staff member signed in as a user works at a window"); }

} // namespace

// One center's queue in memory: the engine plus what the registry says about the center.
struct QueueService::CenterState {
  struct Group {
    std::string code;
    std::string name_uk;
    std::string name_en;
    std::string letter;
    int sort_order = 0;
    std::vector<std::int64_t> services;
    Millis typical_ms = 0; // the catalog's typical duration, averaged over the group's services
  };
  struct Window {
    int number = 0;
    std::string label;
    bool active = true;
  };

  std::mutex mutex;
  bool loaded = false;
  bool leftovers_checked = false; // roll_day looked for tickets of earlier days since the last load
  // Counts the failed writes: a command's rows are written only if none failed since the command
  // read the engine (its rows build on what the failed ones would have written). The engine is
  // stale, to be rebuilt, when a write failed since it was loaded.
  std::atomic<std::uint64_t> generation{0};
  std::uint64_t loaded_generation = 0;
  // Answers to Idempotency-Keys (actor + "\n" + key) given lately: until its commit an answer is
  // only here, and it stays a while after (a retry looks in the database before the mutex).
  struct RecentAnswer {
    Answer answer; // its `committed` settles with the commit of its rows
    Millis at = 0;
  };
  std::map<std::string, RecentAnswer, std::less<>> answers;
  std::deque<std::pair<Millis, std::string>> answers_by_age;
  std::int64_t last_event_id = 0; // the last visit event the engine reflects (committed or not)
  Millis meta_at = 0;
  std::string day;
  std::string name_uk;
  std::string name_en;
  registry::CenterProfile profile; // opening hours for the end of the day
  CenterQueue engine;
  std::map<std::int64_t, Group> groups;
  std::map<std::int64_t, Window> windows;
  std::map<std::int64_t, registry::StaffSkills> staff;
  std::deque<Ticket> recent_calls; // latest first
  // What a citizen following a ticket sees: sent again only when some of it changes. The wait
  // counts in the minutes the tracking page shows (web/src/lib/format.ts, waitParts): every visit
  // that ends moves the rolling averages a little, and a phone need not hear of seconds.
  struct Outlook {
    TicketState state = TicketState::waiting;
    std::int64_t group_id = 0;
    int window_number = 0;
    int recalls = 0;
    Millis called_at = 0;
    std::optional<int> ahead;
    std::optional<Millis> wait_minutes; // -1: under a minute
    bool operator==(const Outlook&) const = default;

    static Outlook of(const Ticket& t, const std::optional<Estimate>& e) {
      Outlook o{t.state, t.group_id, t.window_number, t.recalls, t.called_at, std::nullopt, std::nullopt};
      if (e) {
        o.ahead = e->ahead;
        if (e->wait_ms) {
          o.wait_minutes = *e->wait_ms < 60'000 ? -1 : std::llround(static_cast<double>(*e->wait_ms) / 60'000.0);
        }
      }
      return o;
    }
  };
  std::map<std::string, Outlook, std::less<>> sent;        // token -> what its watchers were sent last
  std::map<std::string, std::int64_t, std::less<>> tokens; // open tickets: token -> id

  // A call (or a recall) for the display's list of the latest calls.
  void remember_call(Ticket shown) {
    recent_calls.push_front(std::move(shown));
    if (recent_calls.size() > kRecentCalls) {
      recent_calls.pop_back();
    }
  }

  const Ticket* open_ticket(const std::string& token) const {
    auto it = tokens.find(token);
    return it == tokens.end() ? nullptr : engine.ticket(it->second);
  }

  void mark_stale() { ++generation; }
  bool stale() const { return generation.load() != loaded_generation; }

  void remember_answer(const std::string& key, const Answer& answer, Millis now) {
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
};

// What a command's body works with: the center, the time, and what to write and publish. Its
// rows are written later, in order, by the database's writer (`write`).
struct QueueService::Ctx {
  QueueService& q;
  CenterState& s;
  Millis now;
  const Command& cmd;
  std::vector<store::VisitEvent> events;
  bool mutated = false;
  std::map<std::int64_t, Ticket> touched; // each ticket the command changed, as it left it
  std::vector<std::function<void(Connection&)>> writes;
  storage::AfterCommit after_commit;

  template <class W> void write(W w) { writes.emplace_back(std::move(w)); }

  void save(const Ticket& t) {
    touched[t.id] = t;
    write([t](Connection& c) { store::update_ticket(c, t); });
  }

  // A visit event, its audit entry, and the live event to send after the commit.
  void record(const std::string& type, const Ticket* t, const bj::object& details, std::string before = {},
              std::string after = {}) {
    store::VisitEvent e;
    e.id = q.take_id(q.event_ids_);
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
};

QueueService::QueueService(storage::Db& db, registry::Registry& registry, Clock clock, LiveHub& hub,
                           std::string public_url)
    : db_(db), registry_(registry), clock_(std::move(clock)), hub_(hub), public_url_(std::move(public_url)) {}

QueueService::~QueueService() = default;

QueueService::CenterState& QueueService::center(std::int64_t center_id) {
  std::lock_guard lock(centers_mutex_);
  auto& slot = centers_[center_id];
  if (!slot) {
    slot = std::make_unique<CenterState>();
  }
  return *slot;
}

std::string QueueService::tracking_url(const std::string& token) const { return public_url_ + "/t/" + token; }

// --- Loading --------------------------------------------------------------------------------------

Result<void> QueueService::load_meta(CenterState& s, std::int64_t center_id, Millis now) {
  auto center = registry_.get_center(center_id);
  if (!center) {
    return fail(Error::not_found("center_not_found", "no such center"));
  }
  s.name_uk = center->profile.name_uk;
  s.name_en = center->profile.name_en;
  s.profile = center->profile;
  s.windows.clear();
  for (const auto& w : center->windows) {
    s.windows[w.id] = CenterState::Window{w.number, w.label, w.active};
  }
  std::map<std::int64_t, registry::ServiceGroup> all_groups;
  for (auto& g : registry_.list_groups()) {
    all_groups.emplace(g.id, std::move(g));
  }
  std::map<std::int64_t, std::pair<long, int>> minutes; // group -> sum of typical minutes, count
  s.groups.clear();
  std::vector<std::int64_t> offered = center->service_ids;
  std::sort(offered.begin(), offered.end());
  for (const auto& service : registry_.list_services()) {
    if (!std::binary_search(offered.begin(), offered.end(), service.id)) {
      continue;
    }
    auto gid = service.current.card.group_id;
    auto git = all_groups.find(gid);
    if (git == all_groups.end()) {
      continue;
    }
    auto& g = s.groups[gid];
    g.code = git->second.data.code;
    g.name_uk = git->second.data.name_uk;
    g.name_en = git->second.data.name_en;
    g.letter = git->second.data.ticket_letter;
    g.sort_order = git->second.data.sort_order;
    g.services.push_back(service.id);
    minutes[gid].first += service.current.card.typical_minutes;
    minutes[gid].second += 1;
  }
  for (auto& [gid, g] : s.groups) {
    auto [sum, n] = minutes[gid];
    g.typical_ms = n > 0 ? sum * 60 * 1000 / n : 15LL * 60 * 1000;
    s.engine.set_group(gid, GroupInfo{g.letter, g.typical_ms});
  }
  s.staff.clear();
  for (auto& st : registry_.staff_skills(center_id)) {
    auto id = st.user_id;
    s.staff.emplace(id, std::move(st));
  }
  s.meta_at = now;
  return {};
}

// Rebuilds the engine from the database, inside a write (its connection sees what the writes
// before it wrote, committed or not).
void QueueService::reload(CenterState& s, std::int64_t center_id, Connection& c, Millis now) {
  std::string today = registry::kyiv_date(now);
  auto snapshot = store::load_center(c, center_id, today);
  auto settings = store::load_settings(c, center_id);
  auto last = c.query_one("SELECT COALESCE(MAX(id), 0) FROM queue_events WHERE center_id = ?", {center_id});
  s.engine = CenterQueue();
  for (const auto& [gid, g] : s.groups) {
    s.engine.set_group(gid, GroupInfo{g.letter, g.typical_ms});
  }
  s.engine.set_settings(settings.value_or(Settings{}));
  s.tokens.clear();
  {
    std::lock_guard lock(tokens_mutex_);
    for (auto& t : snapshot.open_tickets) {
      token_centers_[t.token] = center_id;
      s.tokens[t.token] = t.id;
    }
  }
  for (auto& t : snapshot.open_tickets) {
    s.engine.restore(std::move(t));
  }
  for (auto& a : snapshot.administrators) {
    if (auto it = s.staff.find(a.user_id); it != s.staff.end()) {
      for (const auto& skill : it->second.skills) {
        (skill.level == registry::SkillLevel::primary ? a.skills.primary : a.skills.secondary)
            .push_back(skill.group_id);
      }
    }
    s.engine.restore(std::move(a));
  }
  // The engine learns who holds which ticket from the tickets themselves.
  for (const Ticket* t : s.engine.open_tickets()) {
    if (t->user_id && (t->state == TicketState::called || t->state == TicketState::serving)) {
      if (const Administrator* a = s.engine.administrator(*t->user_id)) {
        Administrator copy = *a;
        copy.ticket_id = t->id;
        s.engine.restore(std::move(copy));
      }
    }
  }
  for (const auto& [letter, seq] : snapshot.sequences) {
    s.engine.restore_sequence(today, letter, seq);
  }
  for (auto it = snapshot.service_times.rbegin(); it != snapshot.service_times.rend(); ++it) {
    s.engine.record_service_time(it->first, it->second);
  }
  s.recent_calls.assign(snapshot.recent_calls.begin(), snapshot.recent_calls.end());
  s.day = today;
  s.sent.clear();
  s.leftovers_checked = false;
  s.last_event_id = last->int64(0);
  hub_.begin(center_topic(center_id), static_cast<std::uint64_t>(s.last_event_id));
  s.loaded = true;
}

// Makes the center ready for a command (its mutex held): registry data fresh; the engine loaded
// (again, after a failed write); ids at hand. Loading runs as a write of its own and waits for its
// commit, so every write before it has ended: the answers still in memory that did not commit are
// forgotten. Returns the generation the command's rows build on.
Result<std::uint64_t> QueueService::refresh(CenterState& s, std::int64_t center_id, Millis now,
                                            storage::WriteIntent& intent) {
  const std::uint64_t generation = s.generation.load(); // read first: a failure after it is caught at the write
  if (generation != s.loaded_generation) {
    s.loaded = false;
  }
  if (!s.loaded || now - s.meta_at > kMetaRefreshMs) {
    VIKNO_CHECK(load_meta(s, center_id, now));
  }
  bool ids_low = false;
  {
    std::lock_guard lock(ids_mutex_);
    ids_low = ticket_ids_.end - ticket_ids_.next < kIdsAhead || event_ids_.end - event_ids_.next < kIdsAhead;
  }
  if (s.loaded && !ids_low) {
    return generation;
  }
  const bool loading = !s.loaded;
  auto [done, commit] = db_.write(intent, [&](Connection& c, storage::AfterCommit& after) {
    after.on_failure([&s] { s.mark_stale(); });
    refill_ids(c);
    if (loading) {
      reload(s, center_id, c, now);
    }
    return true;
  });
  (void)done;
  if (loading) {
    commit.wait(); // throws if it failed (the center stays to be loaded)
    s.loaded_generation = generation;
    for (auto it = s.answers.begin(); it != s.answers.end();) {
      it = it->second.answer.committed->succeeded() ? std::next(it) : s.answers.erase(it);
    }
  }
  if (s.generation.load() != generation) {
    return fail(
        Error{ErrorKind::unavailable, "queue_busy", "the queue of this center is being reloaded; try again", {}});
  }
  return generation;
}

// Ids of new tickets and visit events come from this process, so a command's rows can be written
// after its center's mutex is released. SQLite (one process per database file) counts on from the
// largest id. PostgreSQL hands out blocks of 1,000 from each table's identity sequence (migration
// 0005 makes it step by 1,000), so instances that share the database never give the same id.
void QueueService::refill_ids(Connection& c) {
  std::lock_guard lock(ids_mutex_);
  for (auto [ids, table] : {std::pair{&ticket_ids_, "queue_tickets"}, std::pair{&event_ids_, "queue_events"}}) {
    if (ids->end - ids->next >= kIdsAhead) {
      continue;
    }
    if (db_.dialect() == storage::Dialect::sqlite) {
      ids->next = c.query_one(fmt::format("SELECT COALESCE(MAX(id), 0) + 1 FROM {}", table))->int64(0);
      ids->end = std::numeric_limits<std::int64_t>::max();
    } else {
      ids->next = c.query_one(fmt::format("SELECT nextval(pg_get_serial_sequence('{}', 'id'))", table))->int64(0);
      ids->end = ids->next + store::kIdBlock;
    }
  }
}

std::int64_t QueueService::take_id(Ids& ids) {
  std::lock_guard lock(ids_mutex_);
  if (ids.next >= ids.end) {
    throw storage::DbError("no ids reserved for a new queue row"); // refresh() keeps kIdsAhead ready
  }
  return ids.next++;
}

// A new day in the center: whatever is left of earlier days is closed, numbering starts over.
void QueueService::roll_day(Ctx& ctx) {
  CenterState& s = ctx.s;
  std::string today = registry::kyiv_date(ctx.now);
  // Tickets of earlier days come only from a load: look for them once after it, not per command.
  if (s.day == today && s.leftovers_checked) {
    return;
  }
  s.leftovers_checked = true;
  auto open = s.engine.open_tickets();
  bool leftovers = std::any_of(open.begin(), open.end(), [&](const Ticket* t) { return t->day < today; });
  if (s.day == today && !leftovers) {
    return;
  }
  ctx.mutated = true;
  auto closed = s.engine.close_day(today, false, "day_ended", ctx.now);
  for (const auto& t : closed) {
    ctx.save(t);
  }
  if (!closed.empty()) {
    ctx.record("day_closed", nullptr, bj::object{{"closed", closed.size()}, {"reason", "day_ended"}});
  }
  ctx.write([before = ctx.now - kKeepAnswersMs](Connection& c) { store::forget_responses(c, before); });
  s.day = today;
  s.recent_calls.clear();
}

// A reader's way in: the center's engine, current. Loading and the day's rollover write, so they
// run as a write of their own with the center's mutex released; registry data is only read.
Result<void> QueueService::ready(CenterState& s, std::int64_t center_id, std::unique_lock<std::mutex>& lock) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    Millis now = clock_();
    if (s.loaded && !s.stale() && s.day == registry::kyiv_date(now)) {
      if (now - s.meta_at > kMetaRefreshMs) {
        VIKNO_CHECK(load_meta(s, center_id, now));
      }
      return {};
    }
    lock.unlock();
    auto system = auth::Principal::system();
    auth::Actor actor{system, ""};
    auto refreshed = command(Command{center_id, actor, ""}, "refresh", [](Ctx&) -> Result<Answer> { return Answer{}; });
    lock.lock();
    VIKNO_CHECK(refreshed);
  }
  return fail(Error{ErrorKind::unavailable, "queue_busy", "the queue of this center is being reloaded; try again", {}});
}

int QueueService::close_after_hours() {
  std::vector<std::int64_t> ids;
  {
    std::lock_guard lock(centers_mutex_);
    for (const auto& [id, state] : centers_) {
      ids.push_back(id);
    }
  }
  int closed = 0;
  for (auto id : ids) {
    CenterState& s = center(id);
    {
      std::lock_guard lock(s.mutex);
      if (!s.loaded) {
        continue;
      }
      auto local = registry::kyiv_time(clock_() - kClosingGraceMs);
      auto closes = registry::closing_time(s.profile, local);
      if (!closes || local.minute < *closes) {
        continue;
      }
      auto open = s.engine.open_tickets();
      if (std::none_of(open.begin(), open.end(), [&](const Ticket* t) {
            return t->day == local.date && (t->state == TicketState::waiting || t->state == TicketState::called);
          })) {
        continue;
      }
    }
    auto system = auth::Principal::system();
    auth::Actor actor{system, ""};
    if (auto answer = close_day(Command{id, actor, ""})) {
      closed += static_cast<int>(bj::parse(answer->body).as_object().at("closed").to_number<std::int64_t>());
    }
  }
  return closed;
}

void QueueService::warm_up() {
  for (const auto& c : registry_.list_centers()) {
    CenterState& s = center(c.id);
    std::unique_lock lock(s.mutex);
    (void)ready(s, c.id, lock);
  }
}

// --- Commands -------------------------------------------------------------------------------------

// One command: announced to the group commit before it takes the center's mutex; under the
// mutex it changes the engine and leaves its rows (visit record, events, audit, stored answer) to
// the database's writer; answered after the commit that holds them, so an answer or a live event
// never shows what the database could still lose. Rows that build on a write that failed are not
// written (the generation moved on): the command fails and the engine is rebuilt.
template <class F> Result<Answer> QueueService::command(const Command& cmd, std::string_view /*action*/, F&& fn) {
  CenterState& s = center(cmd.center_id);
  const std::string actor = cmd.actor.principal.actor();
  const bool keyed = !cmd.idempotency_key.empty();
  const std::string answer_key = keyed ? actor + "\n" + cmd.idempotency_key : std::string();
  // An answer committed for this key, looked up before the mutex (the answers not committed yet
  // are in memory, and stay there a while after their commit).
  std::optional<store::StoredResponse> stored;
  if (keyed) {
    stored = db_.read([&](Connection& c) { return store::find_response(c, actor, cmd.idempotency_key); });
  }
  storage::WriteIntent intent = db_.intend_write();
  std::unique_lock lock(s.mutex);
  Ctx ctx{*this, s, clock_(), cmd};
  std::uint64_t generation = 0;
  try {
    VIKNO_TRY(g, refresh(s, cmd.center_id, ctx.now, intent));
    generation = g;
  } catch (...) {
    s.loaded = false;
    throw;
  }
  if (auto it = keyed ? s.answers.find(answer_key) : s.answers.end(); it != s.answers.end()) {
    Answer again = it->second.answer; // given once the first one's rows are committed
    again.replayed = true;
    lock.unlock();
    return when_committed(cmd, std::move(again));
  }
  if (stored) {
    return Answer{stored->status, stored->body, true};
  }
  Result<Answer> result = fail(Error{ErrorKind::internal, "internal", "no answer", {}});
  try {
    roll_day(ctx);
    result = fn(ctx);
    if (!result) {
      if (ctx.mutated) {
        s.loaded = false; // the engine changed, its rows are not written: rebuild it
      }
      return result;
    }
    if (ctx.writes.empty()) {
      return result; // nothing changed
    }
    result->committed = std::make_shared<Deferred>();
    // After the commit the answer goes first (the administrator waits for it), then the live events.
    ctx.after_commit.on_commit([committed = result->committed] { committed->settle(); });
    ctx.after_commit.on_failure([&s, committed = result->committed](const std::exception_ptr& failure) {
      s.mark_stale();
      committed->settle(failure); // -> 503/500
    });
    if (keyed) {
      ctx.write([actor, key = cmd.idempotency_key, answer = *result, now = ctx.now](Connection& c) {
        store::save_response(c, actor, key, {answer.status, answer.body}, now);
      });
      s.remember_answer(answer_key, *result, ctx.now);
    }
    prepare_publications(ctx);
  } catch (...) {
    s.loaded = false; // the engine may hold what will never be written: rebuild it
    throw;
  }
  auto rows = [&s, generation, writes = std::move(ctx.writes)](Connection& c) {
    if (s.generation.load() != generation) {
      throw storage::DbError("an earlier write of this center failed; the command is not written");
    }
    for (const auto& w : writes) {
      w(c);
    }
  };
  db_.submit(intent, std::move(rows), std::move(ctx.after_commit));
  lock.unlock();
  return when_committed(cmd, std::move(*result));
}

Result<Answer> QueueService::when_committed(const Command& cmd, Answer answer) {
  if (!cmd.answer_later) {
    answer.committed->wait(); // throws if its rows were not written
  }
  return answer;
}

// What the command changed, as live events for the center's displays and for the citizens who
// follow a ticket; built now (the engine is as the command left it), sent after the commit.
void QueueService::prepare_publications(Ctx& ctx) {
  CenterState& s = ctx.s;
  const std::int64_t center_id = ctx.cmd.center_id;
  if (ctx.events.empty()) {
    return;
  }
  struct Publication {
    std::string topic;
    std::uint64_t id;
    std::string type;
    std::string data;
    bool keep;
  };
  std::vector<Publication> out;
  Millis now = ctx.now;
  bj::array queues = loads_json(s, now);
  for (const auto& e : ctx.events) {
    bj::object data{{"at", format_iso8601(e.at)}, {"queues", queues}};
    if (e.ticket_id) {
      const Ticket* open = s.engine.ticket(*e.ticket_id);
      if (open != nullptr) {
        data["ticket"] = public_ticket_json(s, *open, now);
      } else if (auto it = ctx.touched.find(*e.ticket_id); it != ctx.touched.end()) {
        data["ticket"] = public_ticket_json(s, it->second, now); // it ended with this command
      }
    }
    boost::system::error_code ec;
    bj::value details = bj::parse(e.details, ec);
    data["details"] = ec ? bj::value(bj::object{}) : details;
    out.push_back({center_topic(center_id), static_cast<std::uint64_t>(e.id), e.type, bj::serialize(data), true});
  }
  // Tickets that ended leave the token index (their state is read from the database from now on).
  std::vector<std::string> ended;
  for (const auto& [token, id] : s.tokens) {
    if (s.engine.ticket(id) == nullptr) {
      ended.push_back(token);
    }
  }
  // Citizens following a ticket of this center: its state, position and estimate when they change.
  // Only this center's tickets are looked at; the estimates are made together (one pool per
  // group), and a ticket's state is written out only when what its followers see has changed.
  auto last_id = static_cast<std::uint64_t>(ctx.events.back().id);
  std::vector<std::string_view> tokens;
  tokens.reserve(s.tokens.size());
  for (const auto& [token, id] : s.tokens) {
    tokens.emplace_back(token);
  }
  struct Followed {
    std::string topic;
    Ticket ticket; // as it is now
    bool open = false;
  };
  std::vector<Followed> followed;
  std::vector<std::int64_t> open_ids;
  for (auto& topic : hub_.watched_among(kTicketTopic, tokens)) {
    std::string token = topic.substr(kTicketTopic.size());
    const std::int64_t id = s.tokens.at(token);
    if (const Ticket* t = s.engine.ticket(id)) {
      followed.push_back({std::move(topic), *t, true});
      open_ids.push_back(id);
    } else if (auto it = ctx.touched.find(id); it != ctx.touched.end()) {
      followed.push_back({std::move(topic), it->second}); // it ended with this command
    }
  }
  const auto estimates = s.engine.estimates(open_ids);
  std::size_t next_estimate = 0;
  for (const auto& [topic, t, open] : followed) {
    const std::optional<Estimate> estimate = open ? estimates[next_estimate++] : std::nullopt;
    if (auto sent = s.sent.find(t.token);
        sent != s.sent.end() && sent->second == CenterState::Outlook::of(t, estimate)) {
      continue;
    }
    out.push_back({topic, last_id, "ticket", bj::serialize(followed_ticket_json(s, t, now, estimate)), false});
  }
  {
    std::lock_guard lock(tokens_mutex_);
    for (const auto& token : ended) {
      s.tokens.erase(token);
      s.sent.erase(token);
      token_centers_.erase(token);
    }
  }
  ctx.events.clear(); // published once
  ctx.after_commit.on_commit([this, out = std::move(out)] {
    for (const auto& p : out) {
      hub_.publish(p.topic, p.id, p.type, p.data, p.keep);
    }
  });
}

Result<Answer> QueueService::issue(const Command& cmd, const IssueRequest& request) {
  // The token and its QR code are made before the center's queue is taken (the QR is the slow part).
  const std::string token = auth::random_token();
  const std::string url = tracking_url(token);
  const auto qr = media::qr_svg(url);
  return command(cmd, "issue", [&](Ctx& ctx) -> Result<Answer> {
    auto git = ctx.s.groups.find(request.group_id);
    if (git == ctx.s.groups.end()) {
      return fail(Error::invalid("unknown_group", "this service group is not offered in this center",
                                 {{"group_id", "not offered here", 0}}));
    }
    const auto& categories = ctx.s.engine.settings().priority_categories;
    if (!request.priority.empty() &&
        std::find(categories.begin(), categories.end(), request.priority) == categories.end()) {
      return fail(Error::invalid("unknown_priority", "no such priority category in this center",
                                 {{"priority", "unknown category", 0}}));
    }
    if (request.service_id && std::find(git->second.services.begin(), git->second.services.end(),
                                        *request.service_id) == git->second.services.end()) {
      return fail(Error::invalid("unknown_service", "this service is not offered in this group here",
                                 {{"service_id", "not offered here", 0}}));
    }
    VIKNO_TRY(number, ctx.s.engine.next_number(request.group_id, ctx.s.day));
    ctx.mutated = true;
    Ticket t;
    t.number = number.first;
    t.seq = number.second;
    t.letter = git->second.letter;
    t.day = ctx.s.day;
    t.token = token;
    t.group_id = request.group_id;
    t.purpose = request.purpose;
    t.service_id = request.service_id;
    t.priority = request.priority;
    t.source = request.source;
    t.issued_at = ctx.now;
    t.booked_for = request.booked_for;
    t.id = take_id(ticket_ids_);
    ctx.write([center_id = ctx.cmd.center_id, t](Connection& c) { store::insert_ticket(c, center_id, t); });
    ctx.s.engine.add(t);
    ctx.s.tokens[t.token] = t.id;
    {
      std::lock_guard lock(tokens_mutex_);
      token_centers_[t.token] = ctx.cmd.center_id;
    }
    ctx.record(
        "ticket_issued", &t,
        bj::object{{"number", t.number}, {"source", to_string(t.source)}, {"purpose", registry::to_string(t.purpose)}},
        "", "waiting");
    bj::object ticket = public_ticket_json(ctx.s, *ctx.s.engine.ticket(t.id), ctx.now);
    ticket["token"] = t.token;
    bj::object body{{"ticket", std::move(ticket)}, {"tracking_url", url}};
    body["qr_svg"] = qr ? bj::value(*qr) : bj::value(nullptr);
    return Answer{201, bj::serialize(body)};
  });
}

Result<Answer> QueueService::cancel_by_token(const auth::Actor& actor, const std::string& token) {
  std::int64_t center_id = 0;
  {
    std::lock_guard lock(tokens_mutex_);
    auto it = token_centers_.find(token);
    if (it == token_centers_.end()) {
      return fail(Error::not_found("ticket_not_found", "no open ticket with this token"));
    }
    center_id = it->second;
  }
  Command cmd{center_id, actor, ""};
  return command(cmd, "cancel", [&](Ctx& ctx) -> Result<Answer> {
    const Ticket* open = ctx.s.open_ticket(token);
    if (open == nullptr) {
      return fail(Error::not_found("ticket_not_found", "no open ticket with this token"));
    }
    if (open->state != TicketState::waiting) {
      return fail(Error::conflict("wrong_state", "you have already been called; please come to the window"));
    }
    VIKNO_TRY(t, ctx.s.engine.cancel(open->id, "cancelled_by_visitor", ctx.now));
    ctx.mutated = true;
    ctx.save(t);
    ctx.record("ticket_cancelled", &t, bj::object{{"number", t.number}, {"reason", t.close_reason}}, "waiting",
               "cancelled");
    return Answer{200, bj::serialize(bj::object{{"ticket", public_ticket_json(ctx.s, t, ctx.now)}})};
  });
}

namespace {
// The id of the administrator running a command, or 403 for devices and tokens.
Result<std::int64_t> user_of(const Command& cmd) {
  if (cmd.actor.principal.kind != auth::PrincipalKind::user) {
    return fail(user_required());
  }
  return cmd.actor.principal.id;
}
} // namespace

Result<Answer> QueueService::sign_in(const Command& cmd, std::int64_t window_id) {
  VIKNO_TRY(user, user_of(cmd));
  return command(cmd, "sign_in", [&, user = user](Ctx& ctx) -> Result<Answer> {
    VIKNO_CHECK(load_meta(ctx.s, cmd.center_id, ctx.now)); // skills may have changed since
    auto w = ctx.s.windows.find(window_id);
    if (w == ctx.s.windows.end() || !w->second.active) {
      return fail(Error::invalid("unknown_window", "no such active window in this center",
                                 {{"window_id", "not a window of this center", 0}}));
    }
    auto st = ctx.s.staff.find(user);
    if (st == ctx.s.staff.end() || st->second.skills.empty()) {
      return fail(Error::conflict("no_skills", "you serve no service group in this center; ask the head of center"));
    }
    Skills skills;
    for (const auto& k : st->second.skills) {
      (k.level == registry::SkillLevel::primary ? skills.primary : skills.secondary).push_back(k.group_id);
    }
    VIKNO_TRY(a, ctx.s.engine.sign_in(user, st->second.name, window_id, w->second.number, std::move(skills), ctx.now));
    ctx.mutated = true;
    ctx.write([center_id = cmd.center_id, a](Connection& c) { store::save_administrator(c, center_id, a); });
    ctx.record("administrator_signed_in", nullptr, bj::object{{"user_id", user}, {"window_number", a.window_number}});
    return Answer{200, bj::serialize(bj::object{{"administrator", administrator_json(ctx.s, a, ctx.now)}})};
  });
}

// Pause, resume and sign-out: one engine step on the administrator, saved and recorded.
template <class Step>
Result<Answer> QueueService::administrator_step(const Command& cmd, const std::string& type, bj::object details,
                                                Step step) {
  VIKNO_TRY(user, user_of(cmd));
  details["user_id"] = user;
  return command(cmd, type, [&, user = user](Ctx& ctx) -> Result<Answer> {
    VIKNO_TRY(a, step(ctx.s.engine, user, ctx.now));
    ctx.mutated = true;
    ctx.write([center_id = cmd.center_id, a](Connection& c) { store::save_administrator(c, center_id, a); });
    ctx.record(type, nullptr, details);
    return Answer{200, bj::serialize(bj::object{{"administrator", administrator_json(ctx.s, a, ctx.now)}})};
  });
}

Result<Answer> QueueService::pause(const Command& cmd, const std::string& reason) {
  return administrator_step(cmd, "administrator_paused", bj::object{{"reason", reason}},
                            [&](CenterQueue& q, std::int64_t user, Millis now) { return q.pause(user, reason, now); });
}

Result<Answer> QueueService::resume(const Command& cmd) {
  return administrator_step(cmd, "administrator_resumed", {},
                            [](CenterQueue& q, std::int64_t user, Millis now) { return q.resume(user, now); });
}

Result<Answer> QueueService::sign_out(const Command& cmd) {
  return administrator_step(cmd, "administrator_signed_out", {},
                            [](CenterQueue& q, std::int64_t user, Millis now) { return q.sign_out(user, now); });
}

Result<Answer> QueueService::next(const Command& cmd) {
  VIKNO_TRY(user, user_of(cmd));
  return command(cmd, "next", [&, user = user](Ctx& ctx) -> Result<Answer> {
    VIKNO_TRY(called, ctx.s.engine.call_next(user, ctx.now));
    if (!called) {
      return Answer{200, bj::serialize(bj::object{{"ticket", nullptr}})}; // nothing eligible
    }
    ctx.mutated = true;
    ctx.save(*called);
    ctx.s.remember_call(*called);
    ctx.record("ticket_called", &*called,
               bj::object{{"number", called->number},
                          {"window_number", called->window_number},
                          {"rule", to_string(*called->rule)}},
               "waiting", "called");
    return Answer{200, bj::serialize(bj::object{{"ticket", ticket_json(ctx.s, *called, ctx.now)}})};
  });
}

Result<Answer> QueueService::recall(const Command& cmd, std::int64_t ticket_id) {
  VIKNO_TRY(user, user_of(cmd));
  return command(cmd, "recall", [&, user = user](Ctx& ctx) -> Result<Answer> {
    VIKNO_TRY(t, ctx.s.engine.recall(user, ticket_id, ctx.now));
    ctx.mutated = true;
    ctx.save(t);
    bool gone = t.state == TicketState::no_show;
    if (!gone) {
      Ticket shown = t;
      shown.called_at = ctx.now;
      ctx.s.remember_call(std::move(shown));
    }
    ctx.record(gone ? "ticket_no_show" : "ticket_recalled", &t,
               bj::object{{"number", t.number}, {"window_number", t.window_number}, {"recalls", t.recalls}}, "called",
               std::string(to_string(t.state)));
    return Answer{200, bj::serialize(bj::object{{"ticket", ticket_json(ctx.s, t, ctx.now)}})};
  });
}

// One engine step on a ticket, saved and recorded: the visit event `type` with the ticket's
// number and `details(ticket)`, the audit entry with the state before and after, the ticket in
// the answer.
template <class Step, class Details>
Result<Answer> QueueService::ticket_step(const Command& cmd, std::int64_t ticket_id, const std::string& type, Step step,
                                         Details details) {
  return command(cmd, type, [&](Ctx& ctx) -> Result<Answer> {
    const Ticket* open = ctx.s.engine.ticket(ticket_id);
    std::string before = open != nullptr ? std::string(to_string(open->state)) : std::string();
    VIKNO_TRY(t, step(ctx));
    ctx.mutated = true;
    ctx.save(t);
    bj::object recorded{{"number", t.number}};
    for (auto& [key, value] : details(t)) {
      recorded[key] = value;
    }
    ctx.record(type, &t, recorded, before, std::string(to_string(t.state)));
    return Answer{200, bj::serialize(bj::object{{"ticket", ticket_json(ctx.s, t, ctx.now)}})};
  });
}

namespace {
bj::object no_details(const Ticket& /*t*/) { return {}; }

Result<void> check_staff(const std::map<std::int64_t, registry::StaffSkills>& staff, std::optional<std::int64_t> user) {
  if (user && !staff.contains(*user)) {
    return fail(Error::invalid("unknown_administrator", "no such administrator in this center",
                               {{"to_user_id", "not staff of this center", 0}}));
  }
  return {};
}
} // namespace

Result<Answer> QueueService::start(const Command& cmd, std::int64_t ticket_id) {
  VIKNO_TRY(user, user_of(cmd));
  return ticket_step(
      cmd, ticket_id, "service_started",
      [&, user = user](Ctx& ctx) { return ctx.s.engine.start(user, ticket_id, ctx.now); }, no_details);
}

Result<Answer> QueueService::finish(const Command& cmd, std::int64_t ticket_id, Outcome outcome,
                                    std::optional<std::int64_t> service_id) {
  VIKNO_TRY(user, user_of(cmd));
  return ticket_step(
      cmd, ticket_id, "ticket_finished",
      [&, user = user](Ctx& ctx) -> Result<Ticket> {
        if (service_id) {
          bool offered = false;
          for (const auto& [gid, group] : ctx.s.groups) {
            offered =
                offered || std::find(group.services.begin(), group.services.end(), *service_id) != group.services.end();
          }
          if (!offered) {
            return fail(Error::invalid("unknown_service", "this service is not offered in this center",
                                       {{"service_id", "not offered here", 0}}));
          }
        }
        return ctx.s.engine.finish(user, ticket_id, outcome, service_id, ctx.now);
      },
      [&](const Ticket&) {
        return bj::object{{"outcome", to_string(outcome)}, {"service_id", opt_value(service_id)}};
      });
}

Result<Answer> QueueService::no_show(const Command& cmd, std::int64_t ticket_id) {
  VIKNO_TRY(user, user_of(cmd));
  return ticket_step(
      cmd, ticket_id, "ticket_no_show",
      [&, user = user](Ctx& ctx) { return ctx.s.engine.no_show(user, ticket_id, ctx.now); },
      [](const Ticket& t) {
        return bj::object{{"recalls", t.recalls}};
      });
}

Result<Answer> QueueService::transfer(const Command& cmd, std::int64_t ticket_id, std::int64_t to_group,
                                      std::optional<std::int64_t> to_user) {
  VIKNO_TRY(user, user_of(cmd));
  return ticket_step(
      cmd, ticket_id, "ticket_transferred",
      [&, user = user](Ctx& ctx) -> Result<Ticket> {
        VIKNO_CHECK(check_staff(ctx.s.staff, to_user));
        return ctx.s.engine.transfer(user, ticket_id, to_group, to_user, ctx.now);
      },
      [&](const Ticket&) {
        return bj::object{{"to_group_id", to_group}, {"to_user_id", opt_value(to_user)}};
      });
}

Result<Answer> QueueService::reassign(const Command& cmd, std::int64_t ticket_id, std::int64_t to_group,
                                      std::optional<std::int64_t> to_user) {
  return ticket_step(
      cmd, ticket_id, "ticket_reassigned",
      [&](Ctx& ctx) -> Result<Ticket> {
        VIKNO_CHECK(check_staff(ctx.s.staff, to_user));
        return ctx.s.engine.reassign(cmd.actor.principal.id, ticket_id, to_group, to_user, ctx.now);
      },
      [&](const Ticket&) {
        return bj::object{{"to_group_id", to_group}, {"to_user_id", opt_value(to_user)}};
      });
}

Result<Answer> QueueService::cancel(const Command& cmd, std::int64_t ticket_id, const std::string& reason) {
  return ticket_step(
      cmd, ticket_id, "ticket_cancelled",
      [&](Ctx& ctx) { return ctx.s.engine.cancel(ticket_id, reason.empty() ? "cancelled_by_staff" : reason, ctx.now); },
      [](const Ticket& t) {
        return bj::object{{"reason", t.close_reason}};
      });
}

Result<Answer> QueueService::close_day(const Command& cmd) {
  return command(cmd, "close_day", [&](Ctx& ctx) -> Result<Answer> {
    auto closed = ctx.s.engine.close_day(ctx.s.day, true, "center_closed", ctx.now);
    ctx.mutated = true;
    bj::object by_group;
    for (const auto& t : closed) {
      ctx.save(t);
      auto key = std::to_string(t.group_id);
      by_group[key] = (by_group.contains(key) ? by_group[key].as_int64() : 0) + 1;
    }
    ctx.record("day_closed", nullptr,
               bj::object{{"closed", closed.size()}, {"reason", "center_closed"}, {"by_group", by_group}});
    return Answer{200, bj::serialize(bj::object{{"closed", closed.size()}, {"by_group", by_group}})};
  });
}

Result<boost::json::object> QueueService::set_settings(const Command& cmd, const Settings& settings) {
  VIKNO_TRY(answer, command(cmd, "settings", [&](Ctx& ctx) -> Result<Answer> {
              ctx.write([center_id = cmd.center_id, settings](Connection& c) {
                store::save_settings(c, center_id, settings);
              });
              ctx.mutated = true;
              ctx.s.engine.set_settings(settings);
              ctx.record("settings_changed", nullptr,
                         bj::object{{"wait_limit_minutes", settings.wait_limit_ms / 60000},
                                    {"recalls_before_no_show", settings.recalls_before_no_show}});
              return Answer{200, ""};
            }));
  return this->settings(cmd.center_id);
}

// --- Reading --------------------------------------------------------------------------------------

bj::object QueueService::public_ticket_json(const CenterState& s, const Ticket& t, Millis now,
                                            const std::optional<Estimate>* known) const {
  bj::object o{{"number", t.number},
               {"state", to_string(t.state)},
               {"purpose", registry::to_string(t.purpose)},
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
  if (t.state == TicketState::waiting) {
    if (auto e = known != nullptr ? *known : s.engine.estimate(t.id, now)) {
      o["ahead"] = e->ahead;
      o["expected_wait_ms"] = opt_value(e->wait_ms);
    }
  }
  o["center"] = bj::object{{"name_uk", s.name_uk}, {"name_en", s.name_en}};
  return o;
}

bj::object QueueService::followed_ticket_json(CenterState& s, const Ticket& t, Millis now,
                                              const std::optional<Estimate>& estimate) const {
  s.sent[t.token] = CenterState::Outlook::of(t, estimate);
  return public_ticket_json(s, t, now, &estimate);
}

bj::object QueueService::ticket_json(const CenterState& s, const Ticket& t, Millis now) const {
  bj::object o = public_ticket_json(s, t, now);
  o["id"] = t.id;
  o["service_id"] = opt_value(t.service_id);
  o["source"] = to_string(t.source);
  o["booked_for"] = t.booked_for ? bj::value(format_iso8601(*t.booked_for)) : bj::value(nullptr);
  o["user_id"] = opt_value(t.user_id);
  o["target_user_id"] = opt_value(t.target_user);
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

bj::array QueueService::loads_json(const CenterState& s, Millis now) const {
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

bj::object QueueService::administrator_json(const CenterState& s, const Administrator& a, Millis now) const {
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
    purposes.push_back(bj::value(registry::to_string(p)));
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
  bj::array colleagues;
  for (const auto& [id, st] : s.staff) {
    if (id != user_id && !st.skills.empty()) {
      colleagues.push_back(bj::object{{"user_id", id}, {"name", st.name}});
    }
  }
  out["colleagues"] = std::move(colleagues);
  return out;
}

Result<boost::json::object> QueueService::state(std::int64_t center_id) {
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
                    {"waiting", std::move(waiting)}};
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

boost::json::object QueueService::display_json(const CenterState& s, std::int64_t center_id, Millis now) const {
  bj::array calls;
  for (const Ticket* t : s.engine.open_tickets()) {
    if (t->state == TicketState::called) {
      calls.push_back(bj::object{{"number", t->number},
                                 {"window_number", t->window_number},
                                 {"called_at", format_iso8601(t->called_at)},
                                 {"recalls", t->recalls}});
    }
  }
  // A recall is remembered as a call of its own: the list shows each ticket once, at its latest call.
  bj::array recent;
  for (const auto& t : s.recent_calls) {
    if (std::any_of(recent.begin(), recent.end(),
                    [&](const bj::value& r) { return r.as_object().at("number").as_string() == t.number; })) {
      continue;
    }
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

Result<std::shared_ptr<http::EventChannel>> QueueService::subscribe_center(std::int64_t center_id,
                                                                           std::optional<std::uint64_t> last_id) {
  CenterState& s = center(center_id);
  std::unique_lock lock(s.mutex); // no command changes the engine between the snapshot and the subscription
  VIKNO_CHECK(ready(s, center_id, lock));
  Millis now = clock_();
  std::string topic = center_topic(center_id);
  if (last_id && hub_.can_resume(topic, *last_id)) {
    return hub_.subscribe(topic, last_id);
  }
  // Too late to catch up exactly (or a first connection): the whole state, then changes. The
  // snapshot may show commands whose commit (and so whose events) is still to come: the
  // subscriber skips the events the snapshot already holds.
  bj::object snapshot = display_json(s, center_id, now);
  auto through = static_cast<std::uint64_t>(s.last_event_id);
  return hub_.subscribe(topic, std::nullopt, {http::Event{through, "snapshot", bj::serialize(snapshot)}}, through);
}

Result<std::shared_ptr<http::EventChannel>> QueueService::subscribe_ticket(const std::string& token) {
  VIKNO_TRY(state, track(token));
  std::string text = bj::serialize(state);
  return hub_.subscribe(ticket_topic(token), std::nullopt, {http::Event{0, "ticket", text}});
}

} // namespace vikno::queue
