// JSON <-> registry model. Reading merges onto a given record (absent field: keep; null: clear),
// so one reader serves creation (onto defaults), partial updates (onto the current record) and
// imports; every type mistake becomes a problem naming its field path. References to other
// records come as ids ("provider_id": 3) or outside codes ("provider": "dmsu"), kept apart in
// *Refs for the service to resolve. Pure: no IO.
#pragma once

#include <boost/json.hpp>

#include <string>
#include <vector>

#include "registry/model.hpp"
#include "registry/validation.hpp"

namespace vikno::registry {

namespace bj = boost::json;

// A reference to another record, by id or by its outside code (at most one is set).
struct Ref {
  std::int64_t id = 0;
  std::string code;
  [[nodiscard]] bool empty() const { return id == 0 && code.empty(); }
};

struct CenterRefs {
  Ref parent;
  bool parent_given = false;
};

struct CardRefs {
  Ref group;
  Ref provider;
};

void read_center(const bj::object& obj, const std::string& prefix, CenterProfile& into, CenterRefs& refs,
                 Problems& out);
std::vector<Window> read_windows(const bj::array& arr, const std::string& prefix, Problems& out);
void read_provider(const bj::object& obj, const std::string& prefix, ProviderData& into, Problems& out);
void read_group(const bj::object& obj, const std::string& prefix, GroupData& into, Problems& out);
void read_card(const bj::object& obj, const std::string& prefix, ServiceCard& into, CardRefs& refs, Problems& out);
// "services": [3, "uuid-or-identifier", ...]
std::vector<Ref> read_refs(const bj::array& arr, const std::string& prefix, Problems& out);
void read_life_situation(const bj::object& obj, const std::string& prefix, LifeSituationData& into,
                         std::vector<Ref>& services, bool& services_given, Problems& out);
struct SkillRef {
  Ref group;
  SkillLevel level = SkillLevel::primary;
};
std::vector<SkillRef> read_skills(const bj::array& arr, const std::string& prefix, Problems& out);

// Optional fields read by routes: a "version" number (required for updates) and a date.
std::optional<std::int64_t> read_version(const bj::object& obj, Problems& out);

bj::object to_json(const CenterProfile& c);
bj::object to_json(const Center& c);
bj::object to_json(const Window& w);
bj::object to_json(const Provider& p);
bj::object to_json(const ServiceGroup& g);
bj::object to_json(const ServiceCard& card);
bj::object to_json(const Service& s);
bj::object to_json(const LifeSituation& s);
bj::object to_json(const StaffSkills& s);
bj::object to_json(const SearchPage& page);
bj::object to_json(const Term& t);

} // namespace vikno::registry
