// The demo network (демонстраційні дані): a city center modeled on Kropyvnytskyi's «Прозорий
// офіс» (seed 003) with its providers, 64 services with complete cards, the life situations of
// seed 001, two branches, three remote workplaces, a mobile office, a small hromada center, staff
// with skills and kiosk/display devices. The data is data/demo/demo.json, compiled into the
// binary, loaded through the same import as any registry file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "auth/accounts.hpp"
#include "registry/registry.hpp"

namespace vikno::registry {

// The password every demo staff account gets; printed at load, since the demo is for trying out.
inline constexpr std::string_view kDemoPassword = "demo-password";

struct DemoStaff {
  std::string login;
  std::string name;
  std::string role;
  std::string center;
};

struct DemoDevice {
  std::string center;
  std::string purpose; // kiosk or display
  std::string label;
  std::string token;
};

struct DemoSummary {
  int services = 0;
  int centers = 0;
  std::vector<DemoStaff> staff;
  std::vector<DemoDevice> devices;
};

std::string_view demo_json();

// Loads the demo into the database (meant for an empty one; records that exist are matched and
// left alone). Throws nothing for expected failures: returns the error.
Result<DemoSummary> load_demo(Registry& registry, auth::Accounts& accounts);

// What a newcomer needs: the staff logins with the demo password and the device links.
std::string describe_demo(const DemoSummary& summary, const std::string& base_url);

} // namespace vikno::registry
