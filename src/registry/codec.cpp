#include "registry/codec.hpp"

#include <cmath>

namespace vikno::registry {

namespace {

std::string at(std::string_view list, std::size_t i) { return std::string(list) + "[" + std::to_string(i) + "]"; }

// Reads fields of one object onto existing values, collecting problems with full paths.
class Reader {
public:
  Reader(const bj::object& obj, std::string prefix, Problems& out) : obj_(obj), prefix_(std::move(prefix)), out_(out) {}

  [[nodiscard]] std::string path(std::string_view f) const { return prefix_ + std::string(f); }
  [[nodiscard]] bool has(std::string_view f) const { return obj_.contains(f); }
  [[nodiscard]] const bj::value* find(std::string_view f) const {
    auto it = obj_.find(f);
    return it == obj_.end() ? nullptr : &it->value();
  }
  void problem(std::string_view f, std::string text) { out_.push_back({path(f), std::move(text), 0}); }

  void text(std::string_view f, std::string& target) {
    const bj::value* v = find(f);
    if (v == nullptr) {
      return;
    }
    if (v->is_null()) {
      target.clear();
    } else if (v->is_string()) {
      target = std::string(v->as_string());
    } else {
      problem(f, "must be a string");
    }
  }

  template <class Int> void integer(std::string_view f, Int& target) {
    const bj::value* v = find(f);
    if (v == nullptr) {
      return;
    }
    if (auto i = as_int(*v)) {
      target = static_cast<Int>(*i);
    } else {
      problem(f, "must be an integer");
    }
  }

  template <class Int> void opt_integer(std::string_view f, std::optional<Int>& target) {
    const bj::value* v = find(f);
    if (v == nullptr) {
      return;
    }
    if (v->is_null()) {
      target.reset();
    } else if (auto i = as_int(*v)) {
      target = static_cast<Int>(*i);
    } else {
      problem(f, "must be an integer");
    }
  }

  void opt_number(std::string_view f, std::optional<double>& target) {
    const bj::value* v = find(f);
    if (v == nullptr) {
      return;
    }
    if (v->is_null()) {
      target.reset();
    } else if (v->is_number()) {
      target = v->to_number<double>();
    } else {
      problem(f, "must be a number");
    }
  }

  void boolean(std::string_view f, bool& target) {
    const bj::value* v = find(f);
    if (v == nullptr) {
      return;
    }
    if (v->is_bool()) {
      target = v->as_bool();
    } else {
      problem(f, "must be true or false");
    }
  }

  template <class E, class From> void enumeration(std::string_view f, E& target, From from, std::string_view allowed) {
    const bj::value* v = find(f);
    if (v == nullptr) {
      return;
    }
    if (v->is_string()) {
      if (auto e = from(std::string_view(v->as_string()))) {
        target = *e;
        return;
      }
    }
    problem(f, "must be one of " + std::string(allowed));
  }

  void time_of_day(std::string_view f, MinuteOfDay& target) {
    const bj::value* v = find(f);
    if (v == nullptr) {
      problem(f, "is required");
      return;
    }
    if (v->is_string()) {
      if (auto m = parse_hhmm(std::string_view(v->as_string()))) {
        target = *m;
        return;
      }
    }
    problem(f, "must be a time HH:MM");
  }

  // nullptr when absent or null; a problem when not an array.
  const bj::array* array(std::string_view f) {
    const bj::value* v = find(f);
    if (v == nullptr || v->is_null()) {
      return nullptr;
    }
    if (!v->is_array()) {
      problem(f, "must be an array");
      return nullptr;
    }
    return &v->as_array();
  }

  const bj::object* object(std::string_view f) {
    const bj::value* v = find(f);
    if (v == nullptr || v->is_null()) {
      return nullptr;
    }
    if (!v->is_object()) {
      problem(f, "must be an object");
      return nullptr;
    }
    return &v->as_object();
  }

  // A reference by id (field `id_field`) or code (field `code_field`).
  void ref(std::string_view id_field, std::string_view code_field, Ref& target) {
    if (const bj::value* v = find(id_field); v != nullptr && !v->is_null()) {
      auto i = as_int(*v);
      if (!i || *i <= 0) {
        problem(id_field, "must be a positive integer id");
      } else {
        target = Ref{*i, {}};
      }
    } else if (const bj::value* c = find(code_field); c != nullptr && !c->is_null()) {
      if (!c->is_string() || c->as_string().empty()) {
        problem(code_field, "must be a code (a non-empty string)");
      } else {
        target = Ref{0, std::string(c->as_string())};
      }
    }
  }

  // A reader of a sub-object, its paths under "field.".
  [[nodiscard]] Reader nested(const bj::object& sub, std::string_view f) const {
    return Reader(sub, path(f) + ".", out_);
  }
  [[nodiscard]] Problems& sink() const { return out_; }

  static std::optional<std::int64_t> as_int(const bj::value& v) {
    if (v.is_int64()) {
      return v.as_int64();
    }
    if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
      return static_cast<std::int64_t>(v.as_uint64());
    }
    if (v.is_double() && std::nearbyint(v.as_double()) == v.as_double() && std::abs(v.as_double()) < 9e15) {
      return static_cast<std::int64_t>(v.as_double());
    }
    return std::nullopt;
  }

private:
  const bj::object& obj_;
  std::string prefix_;
  Problems& out_;
};

const bj::object* element_object(const bj::value& v, const std::string& path, Problems& out) {
  if (!v.is_object()) {
    out.push_back({path, "must be an object", 0});
    return nullptr;
  }
  return &v.as_object();
}

void read_term(Reader& r, std::string_view field, Term& term, bool* set_by_law) {
  const bj::value* v = r.find(field);
  if (v == nullptr) {
    return;
  }
  if (v->is_null()) {
    // The law names no term: at most 30 calendar days (Law 5203-VI, Art. 10).
    term = Term{};
    if (set_by_law != nullptr) {
      *set_by_law = false;
    }
    return;
  }
  const bj::object* obj = r.object(field);
  if (obj == nullptr) {
    return;
  }
  Reader t = r.nested(*obj, field);
  if (!t.has("days")) {
    t.problem("days", "is required");
  }
  if (!t.has("unit") || t.find("unit")->is_null()) {
    t.problem("unit", "is required: calendar_days or working_days");
  }
  t.integer("days", term.days);
  t.enumeration("unit", term.unit, term_unit_from, "calendar_days, working_days");
  if (set_by_law != nullptr) {
    *set_by_law = true;
    t.boolean("set_by_law", *set_by_law);
  }
}

bj::object term_json(const Term& t) { return {{"days", t.days}, {"unit", to_string(t.unit)}}; }

} // namespace

void read_center(const bj::object& obj, const std::string& prefix, CenterProfile& into, CenterRefs& refs,
                 Problems& out) {
  Reader r(obj, prefix, out);
  r.text("code", into.code);
  r.text("name_uk", into.name_uk);
  r.text("name_en", into.name_en);
  r.enumeration("kind", into.kind, center_kind_from, "center, branch, remote_workplace, mobile_office, mobile_case");
  if (r.has("parent_id") || r.has("parent")) {
    refs.parent_given = true;
    refs.parent = {};
    r.ref("parent_id", "parent", refs.parent);
  }
  r.enumeration("founding_body", into.founding_body, founding_body_from,
                "none, city_council, town_council, village_council, hromada_council, raion_administration");
  r.text("founding_body_name", into.founding_body_name);
  r.text("katottg", into.katottg);
  r.text("address", into.address);
  r.opt_number("latitude", into.latitude);
  r.opt_number("longitude", into.longitude);
  r.text("time_zone", into.time_zone);
  if (into.time_zone.empty()) {
    into.time_zone = "Europe/Kyiv";
  }
  r.opt_number("floor_area_m2", into.floor_area_m2);
  r.opt_integer("technical_condition", into.technical_condition);
  r.opt_integer("population_served", into.population_served);
  r.text("phone", into.phone);
  r.text("email", into.email);
  r.text("website", into.website);
  r.enumeration("status", into.status, center_status_from, "active, planned, suspended, closed");
  if (r.has("hours")) {
    into.hours.clear();
    if (const bj::array* hours = r.array("hours")) {
      for (std::size_t i = 0; i < hours->size(); ++i) {
        const std::string p = prefix + at("hours", i);
        if (const bj::object* h = element_object((*hours)[i], p, out)) {
          Reader hr(*h, p + ".", out);
          OpeningInterval interval;
          if (!hr.has("weekday")) {
            hr.problem("weekday", "is required");
          }
          hr.integer("weekday", interval.weekday);
          hr.time_of_day("opens", interval.opens);
          hr.time_of_day("closes", interval.closes);
          into.hours.push_back(interval);
        }
      }
    }
  }
  if (r.has("exceptions")) {
    into.exceptions.clear();
    if (const bj::array* exceptions = r.array("exceptions")) {
      for (std::size_t i = 0; i < exceptions->size(); ++i) {
        const std::string p = prefix + at("exceptions", i);
        if (const bj::object* e = element_object((*exceptions)[i], p, out)) {
          Reader er(*e, p + ".", out);
          HoursException ex;
          er.text("date", ex.day);
          er.boolean("closed", ex.closed);
          if (!ex.closed) {
            er.time_of_day("opens", ex.opens);
            er.time_of_day("closes", ex.closes);
          }
          er.text("reason", ex.reason);
          into.exceptions.push_back(std::move(ex));
        }
      }
    }
  }
}

std::vector<Window> read_windows(const bj::array& arr, const std::string& prefix, Problems& out) {
  std::vector<Window> windows;
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string p = prefix + at("windows", i);
    if (const bj::object* w = element_object(arr[i], p, out)) {
      Reader r(*w, p + ".", out);
      Window window;
      if (!r.has("number")) {
        r.problem("number", "is required");
      }
      r.integer("number", window.number);
      r.text("label", window.label);
      r.boolean("active", window.active);
      windows.push_back(std::move(window));
    }
  }
  return windows;
}

void read_provider(const bj::object& obj, const std::string& prefix, ProviderData& into, Problems& out) {
  Reader r(obj, prefix, out);
  r.text("code", into.code);
  r.text("name_uk", into.name_uk);
  r.text("name_en", into.name_en);
  r.enumeration("kind", into.kind, provider_kind_from, "city_department, state_body, registrar, utility, other");
  r.text("address", into.address);
  r.text("phone", into.phone);
  r.text("email", into.email);
  r.text("website", into.website);
}

void read_group(const bj::object& obj, const std::string& prefix, GroupData& into, Problems& out) {
  Reader r(obj, prefix, out);
  r.text("code", into.code);
  r.text("name_uk", into.name_uk);
  r.text("name_en", into.name_en);
  r.text("ticket_letter", into.ticket_letter);
  r.integer("sort_order", into.sort_order);
}

void read_card(const bj::object& obj, const std::string& prefix, ServiceCard& into, CardRefs& refs, Problems& out) {
  Reader r(obj, prefix, out);
  r.ref("group_id", "group", refs.group);
  r.ref("provider_id", "provider", refs.provider);
  r.text("title_uk", into.title_uk);
  r.text("title_en", into.title_en);
  r.text("description", into.description);
  r.text("result", into.result);
  r.text("result_delivery", into.result_delivery);
  if (const bj::value* fee = r.find("fee"); fee != nullptr) {
    if (fee->is_null()) {
      into.fee_kopiykas = 0;
      into.payment_details.clear();
    } else if (const bj::object* f = r.object("fee")) {
      Reader fr = r.nested(*f, "fee");
      fr.integer("kopiykas", into.fee_kopiykas);
      fr.text("payment_details", into.payment_details);
    }
  }
  read_term(r, "term", into.term, &into.term_set_by_law);
  r.integer("typical_minutes", into.typical_minutes);
  r.text("keywords", into.keywords);
  if (const bj::object* rules = r.object("case_rules")) {
    Reader cr = r.nested(*rules, "case_rules");
    cr.boolean("clock_stops_when_suspended", into.clock_stops_when_suspended);
    cr.integer("storage_days", into.storage_days);
  }
  if (r.has("documents")) {
    into.documents.clear();
    if (const bj::array* docs = r.array("documents")) {
      for (std::size_t i = 0; i < docs->size(); ++i) {
        const std::string p = prefix + at("documents", i);
        const bj::value& v = (*docs)[i];
        if (v.is_string()) {
          into.documents.push_back({std::string(v.as_string()), {}});
        } else if (const bj::object* d = element_object(v, p, out)) {
          Reader dr(*d, p + ".", out);
          RequiredDocument doc;
          dr.text("name", doc.name);
          dr.text("note", doc.note);
          into.documents.push_back(std::move(doc));
        }
      }
    }
  }
  if (r.has("legal_basis")) {
    into.legal_basis.clear();
    if (const bj::array* acts = r.array("legal_basis")) {
      for (std::size_t i = 0; i < acts->size(); ++i) {
        const std::string p = prefix + at("legal_basis", i);
        const bj::value& v = (*acts)[i];
        if (v.is_string()) {
          into.legal_basis.push_back({std::string(v.as_string()), {}});
        } else if (const bj::object* a = element_object(v, p, out)) {
          Reader ar(*a, p + ".", out);
          LegalAct act;
          ar.text("title", act.title);
          ar.text("url", act.url);
          into.legal_basis.push_back(std::move(act));
        }
      }
    }
  }
  if (r.has("channels")) {
    into.channels.clear();
    if (const bj::array* channels = r.array("channels")) {
      for (std::size_t i = 0; i < channels->size(); ++i) {
        const std::string p = prefix + at("channels", i);
        const bj::value& v = (*channels)[i];
        ChannelInfo info;
        if (v.is_string()) {
          if (auto c = channel_from(std::string_view(v.as_string()))) {
            info.channel = *c;
            into.channels.push_back(info);
          } else {
            out.push_back({p, "must be one of in_person, online, mail", 0});
          }
        } else if (const bj::object* c = element_object(v, p, out)) {
          Reader cr(*c, p + ".", out);
          if (!cr.has("channel")) {
            cr.problem("channel", "is required");
          }
          cr.enumeration("channel", info.channel, channel_from, "in_person, online, mail");
          cr.text("note", info.note);
          into.channels.push_back(std::move(info));
        }
      }
    }
  }
  if (r.has("purposes")) {
    into.purposes.clear();
    if (const bj::array* purposes = r.array("purposes")) {
      for (std::size_t i = 0; i < purposes->size(); ++i) {
        const bj::value& v = (*purposes)[i];
        std::optional<Purpose> purpose;
        if (v.is_string()) {
          purpose = purpose_from(std::string_view(v.as_string()));
        }
        if (purpose) {
          into.purposes.push_back(*purpose);
        } else {
          out.push_back(
              {prefix + at("purposes", i), "must be one of consultation, submit_documents, receive_result", 0});
        }
      }
    }
  }
  if (r.has("stages")) {
    into.stages.clear();
    if (const bj::array* stages = r.array("stages")) {
      for (std::size_t i = 0; i < stages->size(); ++i) {
        const std::string p = prefix + at("stages", i);
        if (const bj::object* s = element_object((*stages)[i], p, out)) {
          Reader sr(*s, p + ".", out);
          Stage stage;
          sr.text("name", stage.name);
          sr.text("responsible", stage.responsible);
          read_term(sr, "term", stage.term, nullptr);
          into.stages.push_back(std::move(stage));
        }
      }
    }
  }
}

std::vector<Ref> read_refs(const bj::array& arr, const std::string& prefix, Problems& out) {
  std::vector<Ref> refs;
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const bj::value& v = arr[i];
    if (auto id = Reader::as_int(v); id && *id > 0) {
      refs.push_back({*id, {}});
    } else if (v.is_string() && !v.as_string().empty()) {
      refs.push_back({0, std::string(v.as_string())});
    } else {
      out.push_back({prefix + "[" + std::to_string(i) + "]", "must be an id or an identifier", 0});
    }
  }
  return refs;
}

void read_life_situation(const bj::object& obj, const std::string& prefix, LifeSituationData& into,
                         std::vector<Ref>& services, bool& services_given, Problems& out) {
  Reader r(obj, prefix, out);
  r.text("code", into.code);
  r.text("name_uk", into.name_uk);
  r.text("name_en", into.name_en);
  r.text("description", into.description);
  services_given = r.has("services");
  if (const bj::array* list = r.array("services")) {
    services = read_refs(*list, prefix + "services", out);
  }
}

std::vector<SkillRef> read_skills(const bj::array& arr, const std::string& prefix, Problems& out) {
  std::vector<SkillRef> skills;
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string p = prefix + at("skills", i);
    if (const bj::object* s = element_object(arr[i], p, out)) {
      Reader r(*s, p + ".", out);
      SkillRef skill;
      r.ref("group_id", "group", skill.group);
      if (skill.group.empty()) {
        r.problem("group_id", "is required");
      }
      r.enumeration("level", skill.level, skill_level_from, "primary, secondary");
      skills.push_back(std::move(skill));
    }
  }
  return skills;
}

std::optional<std::int64_t> read_version(const bj::object& obj, Problems& out) {
  Reader r(obj, "", out);
  std::optional<std::int64_t> version;
  if (!r.has("version")) {
    r.problem("version", "is required: send the version you read, so a concurrent change is not overwritten");
    return version;
  }
  r.opt_integer("version", version);
  return version;
}

bj::object to_json(const Term& t) { return term_json(t); }

bj::object to_json(const CenterProfile& c) {
  bj::object o{{"code", c.code.empty() ? bj::value(nullptr) : bj::value(c.code)},
               {"name_uk", c.name_uk},
               {"name_en", c.name_en},
               {"kind", to_string(c.kind)},
               {"parent_id", c.parent_id ? bj::value(*c.parent_id) : bj::value(nullptr)},
               {"founding_body", to_string(c.founding_body)},
               {"founding_body_name", c.founding_body_name},
               {"katottg", c.katottg.empty() ? bj::value(nullptr) : bj::value(c.katottg)},
               {"address", c.address},
               {"latitude", c.latitude ? bj::value(*c.latitude) : bj::value(nullptr)},
               {"longitude", c.longitude ? bj::value(*c.longitude) : bj::value(nullptr)},
               {"time_zone", c.time_zone},
               {"floor_area_m2", c.floor_area_m2 ? bj::value(*c.floor_area_m2) : bj::value(nullptr)},
               {"technical_condition", c.technical_condition ? bj::value(*c.technical_condition) : bj::value(nullptr)},
               {"population_served", c.population_served ? bj::value(*c.population_served) : bj::value(nullptr)},
               {"phone", c.phone},
               {"email", c.email},
               {"website", c.website},
               {"status", to_string(c.status)}};
  bj::array hours;
  for (const auto& h : c.hours) {
    hours.push_back(
        bj::object{{"weekday", h.weekday}, {"opens", format_hhmm(h.opens)}, {"closes", format_hhmm(h.closes)}});
  }
  o["hours"] = std::move(hours);
  bj::array exceptions;
  for (const auto& e : c.exceptions) {
    bj::object x{{"date", e.day}, {"closed", e.closed}, {"reason", e.reason}};
    if (!e.closed) {
      x["opens"] = format_hhmm(e.opens);
      x["closes"] = format_hhmm(e.closes);
    }
    exceptions.push_back(std::move(x));
  }
  o["exceptions"] = std::move(exceptions);
  return o;
}

bj::object to_json(const Window& w) {
  return {{"id", w.id}, {"number", w.number}, {"label", w.label}, {"active", w.active}, {"version", w.version}};
}

bj::object to_json(const Center& c) {
  bj::object o = to_json(c.profile);
  o["id"] = c.id;
  o["version"] = c.version;
  bj::array windows;
  for (const auto& w : c.windows) {
    windows.push_back(to_json(w));
  }
  o["windows"] = std::move(windows);
  bj::array services;
  for (auto id : c.service_ids) {
    services.push_back(id);
  }
  o["service_ids"] = std::move(services);
  return o;
}

bj::object to_json(const Provider& p) {
  return {{"id", p.id},
          {"version", p.version},
          {"code", p.data.code},
          {"name_uk", p.data.name_uk},
          {"name_en", p.data.name_en},
          {"kind", to_string(p.data.kind)},
          {"address", p.data.address},
          {"phone", p.data.phone},
          {"email", p.data.email},
          {"website", p.data.website}};
}

bj::object to_json(const ServiceGroup& g) {
  return {{"id", g.id},
          {"version", g.version},
          {"code", g.data.code},
          {"name_uk", g.data.name_uk},
          {"name_en", g.data.name_en},
          {"ticket_letter", g.data.ticket_letter},
          {"sort_order", g.data.sort_order}};
}

bj::object to_json(const ServiceCard& card) {
  bj::object o{{"group_id", card.group_id},
               {"provider_id", card.provider_id},
               {"title_uk", card.title_uk},
               {"title_en", card.title_en},
               {"description", card.description},
               {"result", card.result},
               {"result_delivery", card.result_delivery},
               {"fee", bj::object{{"kopiykas", card.fee_kopiykas},
                                  {"free", card.fee_kopiykas == 0},
                                  {"payment_details", card.payment_details}}},
               {"typical_minutes", card.typical_minutes},
               {"keywords", card.keywords},
               {"case_rules", bj::object{{"clock_stops_when_suspended", card.clock_stops_when_suspended},
                                         {"storage_days", card.storage_days}}}};
  bj::object term = term_json(card.term);
  term["set_by_law"] = card.term_set_by_law;
  o["term"] = std::move(term);
  bj::array docs;
  for (const auto& d : card.documents) {
    docs.push_back(bj::object{{"name", d.name}, {"note", d.note}});
  }
  o["documents"] = std::move(docs);
  bj::array acts;
  for (const auto& a : card.legal_basis) {
    acts.push_back(bj::object{{"title", a.title}, {"url", a.url}});
  }
  o["legal_basis"] = std::move(acts);
  bj::array channels;
  for (const auto& c : card.channels) {
    channels.push_back(bj::object{{"channel", to_string(c.channel)}, {"note", c.note}});
  }
  o["channels"] = std::move(channels);
  bj::array purposes;
  for (auto p : card.purposes) {
    purposes.push_back(bj::string(to_string(p)));
  }
  o["purposes"] = std::move(purposes);
  bj::array stages;
  for (const auto& s : card.stages) {
    stages.push_back(bj::object{{"name", s.name}, {"responsible", s.responsible}, {"term", term_json(s.term)}});
  }
  o["stages"] = std::move(stages);
  return o;
}

bj::object to_json(const Service& s) {
  bj::object o = to_json(s.current.card);
  o["id"] = s.id;
  o["identifier"] = s.identifier;
  o["version"] = s.version;
  o["version_id"] = s.current.id;
  o["version_seq"] = s.current.seq;
  o["effective_from"] = s.current.effective_from;
  return o;
}

bj::object to_json(const LifeSituation& s) {
  bj::array services;
  for (auto id : s.data.service_ids) {
    services.push_back(id);
  }
  return {{"id", s.id},
          {"version", s.version},
          {"code", s.data.code},
          {"name_uk", s.data.name_uk},
          {"name_en", s.data.name_en},
          {"description", s.data.description},
          {"service_ids", std::move(services)}};
}

bj::object to_json(const StaffSkills& s) {
  bj::array skills;
  for (const auto& k : s.skills) {
    skills.push_back(bj::object{{"group_id", k.group_id}, {"level", to_string(k.level)}});
  }
  return {{"user_id", s.user_id}, {"login", s.login},     {"name", s.name},
          {"role", s.role},       {"version", s.version}, {"skills", std::move(skills)}};
}

bj::object to_json(const SearchPage& page) {
  bj::array items;
  for (const auto& h : page.items) {
    items.push_back(bj::object{{"id", h.service_id},
                               {"identifier", h.identifier},
                               {"title_uk", h.title_uk},
                               {"title_en", h.title_en},
                               {"group_id", h.group_id},
                               {"provider_id", h.provider_id},
                               {"fee", bj::object{{"kopiykas", h.fee_kopiykas}, {"free", h.fee_kopiykas == 0}}},
                               {"term", term_json(h.term)}});
  }
  return {{"items", std::move(items)}, {"total", page.total}, {"page", page.page}, {"per_page", page.per_page}};
}

} // namespace vikno::registry
