#include <fmt/format.h>

#include <algorithm>

#include "auth/secrets.hpp"
#include "media/qr.hpp"
#include "queue/center_state.hpp"
#include "queue/service.hpp"
#include "queue/views.hpp"

namespace vikno::queue {

namespace bj = boost::json;
using storage::Connection;

namespace {
template <class T> bj::value opt_value(const std::optional<T>& v) { return v ? bj::value(*v) : bj::value(nullptr); }
Error user_required() { return Error::forbidden("only a staff member signed in as a user works at a window"); }
} // namespace

Result<Answer> QueueService::issue(const Command& cmd, const IssueRequest& request) {
  // The token and its QR code are made before the center's queue is taken (the QR is the slow part).
  const std::string token = auth::random_token();
  const std::string url = tracking_url(token);
  const auto qr = media::qr_svg(url);
  return command(cmd, [&](Ctx& ctx) -> Result<Answer> {
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
    t.id = ctx.ids.ticket();
    ctx.write([center_id = ctx.cmd.center_id, t](Connection& c) { store::insert_ticket(c, center_id, t); });
    ctx.s.engine.add(t);
    ctx.s.tokens[t.token] = t.id;
    {
      std::lock_guard lock(tokens_mutex_);
      token_centers_[t.token] = ctx.cmd.center_id;
    }
    ctx.record("ticket_issued", &t,
               bj::object{{"number", t.number}, {"source", to_string(t.source)}, {"purpose", to_string(t.purpose)}}, "",
               "waiting");
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
  return command(cmd, [&](Ctx& ctx) -> Result<Answer> {
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
  return command(cmd, [&, user = user](Ctx& ctx) -> Result<Answer> {
    VIKNO_CHECK(ctx.s.load_meta(registry_, cmd.center_id, ctx.now)); // skills may have changed since
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
  return command(cmd, [&, user = user](Ctx& ctx) -> Result<Answer> {
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
  return command(cmd, [&, user = user](Ctx& ctx) -> Result<Answer> {
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
  return command(cmd, [&, user = user](Ctx& ctx) -> Result<Answer> {
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
  return command(cmd, [&](Ctx& ctx) -> Result<Answer> {
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

// A transfer by name: only a colleague who works at a window of this center and serves the group.
Result<void> check_named(const CenterState& s, std::optional<std::int64_t> user, std::int64_t group_id) {
  if (!user || !s.groups.contains(group_id)) { // an unknown group is the engine's to refuse
    return {};
  }
  if (!s.works_at_window(*user)) {
    return fail(Error::invalid("unknown_administrator", "nobody with this id works at a window of this center",
                               {{"to_user_id", "not an administrator of this center", 0}}));
  }
  if (!s.serves(*user, group_id)) {
    return fail(Error::invalid("administrator_not_in_group", "this administrator does not serve the chosen group",
                               {{"to_user_id", "does not serve this group", 0}}));
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

namespace {
Result<void> check_service(const CenterState& s, std::optional<std::int64_t> service_id) {
  if (service_id && !s.offers(*service_id)) {
    return fail(Error::invalid("unknown_service", "this service is not offered in this center",
                               {{"service_id", "not offered here", 0}}));
  }
  return {};
}
} // namespace

Result<Answer> QueueService::finish(const Command& cmd, std::int64_t ticket_id, Outcome outcome,
                                    std::optional<std::int64_t> service_id) {
  VIKNO_TRY(user, user_of(cmd));
  return ticket_step(
      cmd, ticket_id, "ticket_finished",
      [&, user = user](Ctx& ctx) -> Result<Ticket> {
        VIKNO_CHECK(check_service(ctx.s, service_id));
        return ctx.s.engine.finish(user, ticket_id, outcome, service_id, ctx.now);
      },
      [&](const Ticket&) {
        return bj::object{{"outcome", to_string(outcome)}, {"service_id", opt_value(service_id)}};
      });
}

Result<Answer> QueueService::correct_outcome(const Command& cmd, std::int64_t ticket_id, Outcome outcome,
                                             std::optional<std::int64_t> service_id) {
  VIKNO_TRY(user, user_of(cmd));
  return command(cmd, [&, user = user](Ctx& ctx) -> Result<Answer> {
    VIKNO_CHECK(check_service(ctx.s, service_id));
    const Ticket* last = ctx.s.engine.correctable(user, ctx.now);
    const std::string from = last != nullptr && last->outcome ? std::string(to_string(*last->outcome)) : "";
    VIKNO_TRY(t, ctx.s.engine.correct_outcome(user, ticket_id, outcome, service_id, ctx.now));
    ctx.mutated = true;
    ctx.save(t);
    ctx.record("outcome_corrected", &t,
               bj::object{{"number", t.number},
                          {"from", from},
                          {"outcome", to_string(outcome)},
                          {"service_id", opt_value(t.service_id)}},
               from, std::string(to_string(outcome)));
    return Answer{200, bj::serialize(bj::object{{"ticket", ticket_json(ctx.s, t, ctx.now)}})};
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
        VIKNO_CHECK(check_named(ctx.s, to_user, to_group));
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
        VIKNO_CHECK(check_named(ctx.s, to_user, to_group));
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
  return command(cmd, [&](Ctx& ctx) -> Result<Answer> {
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
  VIKNO_TRY(answer, command(cmd, [&](Ctx& ctx) -> Result<Answer> {
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

} // namespace vikno::queue
