// Time as the whole system stores it: int64 UTC milliseconds. The clock is injected (Clock) so
// pure cores and tests never read the wall clock themselves.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace vikno {

using Millis = std::int64_t; // UTC milliseconds since 1970-01-01

// The source of "now" for services; tests pass a fixed or stepping clock.
using Clock = std::function<Millis()>;
Clock system_clock();

// 2026-11-22T15:32:00.000Z
std::string format_iso8601(Millis t);

} // namespace vikno
