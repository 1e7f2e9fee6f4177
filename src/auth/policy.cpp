#include "auth/policy.hpp"

#include <algorithm>

namespace vikno::auth {

std::string_view to_string(Permission permission) {
  switch (permission) {
  case Permission::public_read:
    return "public_read";
  case Permission::signed_in:
    return "signed_in";
  case Permission::users_manage:
    return "users_manage";
  case Permission::center_read:
    return "center_read";
  case Permission::center_manage:
    return "center_manage";
  case Permission::queue_operate:
    return "queue_operate";
  case Permission::kiosk:
    return "kiosk";
  case Permission::display:
    return "display";
  case Permission::device:
    return "device";
  case Permission::queue_watch:
    return "queue_watch";
  case Permission::case_front_office:
    return "case_front_office";
  case Permission::case_read:
    return "case_read";
  case Permission::case_provider:
    return "case_provider";
  case Permission::report_read:
    return "report_read";
  }
  return "unknown";
}

// What each role may do, regardless of center; the center check follows.
bool role_allows(Role role, Permission permission) {
  switch (permission) {
  case Permission::public_read:
  case Permission::signed_in:
    return true;
  case Permission::users_manage:
    return role == Role::system_admin;
  case Permission::center_read:
  case Permission::queue_watch:
    return true; // every role reads the centers it belongs to
  case Permission::center_manage:
    return role == Role::system_admin || role == Role::center_head;
  case Permission::queue_operate:
    return role == Role::system_admin || role == Role::center_head || role == Role::administrator;
  case Permission::kiosk:
  case Permission::display:
  case Permission::device:
    return false; // devices only
  case Permission::case_front_office:
    return role == Role::center_head || role == Role::administrator;
  case Permission::case_read:
    return role == Role::center_head || role == Role::administrator || role == Role::provider_employee;
  case Permission::case_provider:
    return role == Role::provider_employee;
  case Permission::report_read:
    return role == Role::system_admin || role == Role::regional_analyst || role == Role::center_head;
  }
  return false;
}

namespace {

bool in_center(const Principal& principal, std::optional<std::int64_t> center) {
  if (!center) {
    return true;
  }
  if (principal.role == Role::system_admin) {
    return true;
  }
  return std::find(principal.centers.begin(), principal.centers.end(), *center) != principal.centers.end();
}

} // namespace

Result<void> authorize(const Principal& principal, Permission permission, std::optional<std::int64_t> center) {
  if (permission == Permission::public_read) {
    return {};
  }
  if (!principal.signed_in()) {
    return fail(Error::unauthenticated());
  }
  if (principal.kind == PrincipalKind::system) {
    return {};
  }
  if (principal.kind == PrincipalKind::device) {
    bool fits = permission == Permission::device ||
                (permission == Permission::kiosk && principal.device_purpose == DevicePurpose::kiosk) ||
                (permission == Permission::display && principal.device_purpose == DevicePurpose::display) ||
                permission == Permission::queue_watch;
    if (!fits || !in_center(principal, center)) {
      return fail(Error::forbidden("this device may not do that"));
    }
    return {};
  }
  if (!principal.role || !role_allows(*principal.role, permission)) {
    return fail(Error::forbidden("your role may not do that"));
  }
  if (!in_center(principal, center)) {
    return fail(Error::forbidden("you do not act in this center"));
  }
  return {};
}

} // namespace vikno::auth
