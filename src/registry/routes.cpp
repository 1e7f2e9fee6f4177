#include "registry/routes.hpp"

#include <boost/json.hpp>

#include <limits>
#include <memory>

#include "common/json.hpp"
#include "registry/exchange.hpp"

namespace vikno::registry {

namespace bj = boost::json;
using auth::Permission;
using http::Request;
using http::Response;
using http::RouteOptions;

namespace {

// The catalog of the whole network (providers, groups, services, life situations) is shared by
// every center, so only a system admin edits it; users_manage is the system admin's permission.
constexpr Permission kNetworkManage = Permission::users_manage;

constexpr std::int64_t kMaxId = std::numeric_limits<std::int64_t>::max();

Result<std::int64_t> required_version(const bj::object& body) {
  Problems problems;
  auto v = read_version(body, problems);
  VIKNO_CHECK(to_result(std::move(problems)));
  if (!v) {
    return fail(Error::field("version", "is required"));
  }
  return *v;
}

Result<std::string> optional_text(const bj::object& body, std::string_view field) {
  VIKNO_TRY(v, json::optional_string(body, field));
  return v.value_or("");
}

template <class T> bj::array array_of(const std::vector<T>& items) {
  bj::array out;
  for (const auto& i : items) {
    out.push_back(to_json(i));
  }
  return out;
}

// The public view of an access point: no staff, only what a visitor needs.
bj::object public_center(const Center& c) {
  bj::object o = to_json(c);
  bj::array windows;
  for (const auto& w : c.windows) {
    if (w.active) {
      windows.push_back(bj::object{{"number", w.number}, {"label", w.label}});
    }
  }
  o["windows"] = std::move(windows);
  return o;
}

} // namespace

void add_registry_routes(http::Router& router, Registry& registry, RouteLimits limits) {
  auto limiter = std::make_shared<http::RateLimiter>(limits.search_burst, limits.search_per_second);

  // --- public catalog ------------------------------------------------------------------------

  router.add("GET", "/api/v1/catalog/services", [&registry, limiter](Request& req) -> Result<Response> {
    if (auto limited =
            http::throttle(*limiter, req, system_clock()(), "too many searches from this address; wait a moment")) {
      return *limited;
    }
    SearchQuery q;
    if (auto text = req.query_text("q")) {
      if (text->size() > 200) {
        return fail(Error::field("q", "must be at most 200 characters"));
      }
      q.text = *text;
    }
    VIKNO_TRY(center, req.optional_query_int("center_id", 1, kMaxId));
    VIKNO_TRY(group, req.optional_query_int("group_id", 1, kMaxId));
    VIKNO_TRY(situation, req.optional_query_int("life_situation_id", 1, kMaxId));
    VIKNO_TRY(page, req.query_int_or("page", q.page, 1, 100000));
    VIKNO_TRY(per_page, req.query_int_or("per_page", q.per_page, 1, 100));
    q.center_id = center;
    q.group_id = group;
    q.life_situation_id = situation;
    q.page = static_cast<int>(page);
    q.per_page = static_cast<int>(per_page);
    return Response::json(to_json(registry.search(q)));
  });

  router.add("GET", "/api/v1/catalog/services/{service_id}", [&registry](Request& req) -> Result<Response> {
    VIKNO_TRY(id, req.id_param("service_id"));
    std::string date;
    if (auto text = req.query_text("date")) {
      date = *text;
      VIKNO_CHECK(calendar::parse_iso_date(date, "date"));
    }
    VIKNO_TRY(service, registry.get_service(id, date));
    return Response::json(to_json(service));
  });

  router.add("GET", "/api/v1/catalog/groups", [&registry](Request&) -> Result<Response> {
    return Response::json(bj::object{{"groups", array_of(registry.list_groups())}});
  });
  router.add("GET", "/api/v1/catalog/providers", [&registry](Request&) -> Result<Response> {
    return Response::json(bj::object{{"providers", array_of(registry.list_providers())}});
  });
  router.add("GET", "/api/v1/catalog/life-situations", [&registry](Request&) -> Result<Response> {
    return Response::json(bj::object{{"life_situations", array_of(registry.list_life_situations())}});
  });
  router.add("GET", "/api/v1/catalog/centers", [&registry](Request&) -> Result<Response> {
    bj::array out;
    for (const auto& c : registry.list_centers()) {
      if (c.profile.status != CenterStatus::closed) {
        out.push_back(public_center(c));
      }
    }
    return Response::json(bj::object{{"centers", std::move(out)}});
  });
  router.add("GET", "/api/v1/catalog/centers/{center_id}", [&registry](Request& req) -> Result<Response> {
    VIKNO_TRY(id, req.id_param("center_id"));
    VIKNO_TRY(center, registry.get_center(id));
    return Response::json(public_center(center));
  });

  // --- a center head's own center ------------------------------------------------------------

  router.add(
      "PATCH", "/api/v1/centers/{center_id}",
      [&registry](Request& req) -> Result<Response> {
        VIKNO_TRY(id, req.id_param("center_id"));
        VIKNO_TRY(body, req.json_body());
        VIKNO_TRY(version, required_version(body));
        VIKNO_TRY(current, registry.get_center(id));
        CenterProfile profile = current.profile;
        CenterRefs refs;
        Problems problems;
        read_center(body, "", profile, refs, problems);
        VIKNO_CHECK(to_result(std::move(problems)));
        VIKNO_TRY(center, registry.update_center(req.actor(), id, version, profile, refs));
        return Response::json(to_json(center));
      },
      RouteOptions{.permission = Permission::center_manage, .center_param = "center_id"});

  router.add(
      "PUT", "/api/v1/centers/{center_id}/windows",
      [&registry](Request& req) -> Result<Response> {
        VIKNO_TRY(id, req.id_param("center_id"));
        VIKNO_TRY(body, req.json_body());
        VIKNO_TRY(version, required_version(body));
        VIKNO_TRY(list, json::optional_array(body, "windows"));
        if (list == nullptr) {
          return fail(Error::field("windows", "is required"));
        }
        Problems problems;
        auto windows = read_windows(*list, "", problems);
        VIKNO_CHECK(to_result(std::move(problems)));
        VIKNO_TRY(center, registry.set_windows(req.actor(), id, version, windows));
        return Response::json(to_json(center));
      },
      RouteOptions{.permission = Permission::center_manage, .center_param = "center_id"});

  router.add(
      "PUT", "/api/v1/centers/{center_id}/services",
      [&registry](Request& req) -> Result<Response> {
        VIKNO_TRY(id, req.id_param("center_id"));
        VIKNO_TRY(body, req.json_body());
        VIKNO_TRY(version, required_version(body));
        VIKNO_TRY(list, json::optional_array(body, "services"));
        if (list == nullptr) {
          return fail(Error::field("services", "is required"));
        }
        Problems problems;
        auto refs = read_refs(*list, "services", problems);
        VIKNO_CHECK(to_result(std::move(problems)));
        VIKNO_TRY(center, registry.set_center_services(req.actor(), id, version, refs));
        return Response::json(to_json(center));
      },
      RouteOptions{.permission = Permission::center_manage, .center_param = "center_id"});

  router.add(
      "GET", "/api/v1/centers/{center_id}/skills",
      [&registry](Request& req) -> Result<Response> {
        VIKNO_TRY(id, req.id_param("center_id"));
        return Response::json(bj::object{{"staff", array_of(registry.staff_skills(id))}});
      },
      RouteOptions{.permission = Permission::center_read, .center_param = "center_id"});

  router.add(
      "PUT", "/api/v1/centers/{center_id}/staff/{user_id}/skills",
      [&registry](Request& req) -> Result<Response> {
        VIKNO_TRY(center, req.id_param("center_id"));
        VIKNO_TRY(user, req.id_param("user_id"));
        VIKNO_TRY(body, req.json_body());
        VIKNO_TRY(version, required_version(body));
        VIKNO_TRY(list, json::optional_array(body, "skills"));
        if (list == nullptr) {
          return fail(Error::field("skills", "is required"));
        }
        Problems problems;
        auto skills = read_skills(*list, "", problems);
        VIKNO_CHECK(to_result(std::move(problems)));
        VIKNO_TRY(staff, registry.set_skills(req.actor(), center, user, version, skills));
        return Response::json(to_json(staff));
      },
      RouteOptions{.permission = Permission::center_manage, .center_param = "center_id"});

  // --- the network's catalog (system admin) --------------------------------------------------

  router.add(
      "POST", "/api/v1/registry/centers",
      [&registry](Request& req) -> Result<Response> {
        VIKNO_TRY(body, req.json_body());
        CenterProfile profile;
        CenterRefs refs;
        Problems problems;
        read_center(body, "", profile, refs, problems);
        VIKNO_CHECK(to_result(std::move(problems)));
        VIKNO_TRY(center, registry.create_center(req.actor(), profile, refs));
        return Response::json(to_json(center), 201);
      },
      RouteOptions{.permission = kNetworkManage});

  router.add(
      "POST", "/api/v1/registry/providers",
      [&registry](Request& req) -> Result<Response> {
        VIKNO_TRY(body, req.json_body());
        ProviderData data;
        Problems problems;
        read_provider(body, "", data, problems);
        VIKNO_CHECK(to_result(std::move(problems)));
        VIKNO_TRY(provider, registry.create_provider(req.actor(), data));
        return Response::json(to_json(provider), 201);
      },
      RouteOptions{.permission = kNetworkManage});

  router.add(
      "PATCH", "/api/v1/registry/providers/{provider_id}",
      [&registry](Request& req) -> Result<Response> {
        VIKNO_TRY(id, req.id_param("provider_id"));
        VIKNO_TRY(body, req.json_body());
        VIKNO_TRY(version, required_version(body));
        VIKNO_TRY(current, registry.get_provider(id));
        Problems problems;
        read_provider(body, "", current.data, problems);
        VIKNO_CHECK(to_result(std::move(problems)));
        VIKNO_TRY(provider, registry.update_provider(req.actor(), id, version, current.data));
        return Response::json(to_json(provider));
      },
      RouteOptions{.permission = kNetworkManage});

  router.add(
      "POST", "/api/v1/registry/groups",
      [&registry](Request& req) -> Result<Response> {
        VIKNO_TRY(body, req.json_body());
        GroupData data;
        Problems problems;
        read_group(body, "", data, problems);
        VIKNO_CHECK(to_result(std::move(problems)));
        VIKNO_TRY(group, registry.create_group(req.actor(), data));
        return Response::json(to_json(group), 201);
      },
      RouteOptions{.permission = kNetworkManage});

  router.add(
      "PATCH", "/api/v1/registry/groups/{group_id}",
      [&registry](Request& req) -> Result<Response> {
        VIKNO_TRY(id, req.id_param("group_id"));
        VIKNO_TRY(body, req.json_body());
        VIKNO_TRY(version, required_version(body));
        VIKNO_TRY(current, registry.get_group(id));
        Problems problems;
        read_group(body, "", current.data, problems);
        VIKNO_CHECK(to_result(std::move(problems)));
        VIKNO_TRY(group, registry.update_group(req.actor(), id, version, current.data));
        return Response::json(to_json(group));
      },
      RouteOptions{.permission = kNetworkManage});

  router.add(
      "POST", "/api/v1/registry/services",
      [&registry](Request& req) -> Result<Response> {
        VIKNO_TRY(body, req.json_body());
        VIKNO_TRY(identifier, optional_text(body, "identifier"));
        VIKNO_TRY(effective_from, optional_text(body, "effective_from"));
        ServiceCard card;
        CardRefs refs;
        Problems problems;
        read_card(body, "", card, refs, problems);
        if (refs.group.empty() && !body.contains("group_id") && !body.contains("group")) {
          problems.push_back({"group_id", "is required", 0});
        }
        if (refs.provider.empty() && !body.contains("provider_id") && !body.contains("provider")) {
          problems.push_back({"provider_id", "is required", 0});
        }
        VIKNO_CHECK(to_result(std::move(problems)));
        VIKNO_TRY(service, registry.create_service(req.actor(), identifier, effective_from, card, refs));
        return Response::json(to_json(service), 201);
      },
      RouteOptions{.permission = kNetworkManage, .body_limit = 256 * 1024});

  router.add(
      "PATCH", "/api/v1/registry/services/{service_id}",
      [&registry](Request& req) -> Result<Response> {
        VIKNO_TRY(id, req.id_param("service_id"));
        VIKNO_TRY(body, req.json_body());
        VIKNO_TRY(version, required_version(body));
        VIKNO_TRY(effective_from, optional_text(body, "effective_from"));
        VIKNO_TRY(current, registry.latest_service(id));
        ServiceCard card = current.current.card;
        CardRefs refs;
        Problems problems;
        read_card(body, "", card, refs, problems);
        VIKNO_CHECK(to_result(std::move(problems)));
        VIKNO_TRY(service, registry.update_service(req.actor(), id, version, effective_from, card, refs));
        return Response::json(to_json(service));
      },
      RouteOptions{.permission = kNetworkManage, .body_limit = 256 * 1024});

  router.add(
      "GET", "/api/v1/registry/services/{service_id}/versions",
      [&registry](Request& req) -> Result<Response> {
        VIKNO_TRY(id, req.id_param("service_id"));
        VIKNO_CHECK(registry.latest_service(id));
        bj::array out;
        for (const auto& v : registry.service_versions(id)) {
          out.push_back(bj::object{{"version_id", v.id},
                                   {"seq", v.seq},
                                   {"effective_from", v.effective_from},
                                   {"created_at", format_iso8601(v.created_at)},
                                   {"created_by", v.created_by}});
        }
        return Response::json(bj::object{{"versions", std::move(out)}});
      },
      RouteOptions{.permission = Permission::signed_in});

  router.add(
      "GET", "/api/v1/registry/service-versions/{version_id}",
      [&registry](Request& req) -> Result<Response> {
        VIKNO_TRY(id, req.id_param("version_id"));
        VIKNO_TRY(service, registry.service_version(id));
        return Response::json(to_json(service));
      },
      RouteOptions{.permission = Permission::signed_in});

  router.add(
      "POST", "/api/v1/registry/life-situations",
      [&registry](Request& req) -> Result<Response> {
        VIKNO_TRY(body, req.json_body());
        LifeSituationData data;
        std::vector<Ref> services;
        bool given = false;
        Problems problems;
        read_life_situation(body, "", data, services, given, problems);
        VIKNO_CHECK(to_result(std::move(problems)));
        VIKNO_TRY(situation, registry.create_life_situation(req.actor(), data, services));
        return Response::json(to_json(situation), 201);
      },
      RouteOptions{.permission = kNetworkManage});

  router.add(
      "PATCH", "/api/v1/registry/life-situations/{life_situation_id}",
      [&registry](Request& req) -> Result<Response> {
        VIKNO_TRY(id, req.id_param("life_situation_id"));
        VIKNO_TRY(body, req.json_body());
        VIKNO_TRY(version, required_version(body));
        VIKNO_TRY(current, registry.get_life_situation(id));
        std::vector<Ref> services;
        bool given = false;
        Problems problems;
        read_life_situation(body, "", current.data, services, given, problems);
        VIKNO_CHECK(to_result(std::move(problems)));
        VIKNO_TRY(situation,
                  registry.update_life_situation(req.actor(), id, version, current.data, given ? &services : nullptr));
        return Response::json(to_json(situation));
      },
      RouteOptions{.permission = kNetworkManage});

  // --- import and export ---------------------------------------------------------------------

  router.add(
      "POST", "/api/v1/registry/import",
      [&registry](Request& req) -> Result<Response> {
        std::string format(req.query_text("format").value_or("json"));
        Result<ImportReport> report = fail(Error::field("format", "must be json or csv"));
        if (format == "json") {
          report = import_json(registry, req.actor(), req.body);
        } else if (format == "csv") {
          std::string table(req.query_text("table").value_or(""));
          if (table != "services" && table != "centers") {
            return fail(Error::field("table", "must be services or centers"));
          }
          report =
              import_csv(registry, req.actor(), table == "services" ? CsvTable::services : CsvTable::centers, req.body);
        }
        if (!report) {
          return fail(report.error());
        }
        return Response::json(
            bj::object{{"created", report->created}, {"updated", report->updated}, {"unchanged", report->unchanged}});
      },
      RouteOptions{.permission = kNetworkManage, .body_limit = 16 * 1024 * 1024});

  router.add(
      "GET", "/api/v1/registry/export",
      [&registry](Request& req) -> Result<Response> {
        std::string format(req.query_text("format").value_or("json"));
        if (format == "json") {
          return Response::json(export_json(registry));
        }
        if (format != "csv") {
          return fail(Error::field("format", "must be json or csv"));
        }
        std::string table(req.query_text("table").value_or(""));
        if (table != "services" && table != "centers") {
          return fail(Error::field("table", "must be services or centers"));
        }
        return Response::text(export_csv(registry, table == "services" ? CsvTable::services : CsvTable::centers),
                              "text/csv; charset=utf-8");
      },
      RouteOptions{.permission = Permission::signed_in});

  router.add("GET", "/api/v1/catalog/cpsv", [&registry](Request& req) -> Result<Response> {
    std::string host(req.header("host").value_or("localhost"));
    // The Host header only names the @id base; it is not trusted for anything else.
    if (host.find_first_of("\"<> \\") != std::string::npos) {
      host = "localhost";
    }
    Response r = Response::json(export_cpsv(registry, "http://" + host));
    r.content_type = "application/ld+json";
    return r;
  });
}

} // namespace vikno::registry
