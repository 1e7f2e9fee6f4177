#include "cases/routes.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

#include "cases/views.hpp"
#include "common/csv.hpp"
#include "documents/xlsx.hpp"
#include "http/rate_limit.hpp"

namespace vikno::cases {

namespace bj = boost::json;
using auth::Permission;
using http::Request;
using http::Response;
using http::RouteOptions;

namespace {

constexpr std::size_t kRegistrationBody = std::size_t{256} * 1024;
constexpr std::size_t kMoveBody = std::size_t{16} * 1024;
constexpr std::size_t kMaxIdempotencyKey = 128;
constexpr std::int64_t kMaxId = 1'000'000'000'000;

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

// A case id in a path: a UUID's 36 characters (anything else is simply not found).
Result<std::string> case_id(const Request& req) {
  const std::string& id = req.path_params.at("case_id");
  if (id.size() != 36) {
    return fail(Error::not_found("case_not_found", "no such case in this center"));
  }
  return id;
}

RouteOptions in_center(Permission p, std::optional<std::size_t> body = std::nullopt) {
  return RouteOptions{p, "center_id", body};
}

Response with_replay(Response r, bool replayed) {
  if (replayed) {
    r.headers.emplace_back("Idempotent-Replayed", "true");
  }
  return r;
}

Result<ListRequest> list_request(const Request& req) {
  ListRequest r;
  VIKNO_TRY(provider, req.optional_query_int("provider_id", 1, kMaxId));
  VIKNO_TRY(service, req.optional_query_int("service_id", 1, kMaxId));
  VIKNO_TRY(limit, req.query_int_or("limit", 50, 1, 200));
  VIKNO_TRY(offset, req.query_int_or("offset", 0, 0, 1'000'000));
  r.provider_id = provider;
  r.service_id = service;
  r.limit = static_cast<int>(limit);
  r.offset = static_cast<int>(offset);
  if (auto status = req.query_text("status"); status && !status->empty()) {
    r.status = status_from(*status);
    if (!r.status) {
      return fail(Error::field("status", "not a status of a case"));
    }
  }
  constexpr std::size_t kMaxQueryText = 64;
  for (auto [name, target] : {std::pair{"number", &r.number}, std::pair{"phone", &r.phone}, std::pair{"due", &r.due}}) {
    if (auto v = req.query_text(name)) {
      if (v->size() > kMaxQueryText) {
        return fail(Error::field(name, "too long"));
      }
      *target = std::string(*v);
    }
  }
  return r;
}

bj::object page_json(const store::Page& page, const Request& req, const CaseService& service) {
  bj::array out;
  for (const auto& k : page.cases) {
    out.push_back(case_json(k, service.allowed_moves(req.principal, k), service, false));
  }
  return {{"cases", std::move(out)}, {"total", page.total}};
}

Result<discipline::Options> report_options(const Request& req, const CaseService& service) {
  discipline::Options o;
  o.as_of = discipline::default_as_of(service.today());
  if (auto text = req.query_text("as_of"); text && !text->empty()) {
    VIKNO_TRY(day, calendar::parse_iso_date(*text, "as_of"));
    o.as_of = day;
  }
  constexpr std::int64_t kMaxWithin = 30;
  VIKNO_TRY(within, req.query_int_or("within", service.options().due_soon_days, 0, kMaxWithin));
  o.within = static_cast<int>(within);
  return o;
}

// The centers a regional report covers: ?center_ids=1,2,3 (each one the caller's), else all of hers.
Result<std::vector<std::int64_t>> report_centers(const Request& req, const CaseService& service) {
  const auth::Principal& p = req.principal;
  std::vector<std::int64_t> mine = p.role == auth::Role::system_admin ? service.all_centers() : p.centers;
  auto text = req.query_text("center_ids");
  if (!text || text->empty()) {
    return mine;
  }
  std::vector<std::int64_t> out;
  std::string_view rest = *text;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), id);
    if (ec != std::errc{} || end != item.data() + item.size() || id <= 0) {
      return fail(Error::field("center_ids", "a list of center ids: 1,2,3"));
    }
    if (std::find(mine.begin(), mine.end(), id) == mine.end()) {
      return fail(Error::forbidden("you do not read center " + std::to_string(id)));
    }
    out.push_back(id);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return out;
}

enum class ReportFormat { json, csv, xlsx };

Result<Response> report_answer(const discipline::Report& report, ReportFormat format) {
  const std::string name = "discipline-" + calendar::format_iso_date(report.as_of);
  if (format == ReportFormat::json) {
    return Response::json(discipline::to_json(report));
  }
  Response r;
  if (format == ReportFormat::csv) {
    r = Response::text(discipline::to_csv(report), "text/csv; charset=utf-8");
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
  } else {
    VIKNO_TRY(bytes, documents::render_xlsx(discipline::to_sheets(report)));
    r = Response::text(std::move(bytes), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + ".xlsx\"");
  }
  return r;
}

} // namespace

void add_case_routes(http::Router& router, CaseService& service) {
  router.add(
      "GET", "/api/v1/centers/{center_id}/cases/intake",
      [&service](Request& req) -> Result<Response> {
        VIKNO_TRY(center, req.id_param("center_id"));
        VIKNO_TRY(svc, req.optional_query_int("service_id", 1, kMaxId));
        VIKNO_TRY(situation, req.optional_query_int("life_situation_id", 1, kMaxId));
        VIKNO_TRY(intake, service.intake(center, svc, situation));
        return Response::json(intake_json(intake));
      },
      in_center(Permission::case_front_office));

  router.add(
      "POST", "/api/v1/centers/{center_id}/cases",
      [&service](Request& req) -> Result<Response> {
        VIKNO_TRY(center, req.id_param("center_id"));
        VIKNO_TRY(key, idempotency_key(req));
        VIKNO_TRY(body, req.json_body());
        VIKNO_TRY(registration, parse_registration(body));
        VIKNO_TRY(done, service.register_application(req.actor(), center, registration, key));
        bj::array cases;
        for (const auto& k : done.cases) {
          cases.push_back(case_json(k, service.allowed_moves(req.principal, k), service, true));
        }
        return with_replay(
            Response::json(bj::object{{"application_id", done.application_id}, {"cases", std::move(cases)}}, 201),
            done.replayed);
      },
      in_center(Permission::case_front_office, kRegistrationBody));

  router.add(
      "GET", "/api/v1/centers/{center_id}/cases",
      [&service](Request& req) -> Result<Response> {
        VIKNO_TRY(center, req.id_param("center_id"));
        VIKNO_TRY(r, list_request(req));
        VIKNO_TRY(page, service.list(req.actor(), center, r));
        return Response::json(page_json(page, req, service));
      },
      in_center(Permission::case_read));

  router.add(
      "GET", "/api/v1/centers/{center_id}/worklist",
      [&service](Request& req) -> Result<Response> {
        VIKNO_TRY(center, req.id_param("center_id"));
        VIKNO_TRY(r, list_request(req));
        r.worklist = true;
        VIKNO_TRY(page, service.list(req.actor(), center, r));
        bj::object out = page_json(page, req, service);
        out["provider_id"] = req.principal.provider ? bj::value(*req.principal.provider) : bj::value(nullptr);
        return Response::json(out);
      },
      in_center(Permission::case_provider));

  router.add(
      "GET", "/api/v1/centers/{center_id}/cases/{case_id}",
      [&service](Request& req) -> Result<Response> {
        VIKNO_TRY(center, req.id_param("center_id"));
        VIKNO_TRY(id, case_id(req));
        VIKNO_TRY(read, service.read(req.actor(), center, id, true));
        bj::object out = case_json(read.k, read.allowed, service, true);
        if (read.applicant) {
          out["applicant"] = applicant_json_view(*read.applicant);
        }
        return Response::json(out);
      },
      in_center(Permission::case_read));

  router.add(
      "POST", "/api/v1/centers/{center_id}/cases/{case_id}/moves",
      [&service](Request& req) -> Result<Response> {
        VIKNO_TRY(center, req.id_param("center_id"));
        VIKNO_TRY(id, case_id(req));
        VIKNO_TRY(key, idempotency_key(req));
        VIKNO_TRY(body, req.json_body());
        VIKNO_TRY(move, parse_move(body));
        VIKNO_TRY(done, service.move(req.actor(), center, id, move.version, move.request, key));
        return Response::json(case_json(done.k, done.allowed, service, true));
      },
      in_center(Permission::case_read, kMoveBody));

  router.add(
      "GET", "/api/v1/centers/{center_id}/cases/{case_id}/documents/{form}",
      [&service](Request& req) -> Result<Response> {
        VIKNO_TRY(center, req.id_param("center_id"));
        VIKNO_TRY(id, case_id(req));
        const std::string& name = req.path_params.at("form");
        std::optional<Form> form;
        if (name == "application.pdf") {
          form = Form::application;
        } else if (name == "receipt.pdf") {
          form = Form::receipt;
        } else if (name == "cover-letter.pdf") {
          form = Form::cover_letter;
        } else {
          return fail(Error::not_found("unknown_form", "the forms are application.pdf, receipt.pdf, cover-letter.pdf"));
        }
        VIKNO_TRY(pdf, service.print(req.actor(), center, id, *form));
        Response r = Response::text(std::move(pdf), "application/pdf");
        r.headers.emplace_back("Content-Disposition", "inline; filename=\"" + name + "\"");
        r.headers.emplace_back("Cache-Control", "no-store");
        return r;
      },
      in_center(Permission::case_read));

  router.add(
      "GET", "/api/v1/cases/refusal-grounds",
      [](Request&) -> Result<Response> { return Response::json(refusal_grounds_json()); },
      RouteOptions{Permission::signed_in});

  // The executive discipline report: one center, or the caller's centers (a region).
  for (auto [suffix_text, format_kind] : {std::pair{"", ReportFormat::json}, std::pair{".csv", ReportFormat::csv},
                                          std::pair{".xlsx", ReportFormat::xlsx}}) {
    const std::string suffix = suffix_text; // a lambda cannot capture a structured binding (clang 14)
    const ReportFormat format = format_kind;
    router.add(
        "GET", std::string("/api/v1/centers/{center_id}/reports/discipline") + suffix,
        [&service, format](Request& req) -> Result<Response> {
          VIKNO_TRY(center, req.id_param("center_id"));
          VIKNO_TRY(options, report_options(req, service));
          return report_answer(service.discipline_report({center}, options), format);
        },
        in_center(Permission::report_read));
    router.add(
        "GET", std::string("/api/v1/reports/discipline") + suffix,
        [&service, format](Request& req) -> Result<Response> {
          VIKNO_TRY(centers, report_centers(req, service));
          VIKNO_TRY(options, report_options(req, service));
          return report_answer(service.discipline_report(centers, options), format);
        },
        RouteOptions{Permission::report_read});
  }
  // The cases behind one count: numbers and dates, no personal data.
  router.add(
      "GET", "/api/v1/centers/{center_id}/reports/discipline/cases",
      [&service](Request& req) -> Result<Response> {
        VIKNO_TRY(center, req.id_param("center_id"));
        VIKNO_TRY(options, report_options(req, service));
        VIKNO_TRY(provider, req.query_int("provider_id", 1, kMaxId));
        VIKNO_TRY(svc, req.optional_query_int("service_id", 1, kMaxId));
        auto kind = discipline::kind_from(req.query_text("kind").value_or(""));
        if (!kind) {
          return fail(Error::field("kind", "in_work, due_soon, overdue, finished_on_time or finished_late"));
        }
        bj::array out;
        for (const auto& c : service.discipline_cases({center}, options, provider, svc, *kind)) {
          out.push_back(bj::object{{"id", c.id},
                                   {"number", c.number},
                                   {"status", c.status},
                                   {"registered_on", c.registered_on},
                                   {"due_on", c.due_on},
                                   {"decided_on", c.decided_on},
                                   {"days_overdue", c.days_overdue}});
        }
        return Response::json(bj::object{{"cases", std::move(out)}});
      },
      in_center(Permission::report_read));

  // The applicant's page: a random token, no sign-in, limited per address like ticket tracking.
  constexpr double kTrackBurst = 60;
  constexpr double kTrackPerSecond = 2;
  auto limiter = std::make_shared<http::RateLimiter>(kTrackBurst, kTrackPerSecond);
  router.add("GET", "/api/v1/track/cases/{token}", [&service, limiter](Request& req) -> Result<Response> {
    if (auto limited = http::throttle(*limiter, req, system_clock()(), "too many requests; wait a moment")) {
      return *limited;
    }
    VIKNO_TRY(t, service.track(req.path_params.at("token")));
    return Response::json(tracking_json(t, service));
  });
}

} // namespace vikno::cases
