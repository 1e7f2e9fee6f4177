#include "registry/model.hpp"

#include "common/enum_names.hpp"

namespace vikno::registry {

namespace {

constexpr EnumNames<CenterKind, 5> kCenterKinds{
    {"center", "branch", "remote_workplace", "mobile_office", "mobile_case"}};
constexpr EnumNames<CenterStatus, 4> kStatuses{{"active", "planned", "suspended", "closed"}};
constexpr EnumNames<FoundingBody, 6> kFoundingBodies{
    {"none", "city_council", "town_council", "village_council", "hromada_council", "raion_administration"}};
constexpr EnumNames<TermUnit, 2> kTermUnits{{"calendar_days", "working_days"}};
constexpr EnumNames<Channel, 3> kChannels{{"in_person", "online", "mail"}};
constexpr EnumNames<ProviderKind, 5> kProviderKinds{{"city_department", "state_body", "registrar", "utility", "other"}};
constexpr EnumNames<SkillLevel, 2> kSkillLevels{{"primary", "secondary"}};

} // namespace

std::string_view to_string(CenterKind v) { return kCenterKinds.of(v); }
std::string_view to_string(CenterStatus v) { return kStatuses.of(v); }
std::string_view to_string(FoundingBody v) { return kFoundingBodies.of(v); }
std::string_view to_string(TermUnit v) { return kTermUnits.of(v); }
std::string_view to_string(Channel v) { return kChannels.of(v); }
std::string_view to_string(ProviderKind v) { return kProviderKinds.of(v); }
std::string_view to_string(SkillLevel v) { return kSkillLevels.of(v); }
std::optional<CenterKind> center_kind_from(std::string_view s) { return kCenterKinds.from(s); }
std::optional<CenterStatus> center_status_from(std::string_view s) { return kStatuses.from(s); }
std::optional<FoundingBody> founding_body_from(std::string_view s) { return kFoundingBodies.from(s); }
std::optional<TermUnit> term_unit_from(std::string_view s) { return kTermUnits.from(s); }
std::optional<Channel> channel_from(std::string_view s) { return kChannels.from(s); }
std::optional<ProviderKind> provider_kind_from(std::string_view s) { return kProviderKinds.from(s); }
std::optional<SkillLevel> skill_level_from(std::string_view s) { return kSkillLevels.from(s); }

} // namespace vikno::registry
