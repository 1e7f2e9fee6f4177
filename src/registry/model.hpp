// The registry's data (реєстр ЦНАП і послуг): access points of the network and their profile,
// opening hours and windows; providers (суб'єкти надання), service groups (напрями), services
// (адміністративні послуги) with their information card (інформаційна картка) and technological
// card (технологічна картка); life situations (життєві ситуації, комплексні послуги); staff skills.
//
// Plain structs, no IO. Ids are database ids; `code` / `identifier` are the stable outside keys an
// import matches on. Every stored record carries `version`: a writer sends the version it read and
// gets 409 version_conflict when somebody changed the record in between.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/calendar.hpp"
#include "common/purpose.hpp"

namespace vikno::registry {

// Kinds of access point (DOMAIN.md "Centers and the network").
enum class CenterKind { center, branch, remote_workplace, mobile_office, mobile_case };
enum class CenterStatus { active, planned, suspended, closed };
// Who founded the center (its typification): a council or a raion state administration.
enum class FoundingBody { none, city_council, town_council, village_council, hromada_council, raion_administration };

// The same unit the deadline arithmetic counts in.
using TermUnit = calendar::TermUnit;
enum class Channel { in_person, online, mail };
// What a visitor picks at the kiosk (common/purpose.hpp).
using vikno::Purpose;
using vikno::purpose_from;
using vikno::to_string;
enum class ProviderKind { city_department, state_body, registrar, utility, other };
enum class SkillLevel { primary, secondary };

std::string_view to_string(CenterKind v);
std::string_view to_string(CenterStatus v);
std::string_view to_string(FoundingBody v);
std::string_view to_string(TermUnit v);
std::string_view to_string(Channel v);
std::string_view to_string(ProviderKind v);
std::string_view to_string(SkillLevel v);
std::optional<CenterKind> center_kind_from(std::string_view s);
std::optional<CenterStatus> center_status_from(std::string_view s);
std::optional<FoundingBody> founding_body_from(std::string_view s);
std::optional<TermUnit> term_unit_from(std::string_view s);
std::optional<Channel> channel_from(std::string_view s);
std::optional<ProviderKind> provider_kind_from(std::string_view s);
std::optional<SkillLevel> skill_level_from(std::string_view s);

// Minutes since midnight, local time of the center. "HH:MM" in JSON.
using MinuteOfDay = int;

struct OpeningInterval {
  int weekday = 1; // 1 = Monday .. 7 = Sunday (ISO)
  MinuteOfDay opens = 0;
  MinuteOfDay closes = 0;
  bool operator==(const OpeningInterval&) const = default;
};

// A dated exception: closed all day, or open at other hours that day.
struct HoursException {
  std::string day; // YYYY-MM-DD
  bool closed = true;
  MinuteOfDay opens = 0;
  MinuteOfDay closes = 0;
  std::string reason;
  bool operator==(const HoursException&) const = default;
};

struct Window {
  std::int64_t id = 0;
  int number = 0;
  std::string label;
  bool active = true;
  std::int64_t version = 1;
};

// What a center head or an import may set on an access point.
struct CenterProfile {
  std::string code; // outside identifier ("kropyvnytskyi"); empty for none
  std::string name_uk;
  std::string name_en;
  CenterKind kind = CenterKind::center;
  std::optional<std::int64_t> parent_id;
  FoundingBody founding_body = FoundingBody::none;
  std::string founding_body_name;
  std::string katottg; // "" when unknown; else ^UA\d{17}$
  std::string address;
  std::optional<double> latitude;
  std::optional<double> longitude;
  std::string time_zone = "Europe/Kyiv";
  std::optional<double> floor_area_m2;
  std::optional<int> technical_condition; // 1 (bad) .. 5 (excellent)
  std::optional<std::int64_t> population_served;
  std::string phone;
  std::string email;
  std::string website;
  CenterStatus status = CenterStatus::active;
  std::vector<OpeningInterval> hours;
  std::vector<HoursException> exceptions;
  bool operator==(const CenterProfile&) const = default;
};

struct Center {
  std::int64_t id = 0;
  std::int64_t version = 1;
  CenterProfile profile;
  std::vector<Window> windows;
  std::vector<std::int64_t> service_ids; // services offered here
};

struct ProviderData {
  std::string code;
  std::string name_uk;
  std::string name_en;
  ProviderKind kind = ProviderKind::other;
  std::string address;
  std::string phone;
  std::string email;
  std::string website;
  bool operator==(const ProviderData&) const = default;
};

struct Provider {
  std::int64_t id = 0;
  std::int64_t version = 1;
  ProviderData data;
};

struct GroupData {
  std::string code;
  std::string name_uk;
  std::string name_en;
  std::string ticket_letter; // one letter (Latin or Cyrillic), shown on tickets: "A-015"
  int sort_order = 0;
  bool operator==(const GroupData&) const = default;
};

struct ServiceGroup {
  std::int64_t id = 0;
  std::int64_t version = 1;
  GroupData data;
};

struct Term {
  int days = 30;
  TermUnit unit = TermUnit::calendar_days;
  bool operator==(const Term&) const = default;
};

struct RequiredDocument {
  std::string name;
  std::string note;
  bool operator==(const RequiredDocument&) const = default;
};

struct LegalAct {
  std::string title;
  std::string url;
  bool operator==(const LegalAct&) const = default;
};

struct ChannelInfo {
  Channel channel = Channel::in_person;
  std::string note; // a URL for online, an address for mail
  bool operator==(const ChannelInfo&) const = default;
};

struct Stage {
  std::string name;
  std::string responsible;
  Term term{1, TermUnit::working_days};
  bool operator==(const Stage&) const = default;
};

// One version of a service's information and technological cards.
struct ServiceCard {
  std::int64_t group_id = 0;
  std::int64_t provider_id = 0;
  std::string title_uk;
  std::string title_en;
  std::string description;
  std::string result;
  std::string result_delivery;   // how the result is received
  std::int64_t fee_kopiykas = 0; // 0 = free
  std::string payment_details;
  Term term;                    // 30 calendar days when the law names none
  bool term_set_by_law = false; // true once a term is given: else the 30-day default applies
  int typical_minutes = 15;     // a typical visit at the window
  // What a case of this service keeps (cases/rules.hpp): whether its clock stops while it waits for
  // the applicant's documents, and how long a result waits at the center before it is unclaimed
  // (30 days by default; a foreign passport 1 month, an ID card 3).
  bool clock_stops_when_suspended = true;
  int storage_days = 30;
  std::string keywords; // extra words for search
  std::vector<RequiredDocument> documents;
  std::vector<LegalAct> legal_basis;
  std::vector<ChannelInfo> channels;
  std::vector<Purpose> purposes;
  std::vector<Stage> stages;
  bool operator==(const ServiceCard&) const = default;
};

struct ServiceVersion {
  std::int64_t id = 0; // what a case records
  int seq = 1;
  std::string effective_from; // YYYY-MM-DD
  ServiceCard card;
};

struct Service {
  std::int64_t id = 0;
  std::string identifier; // opaque national identifier (a UUID in the Diia guide)
  std::int64_t version = 1;
  ServiceVersion current;
};

struct LifeSituationData {
  std::string code;
  std::string name_uk;
  std::string name_en;
  std::string description;
  std::vector<std::int64_t> service_ids;
  bool operator==(const LifeSituationData&) const = default;
};

struct LifeSituation {
  std::int64_t id = 0;
  std::int64_t version = 1;
  LifeSituationData data;
};

struct Skill {
  std::int64_t group_id = 0;
  SkillLevel level = SkillLevel::primary;
  bool operator==(const Skill&) const = default;
};

struct StaffSkills {
  std::int64_t user_id = 0;
  std::string login;
  std::string name;
  std::string role;
  std::int64_t version = 1; // of the whole skill set in this center
  std::vector<Skill> skills;
};

// A catalog search: words in Ukrainian and filters; paged.
struct SearchQuery {
  std::string text;
  std::optional<std::int64_t> center_id;
  std::optional<std::int64_t> group_id;
  std::optional<std::int64_t> life_situation_id;
  int page = 1;
  int per_page = 20;
};

struct SearchHit {
  std::int64_t service_id = 0;
  std::string identifier;
  std::string title_uk;
  std::string title_en;
  std::int64_t group_id = 0;
  std::int64_t provider_id = 0;
  std::int64_t fee_kopiykas = 0;
  Term term;
};

struct SearchPage {
  std::vector<SearchHit> items;
  std::int64_t total = 0;
  int page = 1;
  int per_page = 20;
};

} // namespace vikno::registry
