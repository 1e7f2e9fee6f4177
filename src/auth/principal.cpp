#include "auth/principal.hpp"

#include <array>
#include <utility>

namespace vikno::auth {

namespace {
constexpr std::array<std::pair<Role, std::string_view>, 5> kRoles{{
    {Role::system_admin, "system_admin"},
    {Role::regional_analyst, "regional_analyst"},
    {Role::center_head, "center_head"},
    {Role::administrator, "administrator"},
    {Role::provider_employee, "provider_employee"},
}};
} // namespace

std::string_view to_string(Role role) {
  for (const auto& [r, name] : kRoles) {
    if (r == role) {
      return name;
    }
  }
  return "unknown";
}

std::optional<Role> role_from_string(std::string_view text) {
  for (const auto& [r, name] : kRoles) {
    if (name == text) {
      return r;
    }
  }
  return std::nullopt;
}

std::string_view to_string(DevicePurpose purpose) { return purpose == DevicePurpose::kiosk ? "kiosk" : "display"; }

std::optional<DevicePurpose> device_purpose_from_string(std::string_view text) {
  if (text == "kiosk") {
    return DevicePurpose::kiosk;
  }
  if (text == "display") {
    return DevicePurpose::display;
  }
  return std::nullopt;
}

std::string Principal::actor() const {
  switch (kind) {
  case PrincipalKind::user:
    return "user:" + std::to_string(id);
  case PrincipalKind::device:
    return "device:" + std::to_string(id);
  case PrincipalKind::api_token:
    return "token:" + std::to_string(id);
  case PrincipalKind::system:
    return "system";
  case PrincipalKind::anonymous:
    break;
  }
  return "anonymous";
}

} // namespace vikno::auth
