// Time as the whole system stores it: int64 UTC milliseconds. The clock is injected (Clock) so
// pure cores and tests never read the wall clock themselves.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace vikno {

using Millis = std::int64_t; // UTC milliseconds since 1970-01-01

// The source of "now" for services; tests pass a fixed or stepping clock.
using Clock = std::function<Millis()>;
Clock system_clock();

// A clock that runs `offset` ahead of (or, negative, behind) a base clock, where the offset can be
// moved on while the process runs: `vikno serve --clock-offset` starts a server at another time
// (a test of the end of the day at noon), and its test clock (`--test-clock`) moves it on during
// a test instead of waiting for real minutes. Every Clock it hands out follows every later move,
// and stays valid after the ShiftedClock is gone.
class ShiftedClock {
public:
  explicit ShiftedClock(Millis offset = 0, Clock base = system_clock());

  [[nodiscard]] Clock clock() const;
  // Moves the offset on; only forwards, as the wall clock goes (a record never ends before it starts).
  void advance(Millis by);
  [[nodiscard]] Millis offset() const;

private:
  std::shared_ptr<std::atomic<Millis>> offset_;
  Clock base_;
};

// A duration as an operator writes it: an optional sign, then one or more parts of digits and a
// unit, d, h, m, s or ms ("90s", "-3h", "1h30m", "+1500ms"). 400 invalid_duration otherwise
// (a bare number too: its unit would be a guess).
Result<Millis> parse_duration(std::string_view text);

// 2026-11-22T15:32:00.000Z
std::string format_iso8601(Millis t);

} // namespace vikno
