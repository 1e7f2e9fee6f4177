#include "queue/service.hpp"

#include <algorithm>

#include "common/log.hpp"
#include "common/url.hpp"
#include "queue/center_state.hpp"
#include "queue/views.hpp"

namespace vikno::queue {

namespace bj = boost::json;
using storage::Connection;

QueueService::QueueService(storage::Db& db, registry::Registry& registry, Clock clock, live::LiveHub& hub,
                           std::string public_url)
    : db_(db), registry_(registry), clock_(std::move(clock)), hub_(hub), public_url_(std::move(public_url)),
      ids_(std::make_unique<RowIds>()) {}

QueueService::~QueueService() = default;

CenterState& QueueService::center(std::int64_t center_id) {
  std::lock_guard lock(centers_mutex_);
  auto& slot = centers_[center_id];
  if (!slot) {
    slot = std::make_unique<CenterState>();
  }
  return *slot;
}

bool QueueService::tracking_unreachable(std::int64_t center_id) const {
  return is_loopback_url(public_url_) && has_kiosk_ && has_kiosk_(center_id);
}

std::string QueueService::tracking_url(const std::string& token) const { return public_url_ + "/t/" + token; }

void QueueService::kiosk_limited(const auth::Principal& device, std::int64_t center_id) {
  if (alerts_ == nullptr) {
    return;
  }
  alerts::Raise alert{
      .centers = {center_id},
      .code = "kiosk_rate_limited",
      .subject = device.actor(),
      .message_uk = "Термінал «" + device.login +
                    "» видає талони частіше, ніж дозволено: зайві запити відхилено. Перевірте термінал і його токен.",
      .message_en = "The kiosk \"" + device.login +
                    "\" is issuing tickets faster than allowed; the extra requests were refused. Check the kiosk "
                    "and its token.",
  };
  if (alerts_->raise(alert, clock_())) {
    log::warn("a kiosk issues tickets beyond its limit", {{"device", device.actor()}, {"center_id", center_id}});
  }
}

// --- Loading --------------------------------------------------------------------------------------

// Rebuilds the engine from the database, inside a write (its connection sees what the writes
// before it wrote, committed or not).
void QueueService::reload(CenterState& s, std::int64_t center_id, Connection& c, Millis now) {
  std::string today = registry::kyiv_date(now);
  auto snapshot = store::load_center(c, center_id, today);
  auto settings = store::load_settings(c, center_id);
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
  s.recent_calls.clear();
  for (auto it = snapshot.recent_calls.rbegin(); it != snapshot.recent_calls.rend(); ++it) {
    s.remember_call(*it); // oldest first, so a ticket called twice is listed once, at its latest call
  }
  s.day = today;
  s.sent.clear();
  s.leftovers_checked = false;
  s.last_event_id = store::last_event_id(c, center_id);
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
    VIKNO_CHECK(s.load_meta(registry_, center_id, now));
  }
  const bool ids_low = ids_->low();
  if (s.loaded && !ids_low) {
    return generation;
  }
  const bool loading = !s.loaded;
  auto [done, commit] = db_.write(intent, [&](Connection& c, storage::AfterCommit& after) {
    after.on_failure([&s] { s.mark_stale(); });
    ids_->refill(c, db_.dialect());
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
        VIKNO_CHECK(s.load_meta(registry_, center_id, now));
      }
      return {};
    }
    lock.unlock();
    auto system = auth::Principal::system();
    auth::Actor actor{system, ""};
    auto refreshed = command(Command{center_id, actor, ""}, [](Ctx&) -> Result<Answer> { return Answer{}; });
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
Result<Answer> QueueService::command(const Command& cmd, const CommandBody& fn) {
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
  Ctx ctx{s, *ids_, clock_(), cmd};
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

} // namespace vikno::queue
