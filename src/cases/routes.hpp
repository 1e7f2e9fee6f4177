// The HTTP API of applications and cases (docs/openapi.yaml, tag "cases"): registration at the
// window, the register of a center, a provider's work list, moves, printed forms, and the public
// tracking page. HTTP mapping only: rules are in cases/rules, use cases in cases/service.
#pragma once

#include "cases/service.hpp"
#include "http/router.hpp"

namespace vikno::cases {

void add_case_routes(http::Router& router, CaseService& service);

} // namespace vikno::cases
