// The demo's cases (демонстраційні справи): a few hundred applications in the demo city center,
// registered over the last weeks and moved on as a center's day would (handed over, accepted,
// stages finished, some suspended, decided, received back, issued), so that every page has
// something to show: due soon, overdue, ready to collect. Deterministic (a fixed seed), written
// through CaseService with its own clock, so the rows are what real use would write.
#pragma once

#include <cstdint>

#include "cases/service.hpp"

namespace vikno::cases {

struct DemoCasesSummary {
  int cases = 0;
  int overdue = 0;
  int due_soon = 0;
};

// Fills `center_id` with `count` cases ending at `now`. The front office acts as `front_user`
// (a center head or administrator id); each provider's employee acts for her provider when the
// demo has one, else the provider's moves are skipped for that provider.
Result<DemoCasesSummary> load_demo_cases(storage::Db& db, registry::Registry& registry, const seal::Keyring& keys,
                                         std::int64_t center_id, std::int64_t front_user, Millis now, int count);

} // namespace vikno::cases
