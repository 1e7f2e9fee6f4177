// Principal: who is making a request, as the HTTP layer established it (a staff session, a
// device token of a kiosk or display board, an integration's API token, or nobody).
// Roles (ролі) follow DOMAIN.md: system admin, regional analyst (read-only over several centers),
// head of center (керівник ЦНАП), administrator (адміністратор ЦНАП), provider employee
// (працівник суб'єкта надання).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vikno::auth {

enum class Role { system_admin, regional_analyst, center_head, administrator, provider_employee };

std::string_view to_string(Role role);
std::optional<Role> role_from_string(std::string_view text);

// What a device token is for; a device acts only in its one center and for its one purpose.
enum class DevicePurpose { kiosk, display };

std::string_view to_string(DevicePurpose purpose);
std::optional<DevicePurpose> device_purpose_from_string(std::string_view text);

// system: the server itself or a command run on its console (first start, `vikno user add`).
enum class PrincipalKind { anonymous, user, device, api_token, system };

struct Principal {
  PrincipalKind kind = PrincipalKind::anonymous;
  std::int64_t id = 0;                         // user, device or API token id
  std::string login;                           // users: their login; devices and tokens: their label
  std::optional<Role> role;                    // users and API tokens
  std::vector<std::int64_t> centers;           // the centers they may act in (all, for a system admin)
  std::optional<DevicePurpose> device_purpose; // devices
  std::optional<std::int64_t> provider;        // a provider employee's provider
  std::string session_id;                      // staff sessions (for logout)
  std::string csrf_token;                      // staff sessions: must come back on state-changing requests

  [[nodiscard]] bool signed_in() const { return kind != PrincipalKind::anonymous; }
  static Principal system() {
    Principal p;
    p.kind = PrincipalKind::system;
    return p;
  }
  // "user:3", "device:5", "token:2", "anonymous": the actor recorded in the audit log.
  [[nodiscard]] std::string actor() const;
};

// Who asks for a change, for authorization already done and for the audit entry. An HTTP request
// gives its own (http::Request::actor()); the server's own work and console commands act as
// Principal::system().
struct Actor {
  const Principal& principal;
  std::string address;
};

} // namespace vikno::auth
