#include "queue/model.hpp"

#include "common/enum_names.hpp"

namespace vikno::queue {

namespace {

constexpr EnumNames<TicketState, 7> kStates{{"waiting", "called", "serving", "done", "no_show", "cancelled", "closed"}};
constexpr EnumNames<Source, 4> kSources{{"kiosk", "desk", "web", "booking"}};
constexpr EnumNames<Outcome, 5> kOutcomes{
    {"consultation_given", "application_registered", "result_issued", "refused", "other"}};
constexpr EnumNames<AdministratorStatus, 3> kAdministratorStatuses{{"available", "paused", "signed_out"}};
constexpr EnumNames<PickRule, 6> kRules{
    {"transfer", "booking", "priority", "wait_limit", "primary_skill", "secondary_skill"}};

} // namespace

std::string_view to_string(TicketState v) { return kStates.of(v); }
std::string_view to_string(Source v) { return kSources.of(v); }
std::string_view to_string(Outcome v) { return kOutcomes.of(v); }
std::string_view to_string(AdministratorStatus v) { return kAdministratorStatuses.of(v); }
std::string_view to_string(PickRule v) { return kRules.of(v); }
std::optional<TicketState> ticket_state_from(std::string_view s) { return kStates.from(s); }
std::optional<Source> source_from(std::string_view s) { return kSources.from(s); }
std::optional<Outcome> outcome_from(std::string_view s) { return kOutcomes.from(s); }
std::optional<AdministratorStatus> administrator_status_from(std::string_view s) {
  return kAdministratorStatuses.from(s);
}
std::optional<PickRule> pick_rule_from(std::string_view s) { return kRules.from(s); }

bool is_final(TicketState s) {
  return s == TicketState::done || s == TicketState::no_show || s == TicketState::cancelled || s == TicketState::closed;
}

} // namespace vikno::queue
