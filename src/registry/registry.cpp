#include "registry/registry.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include "audit/audit.hpp"
#include "registry/search.hpp"
#include "registry/validation.hpp"

namespace vikno::registry {

using storage::Connection;
using storage::Row;
using storage::Value;

namespace {

constexpr std::string_view kSelectCenter =
    "SELECT id, version, code, name_uk, name_en, kind, parent_id, founding_body, founding_body_name, katottg, "
    "address, latitude, longitude, time_zone, floor_area_m2, technical_condition, population_served, phone, email, "
    "website, status FROM centers";
constexpr std::string_view kSelectHours =
    "SELECT weekday, opens, closes FROM center_hours WHERE center_id = ? ORDER BY weekday, opens";
constexpr std::string_view kSelectExceptions =
    "SELECT day, closed, opens, closes, reason FROM center_exceptions WHERE center_id = ? ORDER BY day";
constexpr std::string_view kSelectWindows =
    "SELECT id, number, label, active, version FROM windows WHERE center_id = ? ORDER BY number";
constexpr std::string_view kSelectCenterServices =
    "SELECT service_id FROM center_services WHERE center_id = ? ORDER BY service_id";
constexpr std::string_view kInsertCenter =
    "INSERT INTO centers (name_uk, name_en, created_at_ms, code, kind, parent_id, founding_body, founding_body_name, "
    "katottg, address, latitude, longitude, time_zone, floor_area_m2, technical_condition, population_served, phone, "
    "email, website, status, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "RETURNING id";
constexpr std::string_view kUpdateCenter =
    "UPDATE centers SET name_uk = ?, name_en = ?, updated_at_ms = ?, code = ?, kind = ?, parent_id = ?, "
    "founding_body = ?, founding_body_name = ?, katottg = ?, address = ?, latitude = ?, longitude = ?, time_zone = ?, "
    "floor_area_m2 = ?, technical_condition = ?, population_served = ?, phone = ?, email = ?, website = ?, "
    "status = ?, version = version + 1 WHERE id = ? AND version = ?";
constexpr std::string_view kBumpCenter =
    "UPDATE centers SET version = version + 1, updated_at_ms = ? WHERE id = ? AND version = ?";
constexpr std::string_view kInsertHours =
    "INSERT INTO center_hours (center_id, weekday, opens, closes) VALUES (?, ?, ?, ?)";
constexpr std::string_view kInsertException =
    "INSERT INTO center_exceptions (center_id, day, closed, opens, closes, reason) VALUES (?, ?, ?, ?, ?, ?)";

constexpr std::string_view kSelectProvider =
    "SELECT id, version, code, name_uk, name_en, kind, address, phone, email, website FROM providers";
constexpr std::string_view kSelectGroup =
    "SELECT id, version, code, name_uk, name_en, ticket_letter, sort_order FROM service_groups";
constexpr std::string_view kSelectLifeSituation =
    "SELECT id, version, code, name_uk, name_en, description FROM life_situations";

constexpr std::string_view kSelectVersion =
    "SELECT sv.id, sv.seq, sv.effective_from, sv.group_id, sv.provider_id, sv.title_uk, sv.title_en, "
    "sv.description, sv.result, sv.result_delivery, sv.fee_kopiykas, sv.payment_details, sv.term_days, "
    "sv.term_unit, sv.term_set_by_law, sv.typical_minutes, sv.keywords, s.id, s.identifier, s.version, "
    "sv.clock_stops_when_suspended, sv.storage_days "
    "FROM service_versions sv JOIN services s ON s.id = sv.service_id";
// The version in force on a date: the latest effective date not after it, the latest edit of that date.
constexpr std::string_view kCurrentVersionId =
    "(SELECT v.id FROM service_versions v WHERE v.service_id = s.id AND v.effective_from <= ? "
    "ORDER BY v.effective_from DESC, v.seq DESC LIMIT 1)";
constexpr std::string_view kInsertVersion =
    "INSERT INTO service_versions (service_id, seq, effective_from, group_id, provider_id, title_uk, title_en, "
    "description, result, result_delivery, fee_kopiykas, payment_details, term_days, term_unit, term_set_by_law, "
    "typical_minutes, keywords, search_text, created_at_ms, created_by, clock_stops_when_suspended, storage_days) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

constexpr std::string_view kUpdateProvider =
    "UPDATE providers SET code = ?, name_uk = ?, name_en = ?, kind = ?, address = ?, phone = ?, email = ?, "
    "website = ?, version = version + 1 WHERE id = ? AND version = ?";
constexpr std::string_view kUpdateGroup =
    "UPDATE service_groups SET code = ?, name_uk = ?, name_en = ?, ticket_letter = ?, sort_order = ?, "
    "version = version + 1 WHERE id = ? AND version = ?";
// A service's version counts its edits; the edit itself is a new row of service_versions.
constexpr std::string_view kBumpService = "UPDATE services SET version = version + 1 WHERE id = ? AND version = ?";
constexpr std::string_view kUpdateLifeSituation =
    "UPDATE life_situations SET code = ?, name_uk = ?, name_en = ?, description = ?, version = version + 1 "
    "WHERE id = ? AND version = ?";
constexpr std::string_view kBumpSkills = "UPDATE user_centers SET skills_version = skills_version + 1 "
                                         "WHERE user_id = ? AND center_id = ? AND skills_version = ?";
constexpr std::string_view kStaffInCenter = "SELECT 1 FROM user_centers WHERE user_id = ? AND center_id = ?";

constexpr std::string_view kVersionConflict = "version_conflict";

Error not_in_center() { return Error::not_found("staff_not_found", "this user does not work in this center"); }

Error stale(std::string_view what) {
  return Error::conflict(std::string(kVersionConflict),
                         "the " + std::string(what) + " was changed by someone else; reload it and try again");
}

// The constant statements and names of a record kind: the only place a table name is written.
struct KindInfo {
  std::string_view id_by_code; // the record's id by its outside code (a service's identifier)
  std::string_view exists;     // a row when the id exists
  std::string_view name;       // in messages: "no service group 'x'"
  std::string_view not_found;  // the 404 code
};

const KindInfo& info(RecordKind kind) {
  static constexpr KindInfo kCenter{"SELECT id FROM centers WHERE code = ?", "SELECT 1 FROM centers WHERE id = ?",
                                    "center", "center_not_found"};
  static constexpr KindInfo kProvider{"SELECT id FROM providers WHERE code = ?", "SELECT 1 FROM providers WHERE id = ?",
                                      "provider", "provider_not_found"};
  static constexpr KindInfo kGroup{"SELECT id FROM service_groups WHERE code = ?",
                                   "SELECT 1 FROM service_groups WHERE id = ?", "service group", "group_not_found"};
  static constexpr KindInfo kService{"SELECT id FROM services WHERE identifier = ?",
                                     "SELECT 1 FROM services WHERE id = ?", "service", "service_not_found"};
  static constexpr KindInfo kLifeSituation{"SELECT id FROM life_situations WHERE code = ?",
                                           "SELECT 1 FROM life_situations WHERE id = ?", "life situation",
                                           "life_situation_not_found"};
  switch (kind) {
  case RecordKind::center:
    return kCenter;
  case RecordKind::provider:
    return kProvider;
  case RecordKind::service_group:
    return kGroup;
  case RecordKind::service:
    return kService;
  case RecordKind::life_situation:
    return kLifeSituation;
  }
  return kCenter; // unreachable: every kind is listed above
}

Error missing(RecordKind kind) {
  const KindInfo& k = info(kind);
  return Error::not_found(std::string(k.not_found), "no " + std::string(k.name) + " with this id");
}

// Update, else not found, else stale version, for every versioned record: runs `update` (an
// UPDATE ... WHERE <key> AND version = ?); when it changes no row, `exists` run with `key` tells a
// record that is not there (`absent`) from one someone else changed since it was read (409).
Result<void> update_versioned(Connection& c, std::string_view update, const std::vector<Value>& params,
                              std::string_view exists, const std::vector<Value>& key, const Error& absent,
                              std::string_view what) {
  if (c.execute(update, params) > 0) {
    return {};
  }
  if (!c.query_one(exists, key)) {
    return fail(absent);
  }
  return fail(stale(what));
}

// The same for a record kind matched by id.
Result<void> update_versioned(Connection& c, RecordKind kind, std::string_view update, const std::vector<Value>& params,
                              std::int64_t id) {
  return update_versioned(c, update, params, info(kind).exists, {id}, missing(kind), info(kind).name);
}

Value opt(const std::optional<double>& v) { return v ? Value(*v) : Value(nullptr); }
template <class Int> Value opt_int(const std::optional<Int>& v) {
  return v ? Value(static_cast<std::int64_t>(*v)) : Value(nullptr);
}
Value text_or_null(const std::string& s) { return s.empty() ? Value(nullptr) : Value(s); }
std::optional<double> opt_real(const Row& row, std::size_t i) {
  return row.is_null(i) ? std::nullopt : std::optional<double>(row.real(i));
}

// One name for the shared helper inside this file.
using auth::record_change;

std::string version_ref(std::int64_t v) { return "version=" + std::to_string(v); }

// --- loading ---------------------------------------------------------------------------------

Center center_from_row(Connection& c, const Row& row) {
  Center center;
  center.id = row.int64(0);
  center.version = row.int64(1);
  CenterProfile& p = center.profile;
  p.code = row.opt_text(2).value_or("");
  p.name_uk = row.text(3);
  p.name_en = row.text(4);
  p.kind = center_kind_from(row.text(5)).value_or(CenterKind::center);
  p.parent_id = row.opt_int64(6);
  p.founding_body = founding_body_from(row.text(7)).value_or(FoundingBody::none);
  p.founding_body_name = row.text(8);
  p.katottg = row.opt_text(9).value_or("");
  p.address = row.text(10);
  p.latitude = opt_real(row, 11);
  p.longitude = opt_real(row, 12);
  p.time_zone = row.text(13);
  p.floor_area_m2 = opt_real(row, 14);
  if (auto tc = row.opt_int64(15)) {
    p.technical_condition = static_cast<int>(*tc);
  }
  p.population_served = row.opt_int64(16);
  p.phone = row.text(17);
  p.email = row.text(18);
  p.website = row.text(19);
  p.status = center_status_from(row.text(20)).value_or(CenterStatus::active);
  for (const auto& h : c.query(kSelectHours, {center.id})) {
    p.hours.push_back(
        {static_cast<int>(h.int64(0)), parse_hhmm(h.text(1)).value_or(0), parse_hhmm(h.text(2)).value_or(0)});
  }
  for (const auto& e : c.query(kSelectExceptions, {center.id})) {
    HoursException ex;
    ex.day = e.text(0);
    ex.closed = e.int64(1) != 0;
    ex.opens = parse_hhmm(e.opt_text(2).value_or("")).value_or(0);
    ex.closes = parse_hhmm(e.opt_text(3).value_or("")).value_or(0);
    ex.reason = e.text(4);
    p.exceptions.push_back(std::move(ex));
  }
  for (const auto& w : c.query(kSelectWindows, {center.id})) {
    center.windows.push_back({w.int64(0), static_cast<int>(w.int64(1)), w.text(2), w.int64(3) != 0, w.int64(4)});
  }
  for (const auto& s : c.query(kSelectCenterServices, {center.id})) {
    center.service_ids.push_back(s.int64(0));
  }
  return center;
}

Result<Center> load_center(Connection& c, std::int64_t id) {
  auto row = c.query_one(std::string(kSelectCenter) + " WHERE id = ?", {id});
  if (!row) {
    return fail(missing(RecordKind::center));
  }
  return center_from_row(c, *row);
}

Provider provider_from_row(const Row& r) {
  return {r.int64(0),
          r.int64(1),
          {r.text(2), r.text(3), r.text(4), provider_kind_from(r.text(5)).value_or(ProviderKind::other), r.text(6),
           r.text(7), r.text(8), r.text(9)}};
}

ServiceGroup group_from_row(const Row& r) {
  return {r.int64(0), r.int64(1), {r.text(2), r.text(3), r.text(4), r.text(5), static_cast<int>(r.int64(6))}};
}

Service service_from_row(Connection& c, const Row& r) {
  Service s;
  s.current.id = r.int64(0);
  s.current.seq = static_cast<int>(r.int64(1));
  s.current.effective_from = r.text(2);
  ServiceCard& card = s.current.card;
  card.group_id = r.int64(3);
  card.provider_id = r.int64(4);
  card.title_uk = r.text(5);
  card.title_en = r.text(6);
  card.description = r.text(7);
  card.result = r.text(8);
  card.result_delivery = r.text(9);
  card.fee_kopiykas = r.int64(10);
  card.payment_details = r.text(11);
  card.term.days = static_cast<int>(r.int64(12));
  card.term.unit = term_unit_from(r.text(13)).value_or(TermUnit::calendar_days);
  card.term_set_by_law = r.int64(14) != 0;
  card.typical_minutes = static_cast<int>(r.int64(15));
  card.keywords = r.text(16);
  s.id = r.int64(17);
  s.identifier = r.text(18);
  s.version = r.int64(19);
  card.clock_stops_when_suspended = r.int64(20) != 0;
  card.storage_days = static_cast<int>(r.int64(21));
  const std::int64_t vid = s.current.id;
  for (const auto& d :
       c.query("SELECT name, note FROM service_documents WHERE service_version_id = ? ORDER BY position", {vid})) {
    card.documents.push_back({d.text(0), d.text(1)});
  }
  for (const auto& a :
       c.query("SELECT title, url FROM service_legal_acts WHERE service_version_id = ? ORDER BY position", {vid})) {
    card.legal_basis.push_back({a.text(0), a.text(1)});
  }
  for (const auto& ch : c.query("SELECT channel, note FROM service_channels WHERE service_version_id = ?", {vid})) {
    if (auto channel = channel_from(ch.text(0))) {
      card.channels.push_back({*channel, ch.text(1)});
    }
  }
  std::sort(card.channels.begin(), card.channels.end(),
            [](const ChannelInfo& a, const ChannelInfo& b) { return a.channel < b.channel; });
  for (const auto& p : c.query("SELECT purpose FROM service_purposes WHERE service_version_id = ?", {vid})) {
    if (auto purpose = purpose_from(p.text(0))) {
      card.purposes.push_back(*purpose);
    }
  }
  std::sort(card.purposes.begin(), card.purposes.end());
  for (const auto& st : c.query("SELECT name, responsible, term_days, term_unit FROM service_stages WHERE "
                                "service_version_id = ? ORDER BY position",
                                {vid})) {
    card.stages.push_back(
        {st.text(0), st.text(1),
         Term{static_cast<int>(st.int64(2)), term_unit_from(st.text(3)).value_or(TermUnit::working_days)}});
  }
  return s;
}

LifeSituation life_situation_from_row(Connection& c, const Row& r) {
  LifeSituation s{r.int64(0), r.int64(1), {r.text(2), r.text(3), r.text(4), r.text(5), {}}};
  for (const auto& row : c.query("SELECT service_id FROM life_situation_services WHERE life_situation_id = ? "
                                 "ORDER BY position, service_id",
                                 {s.id})) {
    s.data.service_ids.push_back(row.int64(0));
  }
  return s;
}

// --- references ------------------------------------------------------------------------------

// Resolves a reference to a record of `kind` (by id, or by its code), or a 400 naming the field the
// reference came from.
Result<std::int64_t> resolve(Connection& c, const Ref& ref, RecordKind kind, const std::string& id_field,
                             const std::string& code_field) {
  const KindInfo& k = info(kind);
  if (ref.id != 0) {
    if (c.query_one(k.exists, {ref.id})) {
      return ref.id;
    }
    return fail(Error::field(id_field, "no " + std::string(k.name) + " with id " + std::to_string(ref.id)));
  }
  if (auto row = c.query_one(k.id_by_code, {ref.code})) {
    return row->int64(0);
  }
  return fail(Error::field(code_field, "no " + std::string(k.name) + " '" + ref.code + "'"));
}

Result<std::optional<std::int64_t>> resolve_parent(Connection& c, const CenterProfile& profile, const CenterRefs& refs,
                                                   std::optional<std::int64_t> self) {
  if (!refs.parent_given) {
    return profile.parent_id;
  }
  if (refs.parent.empty()) {
    return std::optional<std::int64_t>{};
  }
  VIKNO_TRY(id, resolve(c, refs.parent, RecordKind::center, "parent_id", "parent"));
  if (self && id == *self) {
    return fail(Error::field("parent_id", "a center cannot be its own parent"));
  }
  return std::optional<std::int64_t>(id);
}

// A center's parent must itself be a center (ЦНАП), which keeps the network two levels deep.
Result<void> check_parent_kind(Connection& c, const std::optional<std::int64_t>& parent) {
  if (!parent) {
    return {};
  }
  auto row = c.query_one("SELECT kind FROM centers WHERE id = ?", {*parent});
  if (row && row->text(0) != "center") {
    return fail(Error::field("parent_id", "the parent must be a center, not a " + row->text(0)));
  }
  return {};
}

std::vector<Value> center_values(const CenterProfile& p, const std::optional<std::int64_t>& parent) {
  return {text_or_null(p.code),
          std::string(to_string(p.kind)),
          parent ? Value(*parent) : Value(nullptr),
          std::string(to_string(p.founding_body)),
          p.founding_body_name,
          text_or_null(p.katottg),
          p.address,
          opt(p.latitude),
          opt(p.longitude),
          p.time_zone,
          opt(p.floor_area_m2),
          opt_int(p.technical_condition),
          opt_int(p.population_served),
          p.phone,
          p.email,
          p.website,
          std::string(to_string(p.status))};
}

void write_hours(Connection& c, std::int64_t center_id, const CenterProfile& p) {
  c.execute("DELETE FROM center_hours WHERE center_id = ?", {center_id});
  c.execute("DELETE FROM center_exceptions WHERE center_id = ?", {center_id});
  for (const auto& h : p.hours) {
    c.execute(kInsertHours, {center_id, std::int64_t{h.weekday}, format_hhmm(h.opens), format_hhmm(h.closes)});
  }
  for (const auto& e : p.exceptions) {
    c.execute(kInsertException, {center_id, e.day, std::int64_t{e.closed ? 1 : 0},
                                 e.closed ? Value(nullptr) : Value(format_hhmm(e.opens)),
                                 e.closed ? Value(nullptr) : Value(format_hhmm(e.closes)), e.reason});
  }
}

std::string search_text_of(const ServiceCard& card) {
  return normalize_search_text(card.title_uk + " " + card.title_en + " " + card.keywords + " " + card.result + " " +
                               card.description);
}

void write_card_children(Connection& c, std::int64_t vid, const ServiceCard& card) {
  for (std::size_t i = 0; i < card.documents.size(); ++i) {
    c.execute("INSERT INTO service_documents (service_version_id, position, name, note) VALUES (?, ?, ?, ?)",
              {vid, static_cast<std::int64_t>(i), card.documents[i].name, card.documents[i].note});
  }
  for (std::size_t i = 0; i < card.legal_basis.size(); ++i) {
    c.execute("INSERT INTO service_legal_acts (service_version_id, position, title, url) VALUES (?, ?, ?, ?)",
              {vid, static_cast<std::int64_t>(i), card.legal_basis[i].title, card.legal_basis[i].url});
  }
  for (const auto& ch : card.channels) {
    c.execute("INSERT INTO service_channels (service_version_id, channel, note) VALUES (?, ?, ?)",
              {vid, std::string(to_string(ch.channel)), ch.note});
  }
  for (auto p : card.purposes) {
    c.execute("INSERT INTO service_purposes (service_version_id, purpose) VALUES (?, ?)",
              {vid, std::string(to_string(p))});
  }
  for (std::size_t i = 0; i < card.stages.size(); ++i) {
    const auto& s = card.stages[i];
    c.execute("INSERT INTO service_stages (service_version_id, position, name, responsible, term_days, term_unit) "
              "VALUES (?, ?, ?, ?, ?, ?)",
              {vid, static_cast<std::int64_t>(i), s.name, s.responsible, std::int64_t{s.term.days},
               std::string(to_string(s.term.unit))});
  }
}

// Resolves group and provider and writes a new version of service `service_id`.
Result<std::int64_t> insert_version(Connection& c, std::int64_t service_id, const std::string& effective_from,
                                    ServiceCard card, const CardRefs& refs, Millis now, const std::string& actor) {
  Ref group = refs.group.empty() ? Ref{card.group_id, {}} : refs.group;
  Ref provider = refs.provider.empty() ? Ref{card.provider_id, {}} : refs.provider;
  if (group.empty()) {
    return fail(Error::field("group_id", "is required"));
  }
  if (provider.empty()) {
    return fail(Error::field("provider_id", "is required"));
  }
  VIKNO_TRY(group_id, resolve(c, group, RecordKind::service_group, "group_id", "group"));
  VIKNO_TRY(provider_id, resolve(c, provider, RecordKind::provider, "provider_id", "provider"));
  card.group_id = group_id;
  card.provider_id = provider_id;
  auto seq_row =
      c.query_one("SELECT COALESCE(MAX(seq), 0) + 1 FROM service_versions WHERE service_id = ?", {service_id});
  std::int64_t seq = seq_row->int64(0);
  auto row = c.query_one(kInsertVersion, {service_id,
                                          seq,
                                          effective_from,
                                          card.group_id,
                                          card.provider_id,
                                          card.title_uk,
                                          card.title_en,
                                          card.description,
                                          card.result,
                                          card.result_delivery,
                                          card.fee_kopiykas,
                                          card.payment_details,
                                          std::int64_t{card.term.days},
                                          std::string(to_string(card.term.unit)),
                                          std::int64_t{card.term_set_by_law ? 1 : 0},
                                          std::int64_t{card.typical_minutes},
                                          card.keywords,
                                          search_text_of(card),
                                          now,
                                          actor,
                                          std::int64_t{card.clock_stops_when_suspended ? 1 : 0},
                                          std::int64_t{card.storage_days}});
  std::int64_t vid = row->int64(0);
  write_card_children(c, vid, card);
  return vid;
}

Result<std::string> effective_date(const std::string& given, const std::string& today) {
  if (given.empty()) {
    return today;
  }
  if (!calendar::parse_iso_date(given)) {
    return fail(Error::field("effective_from", "must be a date YYYY-MM-DD"));
  }
  return given;
}

Result<std::vector<std::int64_t>> resolve_services(Connection& c, const std::vector<Ref>& refs,
                                                   const std::string& field) {
  std::vector<std::int64_t> out;
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < refs.size(); ++i) {
    const std::string path = field + "[" + std::to_string(i) + "]";
    VIKNO_TRY(id, resolve(c, refs[i], RecordKind::service, path, path));
    if (!seen.insert(id).second) {
      return fail(Error::field(path, "is listed twice"));
    }
    out.push_back(id);
  }
  return out;
}

template <class F> auto unique_or_conflict(F&& fn, std::string_view what) -> decltype(fn()) {
  try {
    return fn();
  } catch (const storage::UniqueViolation&) {
    return fail(Error::conflict("code_taken", "another " + std::string(what) + " has this code"));
  }
}

} // namespace

KyivTime kyiv_time(Millis t) {
  using namespace std::chrono;
  const sys_seconds utc{seconds{t / 1000}};
  const year y = year_month_day{floor<days>(utc)}.year();
  // EU rule: summer time from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC.
  auto last_sunday = [&](month m) { return sys_days{y / m / Sunday[last]} + hours{1}; };
  const bool summer = utc >= last_sunday(March) && utc < last_sunday(October);
  const auto local = utc + hours{summer ? 3 : 2};
  const auto day = floor<days>(local);
  return KyivTime{calendar::format_iso_date(year_month_day{day}), static_cast<int>(weekday{day}.iso_encoding()),
                  static_cast<MinuteOfDay>(duration_cast<minutes>(local - day).count())};
}

std::string kyiv_date(Millis t) { return kyiv_time(t).date; }

std::optional<MinuteOfDay> closing_time(const CenterProfile& profile, const KyivTime& local) {
  for (const auto& e : profile.exceptions) {
    if (e.day == local.date) {
      return e.closed ? std::nullopt : std::optional(e.closes);
    }
  }
  std::optional<MinuteOfDay> closes;
  for (const auto& h : profile.hours) {
    if (h.weekday == local.weekday) {
      closes = std::max(closes.value_or(0), h.closes);
    }
  }
  return closes;
}

namespace {
// The transaction of a batch running on this thread (see Registry::batch), or null.
thread_local Connection* t_batch = nullptr;
} // namespace

Registry::Registry(storage::Db& db, Clock clock) : db_(db), clock_(std::move(clock)) {}

template <class F> auto Registry::write(F&& fn) const -> std::invoke_result_t<F, Connection&> {
  if (t_batch != nullptr) {
    return fn(*t_batch);
  }
  return db_.transact(std::forward<F>(fn));
}

template <class F> auto Registry::read(F&& fn) const -> std::invoke_result_t<F, Connection&> {
  if (t_batch != nullptr) {
    return fn(*t_batch);
  }
  return db_.read(std::forward<F>(fn));
}

Result<void> Registry::batch(const std::function<Result<void>()>& fn) {
  if (t_batch != nullptr) {
    return fn();
  }
  return db_.transact([&](Connection& c) -> Result<void> {
    t_batch = &c;
    struct Reset {
      ~Reset() { t_batch = nullptr; }
    } reset;
    return fn();
  });
}

std::optional<std::int64_t> Registry::id_by_code(RecordKind kind, const std::string& code) const {
  return read([&](Connection& c) -> std::optional<std::int64_t> {
    if (auto row = c.query_one(info(kind).id_by_code, {code})) {
      return row->int64(0);
    }
    return std::nullopt;
  });
}

// --- centers ---------------------------------------------------------------------------------

Result<Center> Registry::create_center(const Actor& actor, const CenterProfile& profile, const CenterRefs& refs) {
  Problems problems;
  CenterProfile checked = profile;
  if (refs.parent_given && !refs.parent.empty()) {
    checked.parent_id = refs.parent.id != 0 ? refs.parent.id : -1; // resolved below; here only "has a parent"
  }
  check_center(checked, "", problems);
  VIKNO_CHECK(to_result(std::move(problems)));
  Millis now = clock_();
  return unique_or_conflict(
      [&] {
        return write([&](Connection& c) -> Result<Center> {
          VIKNO_TRY(parent, resolve_parent(c, profile, refs, std::nullopt));
          VIKNO_CHECK(check_parent_kind(c, parent));
          std::vector<Value> values{profile.name_uk, profile.name_en, now};
          for (auto& v : center_values(profile, parent)) {
            values.push_back(std::move(v));
          }
          values.emplace_back(now);
          auto row = c.query_one(kInsertCenter, values);
          std::int64_t id = row->int64(0);
          write_hours(c, id, profile);
          record_change(c, actor, now, "center.create", "center", id, "", version_ref(1));
          return load_center(c, id);
        });
      },
      "center");
}

Result<Center> Registry::update_center(const Actor& actor, std::int64_t id, std::int64_t version,
                                       const CenterProfile& profile, const CenterRefs& refs) {
  Problems problems;
  CenterProfile checked = profile;
  if (refs.parent_given) {
    checked.parent_id =
        refs.parent.empty() ? std::nullopt : std::optional<std::int64_t>(refs.parent.id ? refs.parent.id : -1);
  }
  check_center(checked, "", problems);
  VIKNO_CHECK(to_result(std::move(problems)));
  Millis now = clock_();
  return unique_or_conflict(
      [&] {
        return write([&](Connection& c) -> Result<Center> {
          VIKNO_TRY(parent, resolve_parent(c, profile, refs, id));
          VIKNO_CHECK(check_parent_kind(c, parent));
          std::vector<Value> values{profile.name_uk, profile.name_en, now};
          for (auto& v : center_values(profile, parent)) {
            values.push_back(std::move(v));
          }
          values.emplace_back(id);
          values.emplace_back(version);
          VIKNO_CHECK(update_versioned(c, RecordKind::center, kUpdateCenter, values, id));
          write_hours(c, id, profile);
          record_change(c, actor, now, "center.update", "center", id, version_ref(version), version_ref(version + 1));
          return load_center(c, id);
        });
      },
      "center");
}

Result<Center> Registry::set_windows(const Actor& actor, std::int64_t center_id, std::int64_t version,
                                     const std::vector<Window>& windows) {
  Problems problems;
  check_windows(windows, "", problems);
  VIKNO_CHECK(to_result(std::move(problems)));
  Millis now = clock_();
  return write([&](Connection& c) -> Result<Center> {
    VIKNO_CHECK(update_versioned(c, RecordKind::center, kBumpCenter, {now, center_id, version}, center_id));
    std::set<int> numbers;
    for (const auto& w : windows) {
      numbers.insert(w.number);
      auto existing = c.query_one("SELECT id, label, active FROM windows WHERE center_id = ? AND number = ?",
                                  {center_id, std::int64_t{w.number}});
      if (!existing) {
        c.execute("INSERT INTO windows (center_id, number, label, active) VALUES (?, ?, ?, ?)",
                  {center_id, std::int64_t{w.number}, w.label, std::int64_t{w.active ? 1 : 0}});
      } else if (existing->text(1) != w.label || (existing->int64(2) != 0) != w.active) {
        c.execute("UPDATE windows SET label = ?, active = ?, version = version + 1 WHERE id = ?",
                  {w.label, std::int64_t{w.active ? 1 : 0}, existing->int64(0)});
      }
    }
    // Windows left out are deactivated, not deleted: tickets and statistics refer to them.
    for (const auto& row : c.query("SELECT id, number FROM windows WHERE center_id = ? AND active = 1", {center_id})) {
      if (!numbers.contains(static_cast<int>(row.int64(1)))) {
        c.execute("UPDATE windows SET active = 0, version = version + 1 WHERE id = ?", {row.int64(0)});
      }
    }
    record_change(c, actor, now, "center.windows", "center", center_id, version_ref(version), version_ref(version + 1));
    return load_center(c, center_id);
  });
}

Result<Center> Registry::set_center_services(const Actor& actor, std::int64_t center_id, std::int64_t version,
                                             const std::vector<Ref>& services) {
  Millis now = clock_();
  return write([&](Connection& c) -> Result<Center> {
    VIKNO_CHECK(update_versioned(c, RecordKind::center, kBumpCenter, {now, center_id, version}, center_id));
    VIKNO_TRY(ids, resolve_services(c, services, "services"));
    std::set<std::int64_t> wanted(ids.begin(), ids.end());
    std::set<std::int64_t> have;
    for (const auto& row : c.query(kSelectCenterServices, {center_id})) {
      have.insert(row.int64(0));
    }
    for (auto id : have) {
      if (!wanted.contains(id)) {
        c.execute("DELETE FROM center_services WHERE center_id = ? AND service_id = ?", {center_id, id});
      }
    }
    for (auto id : wanted) {
      if (!have.contains(id)) {
        c.execute("INSERT INTO center_services (center_id, service_id) VALUES (?, ?)", {center_id, id});
      }
    }
    record_change(c, actor, now, "center.services", "center", center_id, version_ref(version),
                  version_ref(version + 1));
    return load_center(c, center_id);
  });
}

Result<Center> Registry::get_center(std::int64_t id) const {
  return read([&](Connection& c) { return load_center(c, id); });
}

std::vector<Center> Registry::list_centers() const {
  return read([&](Connection& c) {
    std::vector<Center> out;
    for (const auto& row : c.query(std::string(kSelectCenter) + " ORDER BY id")) {
      out.push_back(center_from_row(c, row));
    }
    return out;
  });
}

bool Registry::has_centers() const {
  return read([](Connection& c) { return c.query_one("SELECT 1 FROM centers LIMIT 1").has_value(); });
}

std::optional<std::int64_t> Registry::center_by_code(const std::string& code) const {
  return id_by_code(RecordKind::center, code);
}

// --- providers and groups --------------------------------------------------------------------

Result<Provider> Registry::create_provider(const Actor& actor, const ProviderData& data) {
  Problems problems;
  check_provider(data, "", problems);
  VIKNO_CHECK(to_result(std::move(problems)));
  Millis now = clock_();
  return unique_or_conflict(
      [&] {
        return write([&](Connection& c) -> Result<Provider> {
          auto row = c.query_one("INSERT INTO providers (code, name_uk, name_en, kind, address, phone, email, website, "
                                 "created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                 {data.code, data.name_uk, data.name_en, std::string(to_string(data.kind)),
                                  data.address, data.phone, data.email, data.website, now});
          std::int64_t id = row->int64(0);
          record_change(c, actor, now, "provider.create", "provider", id, "", version_ref(1));
          return Provider{id, 1, data};
        });
      },
      "provider");
}

Result<Provider> Registry::update_provider(const Actor& actor, std::int64_t id, std::int64_t version,
                                           const ProviderData& data) {
  Problems problems;
  check_provider(data, "", problems);
  VIKNO_CHECK(to_result(std::move(problems)));
  Millis now = clock_();
  return unique_or_conflict(
      [&] {
        return write([&](Connection& c) -> Result<Provider> {
          VIKNO_CHECK(update_versioned(c, RecordKind::provider, kUpdateProvider,
                                       {data.code, data.name_uk, data.name_en, std::string(to_string(data.kind)),
                                        data.address, data.phone, data.email, data.website, id, version},
                                       id));
          record_change(c, actor, now, "provider.update", "provider", id, version_ref(version),
                        version_ref(version + 1));
          return Provider{id, version + 1, data};
        });
      },
      "provider");
}

Result<Provider> Registry::get_provider(std::int64_t id) const {
  return read([&](Connection& c) -> Result<Provider> {
    auto row = c.query_one(std::string(kSelectProvider) + " WHERE id = ?", {id});
    if (!row) {
      return fail(missing(RecordKind::provider));
    }
    return provider_from_row(*row);
  });
}

std::vector<Provider> Registry::list_providers() const {
  return read([&](Connection& c) {
    std::vector<Provider> out;
    for (const auto& row : c.query(std::string(kSelectProvider) + " ORDER BY id")) {
      out.push_back(provider_from_row(row));
    }
    return out;
  });
}

namespace {
Result<void> check_letter_free(Connection& c, const GroupData& data, std::int64_t self) {
  if (auto row = c.query_one("SELECT code FROM service_groups WHERE ticket_letter = ? AND id <> ?",
                             {data.ticket_letter, self})) {
    return fail(Error::field("ticket_letter", "is already the letter of group '" + row->text(0) + "'"));
  }
  return {};
}
} // namespace

Result<ServiceGroup> Registry::create_group(const Actor& actor, const GroupData& data) {
  Problems problems;
  check_group(data, "", problems);
  VIKNO_CHECK(to_result(std::move(problems)));
  Millis now = clock_();
  return unique_or_conflict(
      [&] {
        return write([&](Connection& c) -> Result<ServiceGroup> {
          VIKNO_CHECK(check_letter_free(c, data, 0));
          auto row = c.query_one(
              "INSERT INTO service_groups (code, name_uk, name_en, ticket_letter, sort_order, "
              "created_at_ms) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
              {data.code, data.name_uk, data.name_en, data.ticket_letter, std::int64_t{data.sort_order}, now});
          std::int64_t id = row->int64(0);
          record_change(c, actor, now, "service_group.create", "service_group", id, "", version_ref(1));
          return ServiceGroup{id, 1, data};
        });
      },
      "service group");
}

Result<ServiceGroup> Registry::update_group(const Actor& actor, std::int64_t id, std::int64_t version,
                                            const GroupData& data) {
  Problems problems;
  check_group(data, "", problems);
  VIKNO_CHECK(to_result(std::move(problems)));
  Millis now = clock_();
  return unique_or_conflict(
      [&] {
        return write([&](Connection& c) -> Result<ServiceGroup> {
          VIKNO_CHECK(check_letter_free(c, data, id));
          VIKNO_CHECK(update_versioned(
              c, RecordKind::service_group, kUpdateGroup,
              {data.code, data.name_uk, data.name_en, data.ticket_letter, std::int64_t{data.sort_order}, id, version},
              id));
          record_change(c, actor, now, "service_group.update", "service_group", id, version_ref(version),
                        version_ref(version + 1));
          return ServiceGroup{id, version + 1, data};
        });
      },
      "service group");
}

Result<ServiceGroup> Registry::get_group(std::int64_t id) const {
  return read([&](Connection& c) -> Result<ServiceGroup> {
    auto row = c.query_one(std::string(kSelectGroup) + " WHERE id = ?", {id});
    if (!row) {
      return fail(missing(RecordKind::service_group));
    }
    return group_from_row(*row);
  });
}

std::vector<ServiceGroup> Registry::list_groups() const {
  return read([&](Connection& c) {
    std::vector<ServiceGroup> out;
    for (const auto& row : c.query(std::string(kSelectGroup) + " ORDER BY sort_order, id")) {
      out.push_back(group_from_row(row));
    }
    return out;
  });
}

// --- services --------------------------------------------------------------------------------

Result<Service> Registry::create_service(const Actor& actor, const std::string& identifier,
                                         const std::string& effective_from, const ServiceCard& card,
                                         const CardRefs& refs) {
  Problems problems;
  if (identifier.empty() || identifier.size() > 100) {
    problems.push_back({"identifier", "is required (1 to 100 characters)", 0});
  }
  check_service_card(card, "", problems);
  VIKNO_CHECK(to_result(std::move(problems)));
  VIKNO_TRY(from, effective_date(effective_from, today()));
  Millis now = clock_();
  try {
    return write([&](Connection& c) -> Result<Service> {
      auto row =
          c.query_one("INSERT INTO services (identifier, created_at_ms) VALUES (?, ?) RETURNING id", {identifier, now});
      std::int64_t id = row->int64(0);
      VIKNO_TRY(vid, insert_version(c, id, from, card, refs, now, actor.principal.actor()));
      record_change(c, actor, now, "service.create", "service", id, "", "version_id=" + std::to_string(vid));
      auto loaded = c.query_one(std::string(kSelectVersion) + " WHERE sv.id = ?", {vid});
      return service_from_row(c, *loaded);
    });
  } catch (const storage::UniqueViolation&) {
    return fail(Error::conflict("identifier_taken", "a service with this identifier exists"));
  }
}

Result<Service> Registry::update_service(const Actor& actor, std::int64_t id, std::int64_t version,
                                         const std::string& effective_from, const ServiceCard& card,
                                         const CardRefs& refs) {
  Problems problems;
  check_service_card(card, "", problems);
  VIKNO_CHECK(to_result(std::move(problems)));
  VIKNO_TRY(from, effective_date(effective_from, today()));
  Millis now = clock_();
  return write([&](Connection& c) -> Result<Service> {
    VIKNO_CHECK(update_versioned(c, RecordKind::service, kBumpService, {id, version}, id));
    VIKNO_TRY(vid, insert_version(c, id, from, card, refs, now, actor.principal.actor()));
    record_change(c, actor, now, "service.update", "service", id, version_ref(version),
                  "version_id=" + std::to_string(vid));
    auto loaded = c.query_one(std::string(kSelectVersion) + " WHERE sv.id = ?", {vid});
    return service_from_row(c, *loaded);
  });
}

Result<Service> Registry::get_service(std::int64_t id, const std::string& date) const {
  const std::string on = date.empty() ? today() : date;
  return read([&](Connection& c) -> Result<Service> {
    auto row = c.query_one(std::string(kSelectVersion) + " WHERE s.id = ? AND sv.effective_from <= ? "
                                                         "ORDER BY sv.effective_from DESC, sv.seq DESC LIMIT 1",
                           {id, on});
    if (!row) {
      row = c.query_one(std::string(kSelectVersion) + " WHERE s.id = ? ORDER BY sv.seq LIMIT 1", {id});
    }
    if (!row) {
      return fail(missing(RecordKind::service));
    }
    return service_from_row(c, *row);
  });
}

Result<Service> Registry::latest_service(std::int64_t id) const {
  return read([&](Connection& c) -> Result<Service> {
    auto row = c.query_one(std::string(kSelectVersion) + " WHERE s.id = ? ORDER BY sv.seq DESC LIMIT 1", {id});
    if (!row) {
      return fail(missing(RecordKind::service));
    }
    return service_from_row(c, *row);
  });
}

Result<Service> Registry::service_version(std::int64_t version_id) const {
  return read([&](Connection& c) -> Result<Service> {
    auto row = c.query_one(std::string(kSelectVersion) + " WHERE sv.id = ?", {version_id});
    if (!row) {
      return fail(Error::not_found("service_version_not_found", "no service version with this id"));
    }
    return service_from_row(c, *row);
  });
}

std::vector<ServiceVersionInfo> Registry::service_versions(std::int64_t id) const {
  return read([&](Connection& c) {
    std::vector<ServiceVersionInfo> out;
    for (const auto& r : c.query("SELECT id, seq, effective_from, created_at_ms, created_by FROM service_versions "
                                 "WHERE service_id = ? ORDER BY seq",
                                 {id})) {
      out.push_back({r.int64(0), static_cast<int>(r.int64(1)), r.text(2), r.int64(3), r.text(4)});
    }
    return out;
  });
}

std::optional<std::int64_t> Registry::service_by_identifier(const std::string& identifier) const {
  return id_by_code(RecordKind::service, identifier);
}

std::vector<Service> Registry::list_services(const std::string& date) const {
  const std::string on = date.empty() ? today() : date;
  return read([&](Connection& c) {
    std::vector<Service> out;
    for (const auto& row :
         c.query(std::string(kSelectVersion) + " WHERE sv.id = " + std::string(kCurrentVersionId) + " ORDER BY s.id",
                 {on})) {
      out.push_back(service_from_row(c, row));
    }
    return out;
  });
}

// --- life situations -------------------------------------------------------------------------

Result<LifeSituation> Registry::create_life_situation(const Actor& actor, const LifeSituationData& data,
                                                      const std::vector<Ref>& services) {
  Problems problems;
  check_life_situation(data, "", problems);
  VIKNO_CHECK(to_result(std::move(problems)));
  Millis now = clock_();
  return unique_or_conflict(
      [&] {
        return write([&](Connection& c) -> Result<LifeSituation> {
          VIKNO_TRY(ids, resolve_services(c, services, "services"));
          auto row = c.query_one("INSERT INTO life_situations (code, name_uk, name_en, description, created_at_ms) "
                                 "VALUES (?, ?, ?, ?, ?) RETURNING id",
                                 {data.code, data.name_uk, data.name_en, data.description, now});
          std::int64_t id = row->int64(0);
          for (std::size_t i = 0; i < ids.size(); ++i) {
            c.execute("INSERT INTO life_situation_services (life_situation_id, service_id, position) VALUES (?, ?, ?)",
                      {id, ids[i], static_cast<std::int64_t>(i)});
          }
          record_change(c, actor, now, "life_situation.create", "life_situation", id, "", version_ref(1));
          return life_situation_from_row(c, *c.query_one(std::string(kSelectLifeSituation) + " WHERE id = ?", {id}));
        });
      },
      "life situation");
}

Result<LifeSituation> Registry::update_life_situation(const Actor& actor, std::int64_t id, std::int64_t version,
                                                      const LifeSituationData& data, const std::vector<Ref>* services) {
  Problems problems;
  check_life_situation(data, "", problems);
  VIKNO_CHECK(to_result(std::move(problems)));
  Millis now = clock_();
  return unique_or_conflict(
      [&] {
        return write([&](Connection& c) -> Result<LifeSituation> {
          VIKNO_CHECK(update_versioned(c, RecordKind::life_situation, kUpdateLifeSituation,
                                       {data.code, data.name_uk, data.name_en, data.description, id, version}, id));
          if (services != nullptr) {
            VIKNO_TRY(ids, resolve_services(c, *services, "services"));
            c.execute("DELETE FROM life_situation_services WHERE life_situation_id = ?", {id});
            for (std::size_t i = 0; i < ids.size(); ++i) {
              c.execute("INSERT INTO life_situation_services (life_situation_id, service_id, position) VALUES (?, ?, "
                        "?)",
                        {id, ids[i], static_cast<std::int64_t>(i)});
            }
          }
          record_change(c, actor, now, "life_situation.update", "life_situation", id, version_ref(version),
                        version_ref(version + 1));
          return life_situation_from_row(c, *c.query_one(std::string(kSelectLifeSituation) + " WHERE id = ?", {id}));
        });
      },
      "life situation");
}

Result<LifeSituation> Registry::get_life_situation(std::int64_t id) const {
  return read([&](Connection& c) -> Result<LifeSituation> {
    auto row = c.query_one(std::string(kSelectLifeSituation) + " WHERE id = ?", {id});
    if (!row) {
      return fail(missing(RecordKind::life_situation));
    }
    return life_situation_from_row(c, *row);
  });
}

std::vector<LifeSituation> Registry::list_life_situations() const {
  return read([&](Connection& c) {
    std::vector<LifeSituation> out;
    for (const auto& row : c.query(std::string(kSelectLifeSituation) + " ORDER BY id")) {
      out.push_back(life_situation_from_row(c, row));
    }
    return out;
  });
}

// --- staff skills ----------------------------------------------------------------------------

std::vector<StaffSkills> Registry::staff_skills(std::int64_t center_id) const {
  return read([&](Connection& c) {
    std::vector<StaffSkills> out;
    for (const auto& r : c.query("SELECT u.id, u.login, u.name, u.role, uc.skills_version FROM users u JOIN "
                                 "user_centers uc ON uc.user_id = u.id WHERE uc.center_id = ? ORDER BY u.id",
                                 {center_id})) {
      StaffSkills s{r.int64(0), r.text(1), r.text(2), r.text(3), r.int64(4), {}};
      for (const auto& k : c.query("SELECT k.group_id, k.level FROM staff_skills k JOIN service_groups g ON g.id = "
                                   "k.group_id WHERE k.user_id = ? AND k.center_id = ? ORDER BY g.sort_order, g.id",
                                   {s.user_id, center_id})) {
        s.skills.push_back({k.int64(0), skill_level_from(k.text(1)).value_or(SkillLevel::secondary)});
      }
      out.push_back(std::move(s));
    }
    return out;
  });
}

Result<StaffSkills> Registry::set_skills(const Actor& actor, std::int64_t center_id, std::int64_t user_id,
                                         std::int64_t version, const std::vector<SkillRef>& skills) {
  Millis now = clock_();
  auto result = write([&](Connection& c) -> Result<void> {
    VIKNO_CHECK(update_versioned(c, kBumpSkills, {user_id, center_id, version}, kStaffInCenter, {user_id, center_id},
                                 not_in_center(), "skill set"));
    std::vector<Skill> resolved;
    for (std::size_t i = 0; i < skills.size(); ++i) {
      const std::string path = "skills[" + std::to_string(i) + "]";
      VIKNO_TRY(group, resolve(c, skills[i].group, RecordKind::service_group, path + ".group_id", path + ".group"));
      resolved.push_back({group, skills[i].level});
    }
    Problems problems;
    check_skills(resolved, "", problems);
    VIKNO_CHECK(to_result(std::move(problems)));
    c.execute("DELETE FROM staff_skills WHERE user_id = ? AND center_id = ?", {user_id, center_id});
    for (const auto& s : resolved) {
      c.execute("INSERT INTO staff_skills (user_id, center_id, group_id, level) VALUES (?, ?, ?, ?)",
                {user_id, center_id, s.group_id, std::string(to_string(s.level))});
    }
    record_change(c, actor, now, "staff.skills", "user", user_id, version_ref(version), version_ref(version + 1));
    return {};
  });
  if (!result) {
    return fail(result.error());
  }
  for (auto& s : staff_skills(center_id)) {
    if (s.user_id == user_id) {
      return s;
    }
  }
  return fail(not_in_center());
}

// --- search ----------------------------------------------------------------------------------

SearchPage Registry::search(const SearchQuery& query) const {
  SearchPage page;
  page.page = std::max(1, query.page);
  page.per_page = std::clamp(query.per_page, 1, 100);
  std::string where = " WHERE sv.id = " + std::string(kCurrentVersionId);
  std::vector<Value> params{today()};
  if (query.center_id) {
    where += " AND EXISTS (SELECT 1 FROM center_services cs WHERE cs.center_id = ? AND cs.service_id = s.id)";
    params.emplace_back(*query.center_id);
  }
  if (query.group_id) {
    where += " AND sv.group_id = ?";
    params.emplace_back(*query.group_id);
  }
  if (query.life_situation_id) {
    where += " AND EXISTS (SELECT 1 FROM life_situation_services ls WHERE ls.life_situation_id = ? AND "
             "ls.service_id = s.id)";
    params.emplace_back(*query.life_situation_id);
  }
  // Words hold only letters and digits after normalization, so they need no LIKE escaping.
  const auto words = search_words(query.text);
  for (const auto& word : words) {
    where += " AND sv.search_text LIKE ?";
    params.emplace_back("%" + word + "%");
  }
  const std::string from = " FROM services s JOIN service_versions sv ON sv.service_id = s.id";
  return read([&](Connection& c) {
    page.total = c.query_one("SELECT COUNT(*)" + from + where, params)->int64(0);
    std::vector<Value> paged = params;
    paged.emplace_back(static_cast<std::int64_t>(page.per_page));
    paged.emplace_back(static_cast<std::int64_t>(page.page - 1) * page.per_page);
    // Relevance, roughly: the earlier the first word appears (the title comes first in the search
    // text), the better; then alphabetical.
    std::string order = " ORDER BY ";
    if (!words.empty()) {
      order += db_.dialect() == storage::Dialect::sqlite ? "instr(sv.search_text, ?), " : "strpos(sv.search_text, ?), ";
      paged.insert(paged.end() - 2, Value(words.front()));
    }
    order += "sv.search_text, s.id LIMIT ? OFFSET ?";
    std::string sql = "SELECT s.id, s.identifier, sv.title_uk, sv.title_en, sv.group_id, sv.provider_id, "
                      "sv.fee_kopiykas, sv.term_days, sv.term_unit";
    sql += from;
    sql += where;
    sql += order;
    for (const auto& r : c.query(sql, paged)) {
      page.items.push_back(
          {r.int64(0), r.text(1), r.text(2), r.text(3), r.int64(4), r.int64(5), r.int64(6),
           Term{static_cast<int>(r.int64(7)), term_unit_from(r.text(8)).value_or(TermUnit::calendar_days)}});
    }
    return page;
  });
}

} // namespace vikno::registry
