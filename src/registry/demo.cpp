#include "registry/demo.hpp"

#include <boost/json.hpp>

#include "registry/exchange.hpp"

namespace vikno::registry {

namespace bj = boost::json;

namespace {

std::string str(const bj::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

} // namespace

Result<DemoSummary> load_demo(Registry& registry, auth::Accounts& accounts) {
  boost::system::error_code ec;
  bj::value doc = bj::parse(demo_json(), ec);
  if (ec || !doc.is_object()) {
    return fail(Error{ErrorKind::internal, "demo_broken", "the embedded demo data is not valid JSON", {}});
  }
  const bj::object& bundle = doc.as_object();
  auth::Principal system = auth::Principal::system();
  Actor actor{system, "demo"};
  VIKNO_CHECK(import_bundle(registry, actor, bundle));

  DemoSummary summary;
  summary.services = static_cast<int>(bundle.at("services").as_array().size());
  summary.centers = static_cast<int>(bundle.at("centers").as_array().size());
  for (const auto& v : bundle.at("staff").as_array()) {
    const bj::object& s = v.as_object();
    auth::NewUser user;
    user.login = str(s, "login");
    user.name = str(s, "name");
    user.role = auth::role_from_string(str(s, "role")).value_or(auth::Role::administrator);
    user.password = std::string(kDemoPassword);
    if (const auto* provider = s.if_contains("provider"); provider && provider->is_string()) {
      user.provider_id = registry.id_by_code(RecordKind::provider, std::string(provider->as_string()));
    }
    std::vector<std::int64_t> centers;
    for (const auto& c : s.at("centers").as_array()) {
      if (auto id = registry.id_by_code(RecordKind::center, std::string(c.as_string()))) {
        centers.push_back(*id);
      }
    }
    user.centers = centers;
    auto created = accounts.create_user(actor, user);
    if (!created) {
      if (created.error().code == "login_taken") {
        continue; // loaded before: the demo does not overwrite accounts
      }
      return fail(created.error());
    }
    std::vector<SkillRef> skills;
    for (const auto& k : s.at("skills").as_array()) {
      const bj::object& ko = k.as_object();
      skills.push_back({Ref{0, str(ko, "group")}, skill_level_from(str(ko, "level")).value_or(SkillLevel::primary)});
    }
    if (!skills.empty()) {
      for (auto center : centers) {
        VIKNO_CHECK(registry.set_skills(actor, center, created->user.id, 1, skills));
      }
    }
    const auto& codes = s.at("centers").as_array();
    summary.staff.push_back({user.login, user.name, str(s, "role"),
                             codes.empty() ? std::string() : std::string(codes.front().as_string())});
  }
  for (const auto& v : bundle.at("devices").as_array()) {
    const bj::object& d = v.as_object();
    auto center = registry.id_by_code(RecordKind::center, str(d, "center"));
    auto purpose = auth::device_purpose_from_string(str(d, "purpose"));
    if (!center || !purpose) {
      continue;
    }
    VIKNO_TRY(device, accounts.create_device(actor, *center, *purpose, str(d, "label")));
    summary.devices.push_back({str(d, "center"), str(d, "purpose"), str(d, "label"), device.token});
  }
  return summary;
}

std::string describe_demo(const DemoSummary& summary, const std::string& base_url) {
  std::string out;
  out += "\n  Демонстраційні дані завантажено / Demo data loaded: " + std::to_string(summary.centers) +
         " access points, " + std::to_string(summary.services) + " services.\n";
  if (!summary.staff.empty()) {
    out += "  Працівники (пароль для всіх) / staff (password for all): " + std::string(kDemoPassword) + "\n";
    for (const auto& s : summary.staff) {
      out += "    " + s.login + std::string(s.login.size() < 22 ? 22 - s.login.size() : 1, ' ') + s.role +
             std::string(s.role.size() < 19 ? 19 - s.role.size() : 1, ' ') + s.name + " (" + s.center + ")\n";
    }
  }
  if (!summary.devices.empty()) {
    out += "  Пристрої / devices (the links are shown once):\n";
    for (const auto& d : summary.devices) {
      out += "    " + d.center + " " + d.purpose + " \"" + d.label + "\": " + base_url + "/" + d.purpose +
             "?device=" + d.token + "\n";
    }
  }
  out += "\n";
  return out;
}

} // namespace vikno::registry
