// Pure checks of registry input (перевірка даних реєстру): each returns every problem it finds,
// each naming its field path ("hours[2].closes", "fee.kopiykas"), so the API answers 400 with all
// of them at once and an import can list them by line. No IO: references to other records
// (an unknown provider) are checked by the service inside its transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "common/problems.hpp"
#include "registry/model.hpp"

namespace vikno::registry {

// КАТОТТГ code: "UA" and 17 digits.
bool valid_katottg(std::string_view code);
// An IANA zone name as written ("Europe/Kyiv", "UTC"); whether the zone exists is not checked here.
bool plausible_time_zone(std::string_view zone);
// "HH:MM", 00:00..24:00; nullopt otherwise.
std::optional<MinuteOfDay> parse_hhmm(std::string_view text);
std::string format_hhmm(MinuteOfDay minutes);
// Outside identifiers: 1..100 characters of a-z, 0-9, '-', '_', '.' (case as given for services).
bool valid_code(std::string_view code);

// Each check appends to `out`, prefixing field paths with `prefix` ("" or "centers[3].").
void check_center(const CenterProfile& center, const std::string& prefix, Problems& out);
void check_hours(const std::vector<OpeningInterval>& hours, const std::string& prefix, Problems& out);
void check_exceptions(const std::vector<HoursException>& exceptions, const std::string& prefix, Problems& out);
void check_windows(const std::vector<Window>& windows, const std::string& prefix, Problems& out);
void check_provider(const ProviderData& provider, const std::string& prefix, Problems& out);
void check_group(const GroupData& group, const std::string& prefix, Problems& out);
void check_service_card(const ServiceCard& card, const std::string& prefix, Problems& out);
void check_life_situation(const LifeSituationData& situation, const std::string& prefix, Problems& out);
void check_skills(const std::vector<Skill>& skills, const std::string& prefix, Problems& out);

} // namespace vikno::registry
