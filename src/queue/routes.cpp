#include "queue/routes.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <limits>

#include "common/json.hpp"
#include "http/rate_limit.hpp"

namespace vikno::queue {

namespace bj = boost::json;
using auth::Permission;
using http::Request;
using http::Response;
using http::RouteOptions;

namespace {

constexpr std::size_t kCommandBody = 4096;
constexpr std::size_t kMaxIdempotencyKey = 128;

Result<std::string> idempotency_key(const Request& req) {
  auto key = req.header("idempotency-key");
  if (!key) {
    return std::string();
  }
  if (key->empty() || key->size() > kMaxIdempotencyKey) {
    return fail(
        Error::invalid("invalid_idempotency_key", "Idempotency-Key must be 1 to 128 characters (a UUID, for example)"));
  }
  return std::string(*key);
}

Result<Command> command_of(const Request& req, const auth::Actor& actor) {
  VIKNO_TRY(center, req.id_param("center_id"));
  VIKNO_TRY(key, idempotency_key(req));
  return Command{center, actor, std::move(key), /*answer_later=*/true};
}

Response answer(const Answer& a) {
  Response r;
  r.status = a.status;
  r.body = a.body;
  if (a.replayed) {
    r.headers.emplace_back("Idempotent-Replayed", "true");
  }
  r.after = a.committed; // sent once the command's rows are committed
  return r;
}

// A body that may be empty ({} assumed): commands like "next" carry nothing.
Result<bj::object> optional_body(const Request& req) {
  if (req.body.empty()) {
    return bj::object{};
  }
  return req.json_body();
}

Result<std::optional<std::int64_t>> optional_id(const bj::object& body, std::string_view field) {
  VIKNO_TRY(v, json::optional_int(body, field));
  if (v && *v <= 0) {
    return fail(Error::field(std::string(field), "must be a positive integer"));
  }
  return v;
}

Result<IssueRequest> issue_request(const Request& req, Source source) {
  VIKNO_TRY(body, req.json_body());
  IssueRequest r;
  r.source = source;
  VIKNO_TRY(group, json::required_int(body, "group_id"));
  r.group_id = group;
  VIKNO_TRY(purpose, json::optional_string(body, "purpose"));
  if (purpose) {
    auto p = purpose_from(*purpose);
    if (!p) {
      return fail(Error::invalid("unknown_purpose", "purpose is consultation, submit_documents or receive_result",
                                 {{"purpose", "unknown purpose", 0}}));
    }
    r.purpose = *p;
  }
  VIKNO_TRY(service, optional_id(body, "service_id"));
  r.service_id = service;
  VIKNO_TRY(priority, json::optional_string(body, "priority"));
  r.priority = priority.value_or("");
  return r;
}

// Where a reconnecting subscriber resumes. Browsers' EventSource sends the Last-Event-ID header
// (one that is not a number only means "start from a snapshot"); WebSocket clients, which cannot
// send headers, ?last_event_id= (a bad one is 400 like any query parameter).
Result<std::optional<std::uint64_t>> last_event_id(const Request& req) {
  if (auto h = req.header("last-event-id")) {
    std::uint64_t id = 0;
    auto [end, ec] = std::from_chars(h->data(), h->data() + h->size(), id);
    if (h->empty() || ec != std::errc{} || end != h->data() + h->size()) {
      return std::optional<std::uint64_t>{};
    }
    return std::optional<std::uint64_t>(id);
  }
  VIKNO_TRY(id, req.optional_query_int("last_event_id", 0, std::numeric_limits<std::int64_t>::max()));
  if (!id) {
    return std::optional<std::uint64_t>{};
  }
  return std::optional<std::uint64_t>(static_cast<std::uint64_t>(*id));
}

Result<Settings> settings_from(const bj::object& body) {
  Settings s;
  std::vector<FieldProblem> problems;
  VIKNO_TRY(limit, json::required_int(body, "wait_limit_minutes"));
  if (limit < 1 || limit > 600) {
    problems.push_back({"wait_limit_minutes", "must be between 1 and 600", 0});
  }
  s.wait_limit_ms = limit * 60 * 1000;
  VIKNO_TRY(recalls, json::required_int(body, "recalls_before_no_show"));
  if (recalls < 0 || recalls > 10) {
    problems.push_back({"recalls_before_no_show", "must be between 0 and 10", 0});
  }
  s.recalls_before_no_show = static_cast<int>(recalls);
  VIKNO_TRY(categories, json::optional_array(body, "priority_categories"));
  if (categories != nullptr) {
    s.priority_categories.clear();
    for (std::size_t i = 0; i < categories->size(); ++i) {
      const auto& c = (*categories)[i];
      std::string field = "priority_categories[" + std::to_string(i) + "]";
      if (!c.is_string() || c.as_string().empty() || c.as_string().size() > 64) {
        problems.push_back({field, "must be a code of 1 to 64 characters", 0});
        continue;
      }
      std::string code(c.as_string());
      if (std::find(s.priority_categories.begin(), s.priority_categories.end(), code) != s.priority_categories.end()) {
        problems.push_back({field, "is listed twice", 0});
      }
      s.priority_categories.push_back(code);
    }
  }
  if (!problems.empty()) {
    return fail(Error::invalid("invalid_settings", "the queue settings are not valid", std::move(problems)));
  }
  return s;
}

} // namespace

void add_queue_routes(http::Router& router, QueueService& service, media::Announcer& announcer,
                      KioskLimit kiosk_limit) {
  const std::string center = "/api/v1/centers/{center_id}/queue";
  const RouteOptions kiosk{.permission = Permission::kiosk, .center_param = "center_id", .body_limit = kCommandBody};
  const RouteOptions operate{
      .permission = Permission::queue_operate, .center_param = "center_id", .body_limit = kCommandBody};
  const RouteOptions manage{
      .permission = Permission::center_manage, .center_param = "center_id", .body_limit = kCommandBody};
  const RouteOptions read{.permission = Permission::center_read, .center_param = "center_id"};
  const RouteOptions watch{.permission = Permission::queue_watch, .center_param = "center_id"};
  const RouteOptions display{.permission = Permission::display, .center_param = "center_id"};

  // Reads of one center's queue: the service method answers for the center in the path.
  auto reader = [&](const std::string& path, const RouteOptions& options,
                    Result<bj::object> (QueueService::*method)(std::int64_t)) {
    router.add(
        "GET", center + path,
        [&service, method](Request& req) -> Result<Response> {
          VIKNO_TRY(id, req.id_param("center_id"));
          VIKNO_TRY(out, (service.*method)(id));
          return Response::json(out);
        },
        options);
  };
  // Commands without a body.
  auto simple = [&](const std::string& path, const RouteOptions& options,
                    Result<Answer> (QueueService::*method)(const Command&)) {
    router.add(
        "POST", center + path,
        [&service, method](Request& req) -> Result<Response> {
          auto actor = req.actor();
          VIKNO_TRY(cmd, command_of(req, actor));
          VIKNO_TRY(a, (service.*method)(cmd));
          return answer(a);
        },
        options);
  };

  // --- Public --------------------------------------------------------------------------------------
  const RouteOptions everyone{};
  reader("/menu", everyone, &QueueService::menu);
  reader("/load", everyone, &QueueService::load);
  router.add("GET", "/api/v1/queue/load", [&service](Request&) -> Result<Response> {
    return Response::json(bj::object{{"centers", service.load_all()}});
  });
  // Tracking tokens are public: a per-address limit keeps anyone from guessing them at speed.
  auto limiter = std::make_shared<http::RateLimiter>(120, 4);
  const std::string slow_down = "too many ticket lookups from this address; wait a moment";
  router.add("GET", "/api/v1/queue/tickets/{token}", [&service, limiter, slow_down](Request& req) -> Result<Response> {
    if (auto limited = http::throttle(*limiter, req, system_clock()(), slow_down)) {
      return *limited;
    }
    VIKNO_TRY(state, service.track(req.path_params.at("token")));
    return Response::json(bj::object{{"ticket", state}});
  });
  router.add("DELETE", "/api/v1/queue/tickets/{token}",
             [&service, limiter, slow_down](Request& req) -> Result<Response> {
               if (auto limited = http::throttle(*limiter, req, system_clock()(), slow_down)) {
                 return *limited;
               }
               VIKNO_TRY(a, service.cancel_by_token(req.actor(), req.path_params.at("token")));
               return answer(a);
             });
  router.add("GET", "/api/v1/queue/tickets/{token}/events",
             [&service, limiter, slow_down](Request& req) -> Result<Response> {
               if (auto limited = http::throttle(*limiter, req, system_clock()(), slow_down)) {
                 return *limited;
               }
               VIKNO_TRY(channel, service.subscribe_ticket(req.path_params.at("token")));
               return Response::event_stream(std::move(channel));
             });

  // --- Kiosk ---------------------------------------------------------------------------------------
  // A ticket from the kiosk, or from an administrator for a visitor at the desk. A device's issues
  // are limited per device (a leaked token must not flood the queue); staff at a desk are not.
  auto per_device = std::make_shared<http::RateLimiter>(static_cast<double>(kiosk_limit.burst),
                                                        static_cast<double>(kiosk_limit.per_minute) / 60.0);
  auto issue_from = [&service, per_device](Source source) {
    return [&service, per_device, source](Request& req) -> Result<Response> {
      auto actor = req.actor();
      VIKNO_TRY(cmd, command_of(req, actor));
      if (req.principal.kind == auth::PrincipalKind::device) {
        if (auto limited = http::throttle(*per_device, req.principal.actor(), system_clock()(),
                                          "this kiosk issues tickets faster than allowed; wait a minute (Зачекайте "
                                          "хвилинку)")) {
          service.kiosk_limited(req.principal, cmd.center_id);
          return std::move(*limited);
        }
      }
      VIKNO_TRY(request, issue_request(req, source));
      VIKNO_TRY(a, service.issue(cmd, request));
      return answer(a);
    };
  };
  router.add("POST", center + "/tickets", issue_from(Source::kiosk), kiosk);

  // --- Administrator at a window -------------------------------------------------------------------
  router.add(
      "GET", center + "/desk",
      [&service](Request& req) -> Result<Response> {
        VIKNO_TRY(id, req.id_param("center_id"));
        VIKNO_TRY(desk, service.desk(id, req.principal.id));
        return Response::json(desk);
      },
      operate);
  router.add("POST", center + "/desk/tickets", issue_from(Source::desk), operate);
  router.add(
      "POST", center + "/desk/sign-in",
      [&service](Request& req) -> Result<Response> {
        auto actor = req.actor();
        VIKNO_TRY(cmd, command_of(req, actor));
        VIKNO_TRY(body, req.json_body());
        VIKNO_TRY(window, json::required_int(body, "window_id"));
        VIKNO_TRY(a, service.sign_in(cmd, window));
        return answer(a);
      },
      operate);
  router.add(
      "POST", center + "/desk/pause",
      [&service](Request& req) -> Result<Response> {
        auto actor = req.actor();
        VIKNO_TRY(cmd, command_of(req, actor));
        VIKNO_TRY(body, optional_body(req));
        VIKNO_TRY(reason, json::optional_string(body, "reason"));
        VIKNO_TRY(a, service.pause(cmd, reason.value_or("")));
        return answer(a);
      },
      operate);
  simple("/desk/resume", operate, &QueueService::resume);
  simple("/desk/sign-out", operate, &QueueService::sign_out);
  simple("/desk/next", operate, &QueueService::next);

  // A command on one ticket: the id from the path; `call(cmd, ticket, req)` reads the body, if any,
  // and runs the use case.
  auto on_ticket = [&](const std::string& path, const RouteOptions& options, auto call) {
    router.add(
        "POST", center + "/tickets/{ticket_id}" + path,
        [&service, call](Request& req) -> Result<Response> {
          auto actor = req.actor();
          VIKNO_TRY(cmd, command_of(req, actor));
          VIKNO_TRY(ticket, req.id_param("ticket_id"));
          VIKNO_TRY(a, call(service, cmd, ticket, req));
          return answer(a);
        },
        options);
  };
  // Recall, start, no-show: no body.
  auto bare = [](Result<Answer> (QueueService::*method)(const Command&, std::int64_t)) {
    return [method](QueueService& queue, const Command& cmd, std::int64_t ticket, Request&) {
      return (queue.*method)(cmd, ticket);
    };
  };
  on_ticket("/recall", operate, bare(&QueueService::recall));
  on_ticket("/start", operate, bare(&QueueService::start));
  on_ticket("/no-show", operate, bare(&QueueService::no_show));
  // The finish of a visit, and the correction of its outcome shortly after: {outcome, service_id}.
  auto with_outcome =
      [](Result<Answer> (QueueService::*method)(const Command&, std::int64_t, Outcome, std::optional<std::int64_t>)) {
        return [method](QueueService& queue, const Command& cmd, std::int64_t ticket, Request& req) -> Result<Answer> {
          VIKNO_TRY(body, req.json_body());
          VIKNO_TRY(outcome_text, json::required_string(body, "outcome"));
          auto outcome = outcome_from(outcome_text);
          if (!outcome) {
            return fail(Error::invalid("unknown_outcome",
                                       "outcome is consultation_given, application_registered, result_issued, refused "
                                       "or other",
                                       {{"outcome", "unknown outcome", 0}}));
          }
          VIKNO_TRY(service_id, optional_id(body, "service_id"));
          return (queue.*method)(cmd, ticket, *outcome, service_id);
        };
      };
  on_ticket("/finish", operate, with_outcome(&QueueService::finish));
  on_ticket("/outcome", operate, with_outcome(&QueueService::correct_outcome));
  // To a group, and optionally a colleague by name: {to_group_id, to_user_id}.
  auto moving = [](Result<Answer> (QueueService::*method)(const Command&, std::int64_t, std::int64_t,
                                                          std::optional<std::int64_t>)) {
    return [method](QueueService& queue, const Command& cmd, std::int64_t ticket, Request& req) -> Result<Answer> {
      VIKNO_TRY(body, req.json_body());
      VIKNO_TRY(group, json::required_int(body, "to_group_id"));
      VIKNO_TRY(user, optional_id(body, "to_user_id"));
      return (queue.*method)(cmd, ticket, group, user);
    };
  };
  on_ticket("/transfer", operate, moving(&QueueService::transfer));
  on_ticket("/reassign", manage, moving(&QueueService::reassign));
  on_ticket("/cancel", operate,
            [](QueueService& queue, const Command& cmd, std::int64_t ticket, Request& req) -> Result<Answer> {
              VIKNO_TRY(body, optional_body(req));
              VIKNO_TRY(reason, json::optional_string(body, "reason"));
              return queue.cancel(cmd, ticket, reason.value_or(""));
            });

  // --- Head of center ------------------------------------------------------------------------------
  reader("/state", read, &QueueService::state);
  router.add(
      "GET", center + "/tickets/{ticket_id}",
      [&service](Request& req) -> Result<Response> {
        VIKNO_TRY(id, req.id_param("center_id"));
        VIKNO_TRY(ticket, req.id_param("ticket_id"));
        VIKNO_TRY(visit, service.visit(id, ticket));
        return Response::json(visit);
      },
      read);
  simple("/close-day", manage, &QueueService::close_day);
  reader("/settings", read, &QueueService::settings);
  router.add(
      "PUT", center + "/settings",
      [&service](Request& req) -> Result<Response> {
        auto actor = req.actor();
        VIKNO_TRY(cmd, command_of(req, actor));
        VIKNO_TRY(body, req.json_body());
        VIKNO_TRY(settings, settings_from(body));
        VIKNO_TRY(out, service.set_settings(cmd, settings));
        return Response::json(out);
      },
      manage);

  // --- Display board and live events ---------------------------------------------------------------
  reader("/display", display, &QueueService::display);
  router.add(
      "GET", center + "/events",
      [&service](Request& req) -> Result<Response> {
        VIKNO_TRY(id, req.id_param("center_id"));
        VIKNO_TRY(resume, last_event_id(req));
        VIKNO_TRY(channel, service.subscribe_center(id, resume));
        return Response::event_stream(std::move(channel));
      },
      watch);
  router.add(
      "GET", center + "/announcement",
      [&announcer](Request& req) -> Result<Response> {
        auto number = req.query_text("number");
        if (!number || number->empty() || number->size() > 16) {
          return fail(Error::field("number", "a ticket number such as А-015 is required"));
        }
        VIKNO_TRY(window, req.query_int("window", 1, 999));
        VIKNO_TRY(wav, announcer.wav(media::call_phrase(*number, static_cast<int>(window))));
        Response r = Response::text(*wav, "audio/wav");
        r.headers.emplace_back("Cache-Control", "private, max-age=86400");
        return r;
      },
      watch);
}

} // namespace vikno::queue
