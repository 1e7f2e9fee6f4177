// HTTP mapping of the registry: the public catalog (services, groups, providers, life
// situations, access points with their hours and services; a rate-limited search), a center
// head's edits of their own center, and the system admin's edits of the network's catalog.
// Only parsing, authorization declarations and JSON shapes live here; Registry does the work.
#pragma once

#include "http/rate_limit.hpp"
#include "http/router.hpp"
#include "registry/registry.hpp"

namespace vikno::registry {

struct RouteLimits {
  double search_burst = 60;     // searches at once per address
  double search_per_second = 5; // refill
};

void add_registry_routes(http::Router& router, Registry& registry, RouteLimits limits = {});

} // namespace vikno::registry
