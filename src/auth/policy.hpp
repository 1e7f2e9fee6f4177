// Policy: the one place that decides whether a principal may do something in a center.
// Every route names a Permission (and where the center comes from); the HTTP layer calls
// authorize() before the handler runs, so no handler re-implements access rules. The role x center
// matrix test (tests/unit/auth/policy_test.cpp) pins the whole table.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "auth/principal.hpp"
#include "common/error.hpp"

namespace vikno::auth {

enum class Permission {
  public_read,   // anyone, signed in or not
  signed_in,     // any staff user or API token; no center involved
  users_manage,  // create users and API tokens, read the audit log (system admin)
  center_read,   // read a center's staff, devices and (later) queue state and reports
  center_manage, // change a center: staff, devices, settings
  queue_operate, // work at a window (administrators, heads)
  kiosk,         // device: issue tickets
  display,       // device: read the display board
  device,        // any device token, for its own center
  queue_watch,   // follow a center's queue live: its kiosks and displays, and its staff
  // Applications (cases): the applicant's personal data is read only by the center's own staff.
  case_front_office, // register cases, receive results back and issue them (administrators, heads)
  case_read,         // read a case with its applicant (front office; provider employees: their provider's)
  case_provider,     // review a case for the provider (provider employees)
  report_read,       // counts only, never personal data: the executive discipline report
};

std::string_view to_string(Permission permission);

// Ok, or 401 (not signed in) / 403 (signed in but not allowed). `center` is the center the action
// concerns, when it concerns one.
Result<void> authorize(const Principal& principal, Permission permission, std::optional<std::int64_t> center);

// What the role alone allows, regardless of center (e.g. whether a member of staff may work at a
// window at all: the queue offers only them for a transfer by name).
bool role_allows(Role role, Permission permission);

} // namespace vikno::auth
