#include "registry/exchange.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "common/csv.hpp"
#include "common/problems.hpp"
#include "registry/codec.hpp"
#include "registry/validation.hpp"

namespace vikno::registry {

namespace bj = boost::json;

namespace {

// Where a record came from, for problems: its JSON path and, for CSV, its line.
struct Located {
  const bj::object* obj = nullptr;
  std::string path; // "services[3]."
  int line = 0;
};

using Lines = std::map<std::string, std::vector<int>, std::less<>>;

void locate(Problems& problems, std::size_t from, const Located& at) {
  for (std::size_t i = from; i < problems.size(); ++i) {
    problems[i].line = at.line;
    if (at.line > 0 && problems[i].field.starts_with(at.path)) {
      // In a CSV file the line says which record; the field is then the column path.
      problems[i].field = problems[i].field.substr(at.path.size());
    }
  }
}

// Re-labels an error from a use case with where its record came from.
Error located(Error error, const Located& at) {
  if (error.problems.empty() && error.kind != ErrorKind::internal) {
    error.problems.push_back({"", error.message, 0});
  }
  for (auto& p : error.problems) {
    p.field = (at.line > 0 ? "" : at.path) + p.field;
    if (!p.field.empty() && p.field.back() == '.') {
      p.field.pop_back();
    }
    p.line = at.line;
  }
  if (error.kind == ErrorKind::conflict || error.kind == ErrorKind::not_found) {
    error.kind = ErrorKind::invalid_input;
  }
  error.code = "import_invalid";
  error.message =
      (at.line > 0 ? "line " + std::to_string(at.line) : at.path) + ": " + error.message + "; nothing was imported";
  return error;
}

std::vector<Located> section(const bj::object& bundle, std::string_view name, const Lines* lines, Problems& out) {
  std::vector<Located> records;
  auto it = bundle.find(name);
  if (it == bundle.end() || it->value().is_null()) {
    return records;
  }
  if (!it->value().is_array()) {
    out.push_back({std::string(name), "must be an array", 0});
    return records;
  }
  const auto& arr = it->value().as_array();
  const std::vector<int>* line_list = nullptr;
  if (lines != nullptr) {
    if (auto l = lines->find(name); l != lines->end()) {
      line_list = &l->second;
    }
  }
  for (std::size_t i = 0; i < arr.size(); ++i) {
    Located at{nullptr, std::string(name) + "[" + std::to_string(i) + "].",
               line_list != nullptr && i < line_list->size() ? (*line_list)[i] : 0};
    if (!arr[i].is_object()) {
      out.push_back({at.path.substr(0, at.path.size() - 1), "must be an object", at.line});
      continue;
    }
    at.obj = &arr[i].as_object();
    records.push_back(std::move(at));
  }
  return records;
}

std::string text_field(const bj::object& obj, std::string_view field) {
  auto it = obj.find(field);
  return it != obj.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

// Channels and purposes are sets: sorted, so the file's order does not make a new version.
void canonical(ServiceCard& card) {
  std::sort(card.channels.begin(), card.channels.end(),
            [](const ChannelInfo& a, const ChannelInfo& b) { return a.channel < b.channel; });
  std::sort(card.purposes.begin(), card.purposes.end());
}

void canonical(CenterProfile& p) {
  std::sort(p.hours.begin(), p.hours.end(), [](const OpeningInterval& a, const OpeningInterval& b) {
    return std::tie(a.weekday, a.opens) < std::tie(b.weekday, b.opens);
  });
  std::sort(p.exceptions.begin(), p.exceptions.end(),
            [](const HoursException& a, const HoursException& b) { return a.day < b.day; });
}

struct ServiceRec {
  Located at;
  std::string identifier;
  std::string effective_from;
  ServiceCard card;
  CardRefs refs;
};

struct CenterRec {
  Located at;
  CenterProfile profile;
  CenterRefs refs;
  std::vector<Window> windows;
  bool windows_given = false;
  std::vector<Ref> services;
  bool services_given = false;
};

struct SituationRec {
  Located at;
  LifeSituationData data;
  std::vector<Ref> services;
};

bool exists(const Registry& registry, RecordKind kind, const std::set<std::string>& in_file, const Ref& ref) {
  if (ref.id != 0) {
    return true; // checked by the use case, inside the transaction
  }
  return in_file.contains(ref.code) || registry.id_by_code(kind, ref.code).has_value();
}

Result<std::int64_t> id_of(const Registry& registry, RecordKind kind, const Ref& ref, const std::string& field) {
  if (ref.id != 0) {
    return ref.id;
  }
  if (auto id = registry.id_by_code(kind, ref.code)) {
    return *id;
  }
  return fail(Error::field(field, "no record '" + ref.code + "'"));
}

// What importing one record did, as the report counts it.
enum class Outcome { created, updated, unchanged };

void count(ImportReport& report, Outcome outcome) {
  switch (outcome) {
  case Outcome::created:
    ++report.created;
    break;
  case Outcome::updated:
    ++report.updated;
    break;
  case Outcome::unchanged:
    ++report.unchanged;
    break;
  }
}

template <class Record> struct Written {
  Record record;
  Outcome outcome = Outcome::unchanged;
};

// Create-or-update, the one way an import writes a record of any kind: a record the database does
// not have (`id` empty) is created; one it has is loaded and, unless `same` says it equals the
// file's, updated with the version just loaded. A failed load is an error like any other: reading
// its version anyway threw, and the import answered 500.
template <class Record, class Create, class Load, class Same, class Update>
Result<Written<Record>> create_or_update(const std::optional<std::int64_t>& id, Create&& create, Load&& load,
                                         Same&& same, Update&& update) {
  if (!id) {
    VIKNO_TRY(created, create());
    return Written<Record>{std::move(created), Outcome::created};
  }
  VIKNO_TRY(current, load(*id));
  if (same(current)) {
    return Written<Record>{std::move(current), Outcome::unchanged};
  }
  VIKNO_TRY(updated, update(current));
  return Written<Record>{std::move(updated), Outcome::updated};
}

Result<ImportReport> import_impl(Registry& registry, const Actor& actor, const bj::object& bundle, const Lines* lines) {
  Problems problems;
  for (const auto& [key, value] : bundle) {
    static const std::set<std::string_view> known{"format",          "providers", "groups", "services",
                                                  "life_situations", "centers",   "staff",  "devices"};
    if (!known.contains(key)) {
      problems.push_back({std::string(key), "is not a section of a registry file", 0});
    }
  }

  // 1. Read and check every record; nothing is written yet.
  std::vector<std::pair<Located, ProviderData>> providers;
  std::set<std::string> provider_codes;
  for (auto& at : section(bundle, "providers", lines, problems)) {
    const std::size_t from = problems.size();
    ProviderData d;
    read_provider(*at.obj, at.path, d, problems);
    check_provider(d, at.path, problems);
    if (!d.code.empty() && !provider_codes.insert(d.code).second) {
      problems.push_back({at.path + "code", "'" + d.code + "' appears twice in the file", 0});
    }
    locate(problems, from, at);
    providers.emplace_back(at, std::move(d));
  }
  std::vector<std::pair<Located, GroupData>> groups;
  std::set<std::string> group_codes;
  std::set<std::string> letters;
  for (auto& at : section(bundle, "groups", lines, problems)) {
    const std::size_t from = problems.size();
    GroupData d;
    read_group(*at.obj, at.path, d, problems);
    check_group(d, at.path, problems);
    if (!d.code.empty() && !group_codes.insert(d.code).second) {
      problems.push_back({at.path + "code", "'" + d.code + "' appears twice in the file", 0});
    }
    if (!d.ticket_letter.empty() && !letters.insert(d.ticket_letter).second) {
      problems.push_back({at.path + "ticket_letter", "'" + d.ticket_letter + "' appears twice in the file", 0});
    }
    locate(problems, from, at);
    groups.emplace_back(at, std::move(d));
  }
  std::vector<ServiceRec> services;
  std::set<std::string> identifiers;
  for (auto& at : section(bundle, "services", lines, problems)) {
    const std::size_t from = problems.size();
    ServiceRec rec{at, text_field(*at.obj, "identifier"), text_field(*at.obj, "effective_from"), {}, {}};
    if (rec.identifier.empty() || rec.identifier.size() > 100) {
      problems.push_back({at.path + "identifier", "is required (1 to 100 characters)", 0});
    } else if (!identifiers.insert(rec.identifier).second) {
      problems.push_back({at.path + "identifier", "'" + rec.identifier + "' appears twice in the file", 0});
    }
    if (!rec.effective_from.empty() && !calendar::parse_iso_date(rec.effective_from)) {
      problems.push_back({at.path + "effective_from", "must be a date YYYY-MM-DD", 0});
    }
    read_card(*at.obj, at.path, rec.card, rec.refs, problems);
    check_service_card(rec.card, at.path, problems);
    if (rec.refs.group.empty()) {
      problems.push_back({at.path + "group", "is required", 0});
    } else if (!exists(registry, RecordKind::service_group, group_codes, rec.refs.group)) {
      problems.push_back({at.path + "group", "no service group '" + rec.refs.group.code + "'", 0});
    }
    if (rec.refs.provider.empty()) {
      problems.push_back({at.path + "provider", "is required", 0});
    } else if (!exists(registry, RecordKind::provider, provider_codes, rec.refs.provider)) {
      problems.push_back({at.path + "provider", "no provider '" + rec.refs.provider.code + "'", 0});
    }
    canonical(rec.card);
    locate(problems, from, at);
    services.push_back(std::move(rec));
  }
  std::vector<SituationRec> situations;
  std::set<std::string> situation_codes;
  for (auto& at : section(bundle, "life_situations", lines, problems)) {
    const std::size_t from = problems.size();
    SituationRec rec{at, {}, {}};
    bool given = false;
    read_life_situation(*at.obj, at.path, rec.data, rec.services, given, problems);
    check_life_situation(rec.data, at.path, problems);
    if (!rec.data.code.empty() && !situation_codes.insert(rec.data.code).second) {
      problems.push_back({at.path + "code", "'" + rec.data.code + "' appears twice in the file", 0});
    }
    for (std::size_t i = 0; i < rec.services.size(); ++i) {
      if (!exists(registry, RecordKind::service, identifiers, rec.services[i])) {
        problems.push_back(
            {at.path + "services[" + std::to_string(i) + "]", "no service '" + rec.services[i].code + "'", 0});
      }
    }
    locate(problems, from, at);
    situations.push_back(std::move(rec));
  }
  std::vector<CenterRec> centers;
  std::map<std::string, CenterKind> center_kinds;
  for (auto& at : section(bundle, "centers", lines, problems)) {
    const std::size_t from = problems.size();
    CenterRec rec{at, {}, {}, {}, false, {}, false};
    read_center(*at.obj, at.path, rec.profile, rec.refs, problems);
    if (rec.profile.code.empty()) {
      problems.push_back({at.path + "code", "is required in a file: it is how a center is matched", 0});
    } else if (!center_kinds.emplace(rec.profile.code, rec.profile.kind).second) {
      problems.push_back({at.path + "code", "'" + rec.profile.code + "' appears twice in the file", 0});
    }
    CenterProfile checked = rec.profile;
    if (!rec.refs.parent.empty()) {
      checked.parent_id = -1; // "has a parent"; which one is checked below
    }
    check_center(checked, at.path, problems);
    if (auto it = at.obj->find("windows"); it != at.obj->end() && !it->value().is_null()) {
      rec.windows_given = true;
      if (it->value().is_array()) {
        rec.windows = read_windows(it->value().as_array(), at.path, problems);
        check_windows(rec.windows, at.path, problems);
      } else {
        problems.push_back({at.path + "windows", "must be an array", 0});
      }
    }
    if (auto it = at.obj->find("services"); it != at.obj->end() && !it->value().is_null()) {
      rec.services_given = true;
      if (it->value().is_array()) {
        rec.services = read_refs(it->value().as_array(), at.path + "services", problems);
        for (std::size_t i = 0; i < rec.services.size(); ++i) {
          if (!exists(registry, RecordKind::service, identifiers, rec.services[i])) {
            problems.push_back(
                {at.path + "services[" + std::to_string(i) + "]", "no service '" + rec.services[i].code + "'", 0});
          }
        }
      } else {
        problems.push_back({at.path + "services", "must be an array", 0});
      }
    }
    canonical(rec.profile);
    locate(problems, from, at);
    centers.push_back(std::move(rec));
  }
  for (auto& rec : centers) {
    if (!rec.refs.parent.code.empty() && !center_kinds.contains(rec.refs.parent.code) &&
        !registry.id_by_code(RecordKind::center, rec.refs.parent.code)) {
      const std::size_t from = problems.size();
      problems.push_back({rec.at.path + "parent", "no center '" + rec.refs.parent.code + "'", 0});
      locate(problems, from, rec.at);
    }
  }
  if (!problems.empty()) {
    sort_by_line(problems);
    auto error = to_result(std::move(problems)).error();
    error.code = "import_invalid";
    error.message = std::to_string(error.problems.size()) +
                    " problem(s) in the file; nothing was imported. First: " + describe(error.problems.front());
    return fail(std::move(error));
  }

  // 2. Write in one transaction, records matched by their identifiers; equal ones are left alone.
  ImportReport report;
  auto written = registry.batch([&]() -> Result<void> {
    for (const auto& record : providers) {
      const Located& at = record.first;
      const ProviderData& data = record.second;
      auto r = create_or_update<Provider>(
          registry.id_by_code(RecordKind::provider, data.code), [&] { return registry.create_provider(actor, data); },
          [&](std::int64_t id) { return registry.get_provider(id); }, [&](const Provider& p) { return p.data == data; },
          [&](const Provider& p) { return registry.update_provider(actor, p.id, p.version, data); });
      if (!r) {
        return fail(located(r.error(), at));
      }
      count(report, r->outcome);
    }
    for (const auto& record : groups) {
      const Located& at = record.first;
      const GroupData& data = record.second;
      auto r = create_or_update<ServiceGroup>(
          registry.id_by_code(RecordKind::service_group, data.code), [&] { return registry.create_group(actor, data); },
          [&](std::int64_t id) { return registry.get_group(id); },
          [&](const ServiceGroup& g) { return g.data == data; },
          [&](const ServiceGroup& g) { return registry.update_group(actor, g.id, g.version, data); });
      if (!r) {
        return fail(located(r.error(), at));
      }
      count(report, r->outcome);
    }
    for (auto& rec : services) {
      auto group = id_of(registry, RecordKind::service_group, rec.refs.group, "group");
      auto provider = id_of(registry, RecordKind::provider, rec.refs.provider, "provider");
      if (!group || !provider) {
        return fail(located(!group ? group.error() : provider.error(), rec.at));
      }
      rec.card.group_id = *group;
      rec.card.provider_id = *provider;
      auto r = create_or_update<Service>(
          registry.id_by_code(RecordKind::service, rec.identifier),
          [&] { return registry.create_service(actor, rec.identifier, rec.effective_from, rec.card, {}); },
          // Compared with the version in force on the date the file's card would take effect: a
          // version scheduled for later stays scheduled.
          [&](std::int64_t id) { return registry.get_service(id, rec.effective_from); },
          [&](const Service& s) { return s.current.card == rec.card; },
          [&](const Service& s) {
            return registry.update_service(actor, s.id, s.version, rec.effective_from, rec.card, {});
          });
      if (!r) {
        return fail(located(r.error(), rec.at));
      }
      count(report, r->outcome);
    }
    for (auto& rec : situations) {
      LifeSituationData wanted = rec.data;
      for (std::size_t i = 0; i < rec.services.size(); ++i) {
        auto sid = id_of(registry, RecordKind::service, rec.services[i], "services[" + std::to_string(i) + "]");
        if (!sid) {
          return fail(located(sid.error(), rec.at));
        }
        wanted.service_ids.push_back(*sid);
      }
      auto r = create_or_update<LifeSituation>(
          registry.id_by_code(RecordKind::life_situation, rec.data.code),
          [&] { return registry.create_life_situation(actor, rec.data, rec.services); },
          [&](std::int64_t id) { return registry.get_life_situation(id); },
          [&](const LifeSituation& l) { return l.data == wanted; },
          [&](const LifeSituation& l) {
            return registry.update_life_situation(actor, l.id, l.version, rec.data, &rec.services);
          });
      if (!r) {
        return fail(located(r.error(), rec.at));
      }
      count(report, r->outcome);
    }
    // Centers before the access points that hang under them.
    std::stable_sort(centers.begin(), centers.end(), [](const CenterRec& a, const CenterRec& b) {
      return (a.profile.kind == CenterKind::center) > (b.profile.kind == CenterKind::center);
    });
    for (auto& rec : centers) {
      // The parent goes to the use case by id as well, so that it checks the parent exists and may
      // be one; the profile holds it too, to compare with the stored one.
      CenterRefs refs;
      if (!rec.refs.parent.empty()) {
        auto parent = id_of(registry, RecordKind::center, rec.refs.parent, "parent");
        if (!parent) {
          return fail(located(parent.error(), rec.at));
        }
        rec.profile.parent_id = *parent;
        refs = CenterRefs{Ref{*parent, {}}, true};
      }
      auto r = create_or_update<Center>(
          registry.id_by_code(RecordKind::center, rec.profile.code),
          [&] { return registry.create_center(actor, rec.profile, refs); },
          [&](std::int64_t id) { return registry.get_center(id); },
          [&](const Center& c) { return c.profile == rec.profile; },
          [&](const Center& c) { return registry.update_center(actor, c.id, c.version, rec.profile, refs); });
      if (!r) {
        return fail(located(r.error(), rec.at));
      }
      Center center = std::move(r->record);
      bool changed = r->outcome == Outcome::updated;
      if (rec.windows_given) {
        bool same = true;
        std::set<int> numbers;
        for (const auto& w : rec.windows) {
          numbers.insert(w.number);
          auto it = std::find_if(center.windows.begin(), center.windows.end(),
                                 [&](const Window& x) { return x.number == w.number; });
          same = same && it != center.windows.end() && it->label == w.label && it->active == w.active;
        }
        for (const auto& w : center.windows) {
          same = same && (!w.active || numbers.contains(w.number));
        }
        if (!same) {
          auto set = registry.set_windows(actor, center.id, center.version, rec.windows);
          if (!set) {
            return fail(located(set.error(), rec.at));
          }
          center = std::move(*set);
          changed = true;
        }
      }
      if (rec.services_given) {
        std::set<std::int64_t> wanted;
        for (std::size_t i = 0; i < rec.services.size(); ++i) {
          auto sid = id_of(registry, RecordKind::service, rec.services[i], "services[" + std::to_string(i) + "]");
          if (!sid) {
            return fail(located(sid.error(), rec.at));
          }
          wanted.insert(*sid);
        }
        if (wanted != std::set<std::int64_t>(center.service_ids.begin(), center.service_ids.end())) {
          auto set = registry.set_center_services(actor, center.id, center.version, rec.services);
          if (!set) {
            return fail(located(set.error(), rec.at));
          }
          center = std::move(*set);
          changed = true;
        }
      }
      count(report, r->outcome == Outcome::created ? Outcome::created
                    : changed                      ? Outcome::updated
                                                   : Outcome::unchanged);
    }
    return {};
  });
  if (!written) {
    return fail(written.error());
  }
  return report;
}

// --- CSV ------------------------------------------------------------------------------------

constexpr std::string_view kItemSeparator = " | ";
constexpr std::string_view kPartSeparator = " :: ";

std::vector<std::string> split(std::string_view text, std::string_view sep) {
  std::vector<std::string> out;
  if (text.empty()) {
    return out;
  }
  std::size_t start = 0;
  while (true) {
    auto pos = text.find(sep, start);
    out.emplace_back(text.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) {
      break;
    }
    start = pos + sep.size();
  }
  for (auto& s : out) {
    while (!s.empty() && s.back() == ' ') {
      s.pop_back();
    }
    while (!s.empty() && s.front() == ' ') {
      s.erase(s.begin());
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) {
      out += sep;
    }
    out += items[i];
  }
  return out;
}

// The items of a list cell, each split into its parts (" :: "). An empty item (" | " twice in a row,
// or at an end) is one problem for the cell, on the record's line: it has no first part to read
// (reading one anyway threw, and the import answered 500).
std::vector<std::vector<std::string>> item_parts(const std::string& cell, std::string_view column, Problems& problems,
                                                 int line) {
  std::vector<std::vector<std::string>> out;
  bool reported = false;
  for (const auto& item : split(cell, kItemSeparator)) {
    if (item.empty()) {
      if (!reported) {
        problems.push_back({std::string(column), "has an empty item; items are separated by ' | '", line});
        reported = true;
      }
      continue;
    }
    out.push_back(split(item, kPartSeparator));
  }
  return out;
}

// A cell as JSON: an integer or a decimal when it reads as one, else the text (and the reader then
// reports a type mistake in the right column).
bj::value scalar(const std::string& cell) {
  std::int64_t i = 0;
  auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), i);
  if (ec == std::errc{} && end == cell.data() + cell.size()) {
    return i;
  }
  double d = 0;
  auto [end2, ec2] = std::from_chars(cell.data(), cell.data() + cell.size(), d);
  if (ec2 == std::errc{} && end2 == cell.data() + cell.size()) {
    return d;
  }
  return bj::value(cell);
}

const std::vector<std::string> kServiceColumns{
    "identifier",      "group",        "provider",        "title_uk",  "title_en",  "description",     "result",
    "result_delivery", "fee_kopiykas", "payment_details", "term_days", "term_unit", "typical_minutes", "keywords",
    "documents",       "legal_basis",  "channels",        "purposes",  "stages"};
const std::vector<std::string> kCenterColumns{"code",
                                              "name_uk",
                                              "name_en",
                                              "kind",
                                              "parent",
                                              "founding_body",
                                              "founding_body_name",
                                              "katottg",
                                              "address",
                                              "latitude",
                                              "longitude",
                                              "time_zone",
                                              "floor_area_m2",
                                              "technical_condition",
                                              "population_served",
                                              "phone",
                                              "email",
                                              "website",
                                              "status",
                                              "hours",
                                              "exceptions",
                                              "windows",
                                              "services"};

const std::set<std::string, std::less<>> kNumericCenterColumns{"latitude", "longitude", "floor_area_m2",
                                                               "technical_condition", "population_served"};

bj::object service_row(const std::map<std::string, std::string, std::less<>>& row, Problems& problems, int line) {
  bj::object o;
  for (const char* f : {"identifier", "group", "provider", "title_uk", "title_en", "description", "result",
                        "result_delivery", "keywords"}) {
    if (auto it = row.find(f); it != row.end() && !it->second.empty()) {
      o[f] = it->second;
    }
  }
  auto cell = [&](std::string_view f) -> std::string {
    auto it = row.find(f);
    return it == row.end() ? std::string() : it->second;
  };
  bj::object fee;
  if (!cell("fee_kopiykas").empty()) {
    fee["kopiykas"] = scalar(cell("fee_kopiykas"));
  }
  if (!cell("payment_details").empty()) {
    fee["payment_details"] = cell("payment_details");
  }
  if (!fee.empty()) {
    o["fee"] = std::move(fee);
  }
  if (!cell("term_days").empty() || !cell("term_unit").empty()) {
    bj::object term;
    if (!cell("term_days").empty()) {
      term["days"] = scalar(cell("term_days"));
    }
    if (!cell("term_unit").empty()) {
      term["unit"] = cell("term_unit");
    }
    o["term"] = std::move(term);
  } else {
    o["term"] = nullptr;
  }
  if (!cell("typical_minutes").empty()) {
    o["typical_minutes"] = scalar(cell("typical_minutes"));
  }
  bj::array docs;
  for (const auto& parts : item_parts(cell("documents"), "documents", problems, line)) {
    docs.push_back(bj::object{{"name", parts.at(0)}, {"note", parts.size() > 1 ? parts[1] : ""}});
  }
  o["documents"] = std::move(docs);
  bj::array acts;
  for (const auto& parts : item_parts(cell("legal_basis"), "legal_basis", problems, line)) {
    acts.push_back(bj::object{{"title", parts.at(0)}, {"url", parts.size() > 1 ? parts[1] : ""}});
  }
  o["legal_basis"] = std::move(acts);
  bj::array channels;
  for (const auto& parts : item_parts(cell("channels"), "channels", problems, line)) {
    channels.push_back(bj::object{{"channel", parts.at(0)}, {"note", parts.size() > 1 ? parts[1] : ""}});
  }
  o["channels"] = std::move(channels);
  bj::array purposes;
  for (const auto& item : split(cell("purposes"), kItemSeparator)) {
    purposes.push_back(bj::value(item));
  }
  o["purposes"] = std::move(purposes);
  bj::array stages;
  for (const auto& parts : item_parts(cell("stages"), "stages", problems, line)) {
    bj::object stage{{"name", parts.at(0)}, {"responsible", parts.size() > 1 ? parts[1] : ""}};
    if (parts.size() > 2) {
      auto term = split(parts[2], " ");
      if (term.size() == 2) {
        stage["term"] = bj::object{{"days", scalar(term[0])}, {"unit", term[1]}};
      } else {
        problems.push_back({"stages", "a stage term is written as '<days> <unit>', e.g. '1 working_days'", line});
      }
    }
    stages.push_back(std::move(stage));
  }
  o["stages"] = std::move(stages);
  return o;
}

bj::object center_row(const std::map<std::string, std::string, std::less<>>& row, Problems& problems, int line) {
  bj::object o;
  for (const auto& [column, value] : row) {
    if (value.empty() || column == "hours" || column == "exceptions" || column == "windows" || column == "services") {
      continue;
    }
    o[column] = kNumericCenterColumns.contains(column) ? scalar(value) : bj::value(value);
  }
  auto cell = [&](std::string_view f) -> std::string {
    auto it = row.find(f);
    return it == row.end() ? std::string() : it->second;
  };
  bj::array hours;
  for (const auto& item : split(cell("hours"), kItemSeparator)) {
    // "1 08:00-20:00"
    auto parts = split(item, " ");
    auto times = parts.size() == 2 ? split(parts[1], "-") : std::vector<std::string>{};
    if (times.size() != 2) {
      problems.push_back({"hours", "each item is '<weekday 1-7> HH:MM-HH:MM', e.g. '1 08:00-20:00'", line});
      continue;
    }
    hours.push_back(bj::object{{"weekday", scalar(parts[0])}, {"opens", times[0]}, {"closes", times[1]}});
  }
  o["hours"] = std::move(hours);
  bj::array exceptions;
  for (const auto& item : split(cell("exceptions"), kItemSeparator)) {
    // "2026-12-31 08:00-14:00 reason" or "2026-04-01 closed reason"
    auto parts = split(item, " ");
    if (parts.size() < 2) {
      problems.push_back({"exceptions", "each item is '<YYYY-MM-DD> closed|HH:MM-HH:MM [reason]'", line});
      continue;
    }
    std::string reason = item.size() > parts[0].size() + parts[1].size() + 1
                             ? item.substr(parts[0].size() + parts[1].size() + 2)
                             : std::string();
    bj::object x{{"date", parts[0]}, {"reason", reason}};
    if (parts[1] == "closed") {
      x["closed"] = true;
    } else if (auto times = split(parts[1], "-"); times.size() == 2) {
      x["closed"] = false;
      x["opens"] = times[0];
      x["closes"] = times[1];
    } else {
      problems.push_back({"exceptions", "each item is '<YYYY-MM-DD> closed|HH:MM-HH:MM [reason]'", line});
      continue;
    }
    exceptions.push_back(std::move(x));
  }
  o["exceptions"] = std::move(exceptions);
  bj::array windows;
  for (const auto& parts : item_parts(cell("windows"), "windows", problems, line)) {
    windows.push_back(bj::object{{"number", scalar(parts.at(0))}, {"label", parts.size() > 1 ? parts[1] : ""}});
  }
  o["windows"] = std::move(windows);
  bj::array services;
  for (const auto& item : split(cell("services"), kItemSeparator)) {
    services.push_back(bj::value(item));
  }
  o["services"] = std::move(services);
  return o;
}

std::string number_text(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc{} ? std::string(buf, end) : std::string();
}

// --- export helpers ---------------------------------------------------------------------------

struct Codes {
  std::map<std::int64_t, std::string> providers, groups, services, centers;
};

Codes codes_of(const Registry& registry) {
  Codes codes;
  for (const auto& p : registry.list_providers()) {
    codes.providers[p.id] = p.data.code;
  }
  for (const auto& g : registry.list_groups()) {
    codes.groups[g.id] = g.data.code;
  }
  for (const auto& s : registry.list_services()) {
    codes.services[s.id] = s.identifier;
  }
  for (const auto& c : registry.list_centers()) {
    codes.centers[c.id] = c.profile.code;
  }
  return codes;
}

bj::object service_export(const Service& s, const Codes& codes) {
  bj::object o = to_json(s.current.card);
  o.erase("group_id");
  o.erase("provider_id");
  o["fee"].as_object().erase("free");
  if (!s.current.card.term_set_by_law) {
    o["term"] = nullptr;
  } else {
    o["term"].as_object().erase("set_by_law");
  }
  bj::object out{{"identifier", s.identifier},
                 {"group", codes.groups.at(s.current.card.group_id)},
                 {"provider", codes.providers.at(s.current.card.provider_id)}};
  for (auto& [k, v] : o) {
    out[k] = v;
  }
  return out;
}

bj::object center_export(const Center& c, const Codes& codes) {
  bj::object o = to_json(c.profile);
  o.erase("parent_id");
  o["parent"] = c.profile.parent_id ? bj::value(codes.centers.at(*c.profile.parent_id)) : bj::value(nullptr);
  for (auto key : {"katottg", "latitude", "longitude", "floor_area_m2", "technical_condition", "population_served"}) {
    if (o[key].is_null()) {
      o.erase(key);
    }
  }
  bj::array windows;
  for (const auto& w : c.windows) {
    windows.push_back(bj::object{{"number", w.number}, {"label", w.label}, {"active", w.active}});
  }
  o["windows"] = std::move(windows);
  bj::array services;
  for (auto id : c.service_ids) {
    services.push_back(bj::value(codes.services.at(id)));
  }
  o["services"] = std::move(services);
  return o;
}

bj::array lang(const std::string& uk, const std::string& en) {
  bj::array out{bj::object{{"@language", "uk"}, {"@value", uk}}};
  if (!en.empty()) {
    out.push_back(bj::object{{"@language", "en"}, {"@value", en}});
  }
  return out;
}

} // namespace

Result<ImportReport> import_bundle(Registry& registry, const Actor& actor, const bj::object& bundle) {
  return import_impl(registry, actor, bundle, nullptr);
}

Result<ImportReport> import_json(Registry& registry, const Actor& actor, std::string_view text) {
  boost::system::error_code ec;
  bj::value value = bj::parse(text, ec);
  if (ec || !value.is_object()) {
    return fail(Error::invalid("invalid_json", "the file is not a JSON object: " + (ec ? ec.message() : "")));
  }
  return import_impl(registry, actor, value.as_object(), nullptr);
}

Result<ImportReport> import_csv(Registry& registry, const Actor& actor, CsvTable table, std::string_view text) {
  VIKNO_TRY(rows, csv::read(text));
  if (rows.empty()) {
    return fail(Error::invalid("invalid_csv", "the file is empty; the first line names the columns"));
  }
  const auto& known = table == CsvTable::services ? kServiceColumns : kCenterColumns;
  const std::vector<std::string> header = rows.front().fields;
  Problems problems;
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (std::find(known.begin(), known.end(), header[c]) == known.end()) {
      problems.push_back({header[c], "is not a column of this table; columns: " + join(known, ","), rows.front().line});
    }
  }
  const std::string name = table == CsvTable::services ? "services" : "centers";
  bj::array records;
  Lines lines;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (row.fields.size() != header.size()) {
      problems.push_back(
          {"", "has " + std::to_string(row.fields.size()) + " cells; the header has " + std::to_string(header.size()),
           row.line});
      continue;
    }
    std::map<std::string, std::string, std::less<>> cells;
    for (std::size_t c = 0; c < header.size(); ++c) {
      cells[header[c]] = row.fields[c];
    }
    records.push_back(table == CsvTable::services ? service_row(cells, problems, row.line)
                                                  : center_row(cells, problems, row.line));
    lines[name].push_back(row.line);
  }
  if (!problems.empty()) {
    auto error = to_result(std::move(problems)).error();
    error.code = "import_invalid";
    error.message = "line " + std::to_string(error.problems.front().line) + ": " + error.problems.front().problem +
                    "; nothing was imported";
    return fail(std::move(error));
  }
  bj::object bundle{{name, std::move(records)}};
  return import_impl(registry, actor, bundle, &lines);
}

bj::object export_json(const Registry& registry) {
  Codes codes = codes_of(registry);
  bj::array providers;
  for (const auto& p : registry.list_providers()) {
    bj::object o = to_json(p);
    o.erase("id");
    o.erase("version");
    providers.push_back(std::move(o));
  }
  bj::array groups;
  for (const auto& g : registry.list_groups()) {
    bj::object o = to_json(g);
    o.erase("id");
    o.erase("version");
    groups.push_back(std::move(o));
  }
  bj::array services;
  for (const auto& s : registry.list_services()) {
    services.push_back(service_export(s, codes));
  }
  bj::array situations;
  for (const auto& ls : registry.list_life_situations()) {
    bj::array ids;
    for (auto id : ls.data.service_ids) {
      ids.push_back(bj::value(codes.services.at(id)));
    }
    situations.push_back(bj::object{{"code", ls.data.code},
                                    {"name_uk", ls.data.name_uk},
                                    {"name_en", ls.data.name_en},
                                    {"description", ls.data.description},
                                    {"services", std::move(ids)}});
  }
  bj::array centers;
  for (const auto& c : registry.list_centers()) {
    if (!c.profile.code.empty()) { // a center without a code cannot be matched on import
      centers.push_back(center_export(c, codes));
    }
  }
  return {
      {"format", "vikno-registry/1"},    {"providers", std::move(providers)},        {"groups", std::move(groups)},
      {"services", std::move(services)}, {"life_situations", std::move(situations)}, {"centers", std::move(centers)}};
}

std::string export_csv(const Registry& registry, CsvTable table) {
  Codes codes = codes_of(registry);
  std::string out;
  if (table == CsvTable::services) {
    out += csv::line(kServiceColumns);
    for (const auto& s : registry.list_services()) {
      const ServiceCard& c = s.current.card;
      std::vector<std::string> docs, acts, channels, purposes, stages;
      for (const auto& d : c.documents) {
        docs.push_back(d.note.empty() ? d.name : d.name + std::string(kPartSeparator) + d.note);
      }
      for (const auto& a : c.legal_basis) {
        acts.push_back(a.url.empty() ? a.title : a.title + std::string(kPartSeparator) + a.url);
      }
      for (const auto& ch : c.channels) {
        channels.push_back(std::string(to_string(ch.channel)) +
                           (ch.note.empty() ? "" : std::string(kPartSeparator) + ch.note));
      }
      for (auto p : c.purposes) {
        purposes.emplace_back(to_string(p));
      }
      for (const auto& st : c.stages) {
        stages.push_back(st.name + std::string(kPartSeparator) + st.responsible + std::string(kPartSeparator) +
                         std::to_string(st.term.days) + " " + std::string(to_string(st.term.unit)));
      }
      out += csv::line({s.identifier, codes.groups.at(c.group_id), codes.providers.at(c.provider_id), c.title_uk,
                        c.title_en, c.description, c.result, c.result_delivery, std::to_string(c.fee_kopiykas),
                        c.payment_details, c.term_set_by_law ? std::to_string(c.term.days) : "",
                        c.term_set_by_law ? std::string(to_string(c.term.unit)) : "", std::to_string(c.typical_minutes),
                        c.keywords, join(docs, kItemSeparator), join(acts, kItemSeparator),
                        join(channels, kItemSeparator), join(purposes, kItemSeparator), join(stages, kItemSeparator)});
    }
    return out;
  }
  out += csv::line(kCenterColumns);
  for (const auto& c : registry.list_centers()) {
    if (c.profile.code.empty()) {
      continue;
    }
    const CenterProfile& p = c.profile;
    std::vector<std::string> hours, windows, services;
    for (const auto& h : p.hours) {
      hours.push_back(std::to_string(h.weekday) + " " + format_hhmm(h.opens) + "-" + format_hhmm(h.closes));
    }
    for (const auto& w : c.windows) {
      if (w.active) {
        windows.push_back(std::to_string(w.number) + (w.label.empty() ? "" : std::string(kPartSeparator) + w.label));
      }
    }
    for (auto id : c.service_ids) {
      services.push_back(codes.services.at(id));
    }
    std::vector<std::string> exceptions;
    for (const auto& e : p.exceptions) {
      exceptions.push_back(e.day + " " +
                           (e.closed ? std::string("closed") : format_hhmm(e.opens) + "-" + format_hhmm(e.closes)) +
                           (e.reason.empty() ? "" : " " + e.reason));
    }
    auto opt_num = [](const std::optional<double>& v) { return v ? number_text(*v) : std::string(); };
    out += csv::line({p.code,
                      p.name_uk,
                      p.name_en,
                      std::string(to_string(p.kind)),
                      p.parent_id ? codes.centers.at(*p.parent_id) : "",
                      std::string(to_string(p.founding_body)),
                      p.founding_body_name,
                      p.katottg,
                      p.address,
                      opt_num(p.latitude),
                      opt_num(p.longitude),
                      p.time_zone,
                      opt_num(p.floor_area_m2),
                      p.technical_condition ? std::to_string(*p.technical_condition) : "",
                      p.population_served ? std::to_string(*p.population_served) : "",
                      p.phone,
                      p.email,
                      p.website,
                      std::string(to_string(p.status)),
                      join(hours, kItemSeparator),
                      join(exceptions, kItemSeparator),
                      join(windows, kItemSeparator),
                      join(services, kItemSeparator)});
  }
  return out;
}

bj::object export_cpsv(const Registry& registry, const std::string& base) {
  bj::object context{{"cpsv", "http://purl.org/vocab/cpsv#"},        {"cv", "http://data.europa.eu/m8g/"},
                     {"dct", "http://purl.org/dc/terms/"},           {"skos", "http://www.w3.org/2004/02/skos/core#"},
                     {"eli", "http://data.europa.eu/eli/ontology#"}, {"dcat", "http://www.w3.org/ns/dcat#"},
                     {"xsd", "http://www.w3.org/2001/XMLSchema#"}};
  const std::string ukraine = "http://publications.europa.eu/resource/authority/country/UKR";
  bj::array graph;
  std::map<std::int64_t, std::string> org_ids;
  for (const auto& p : registry.list_providers()) {
    std::string id = base + "/organisations/" + p.data.code;
    org_ids[p.id] = id;
    bj::object org{{"@id", id},
                   {"@type", "cv:PublicOrganisation"},
                   {"dct:identifier", p.data.code},
                   {"skos:prefLabel", lang(p.data.name_uk, p.data.name_en)},
                   {"dct:spatial", bj::object{{"@id", ukraine}}}};
    if (!p.data.address.empty()) {
      org["cv:address"] = bj::object{{"@type", "locn:Address"}, {"locn:fullAddress", p.data.address}};
    }
    graph.push_back(std::move(org));
  }
  std::map<std::int64_t, std::vector<std::string>> events_of;
  for (const auto& ls : registry.list_life_situations()) {
    std::string id = base + "/events/" + ls.data.code;
    for (auto sid : ls.data.service_ids) {
      events_of[sid].push_back(id);
    }
    graph.push_back(bj::object{{"@id", id},
                               {"@type", "cv:LifeEvent"},
                               {"dct:identifier", ls.data.code},
                               {"dct:title", lang(ls.data.name_uk, ls.data.name_en)}});
  }
  std::map<std::int64_t, std::string> group_names;
  for (const auto& g : registry.list_groups()) {
    group_names[g.id] = g.data.name_uk;
  }
  for (const auto& s : registry.list_services()) {
    const ServiceCard& c = s.current.card;
    const std::string id = base + "/services/" + s.identifier;
    const std::string authority = org_ids.at(c.provider_id);
    bj::object ps{
        {"@id", id},
        {"@type", "cpsv:PublicService"},
        {"dct:identifier", s.identifier},
        {"dct:title", lang(c.title_uk, c.title_en)},
        {"dct:description", lang(c.description.empty() ? c.title_uk : c.description, "")},
        {"cv:hasCompetentAuthority", bj::object{{"@id", authority}}},
        {"dct:language", bj::object{{"@id", "http://publications.europa.eu/resource/authority/language/UKR"}}},
        {"dct:spatial", bj::object{{"@id", ukraine}}},
        // Working days have no xsd:duration unit; the count is given as days.
        {"cv:processingTime",
         bj::object{{"@type", "xsd:duration"}, {"@value", "P" + std::to_string(c.term.days) + "D"}}},
        {"cv:thematicArea", group_names[c.group_id]}};
    if (!c.keywords.empty()) {
      ps["dcat:keyword"] = c.keywords;
    }
    const std::string cost_id = id + "/cost";
    graph.push_back(bj::object{
        {"@id", cost_id},
        {"@type", "cv:Cost"},
        {"dct:identifier", s.identifier + "/cost"},
        // Kopiykas to hryvnias as a decimal string: exact, no binary floating point.
        {"cv:value",
         bj::object{{"@type", "xsd:decimal"},
                    {"@value", std::to_string(c.fee_kopiykas / 100) + "." + (c.fee_kopiykas % 100 < 10 ? "0" : "") +
                                   std::to_string(c.fee_kopiykas % 100)}}},
        {"cv:currency", bj::object{{"@id", "http://publications.europa.eu/resource/authority/currency/UAH"}}},
        {"dct:description", lang(c.fee_kopiykas == 0         ? "Безоплатно"
                                 : c.payment_details.empty() ? "Платна послуга"
                                                             : c.payment_details,
                                 "")},
        {"cv:isDefinedBy", bj::object{{"@id", authority}}}});
    ps["cv:hasCost"] = bj::array{bj::object{{"@id", cost_id}}};
    bj::array channels;
    for (const auto& ch : c.channels) {
      const std::string ch_id = id + "/channels/" + std::string(to_string(ch.channel));
      bj::object channel{
          {"@id", ch_id},
          {"@type", "cv:Channel"},
          {"dct:identifier", s.identifier + "/" + std::string(to_string(ch.channel))},
          {"dct:type", bj::object{{"@id", base + "/vocabulary/channel/" + std::string(to_string(ch.channel))}}},
          {"cv:ownedBy", bj::object{{"@id", authority}}}};
      if (!ch.note.empty()) {
        channel["dct:description"] = ch.note;
      }
      graph.push_back(std::move(channel));
      channels.push_back(bj::object{{"@id", ch_id}});
    }
    ps["cv:hasChannel"] = std::move(channels);
    bj::array inputs;
    for (std::size_t i = 0; i < c.documents.size(); ++i) {
      bj::object ev{{"@type", "cv:Evidence"},
                    {"dct:identifier", s.identifier + "/evidence/" + std::to_string(i + 1)},
                    {"dct:title", lang(c.documents[i].name, "")}};
      if (!c.documents[i].note.empty()) {
        ev["dct:description"] = lang(c.documents[i].note, "");
      }
      inputs.push_back(std::move(ev));
    }
    ps["cv:hasInput"] = std::move(inputs);
    if (!c.result.empty()) {
      ps["cpsv:produces"] = bj::object{
          {"@type", "cv:Output"}, {"dct:identifier", s.identifier + "/output"}, {"dct:title", lang(c.result, "")}};
    }
    bj::array legal;
    for (const auto& a : c.legal_basis) {
      bj::object act{{"@type", "eli:LegalResource"}, {"dct:title", lang(a.title, "")}};
      if (!a.url.empty()) {
        act["@id"] = a.url;
      }
      legal.push_back(std::move(act));
    }
    ps["cv:hasLegalResource"] = std::move(legal);
    if (auto it = events_of.find(s.id); it != events_of.end()) {
      bj::array events;
      for (const auto& e : it->second) {
        events.push_back(bj::object{{"@id", e}});
      }
      ps["cv:isGroupedBy"] = std::move(events);
    }
    graph.push_back(std::move(ps));
  }
  context["locn"] = "http://www.w3.org/ns/locn#";
  return {{"@context", std::move(context)}, {"@graph", std::move(graph)}};
}

} // namespace vikno::registry
