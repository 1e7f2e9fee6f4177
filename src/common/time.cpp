#include "common/time.hpp"

#include <charconv>
#include <chrono>
#include <ctime>
#include <utility>

#include <fmt/format.h>

namespace vikno {

Clock system_clock() {
  return [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
}

ShiftedClock::ShiftedClock(Millis offset, Clock base)
    : offset_(std::make_shared<std::atomic<Millis>>(offset)), base_(std::move(base)) {}

Clock ShiftedClock::clock() const {
  return [offset = offset_, base = base_] { return base() + offset->load(std::memory_order_relaxed); };
}

void ShiftedClock::advance(Millis by) {
  if (by > 0) {
    offset_->fetch_add(by, std::memory_order_relaxed);
  }
}

Millis ShiftedClock::offset() const { return offset_->load(std::memory_order_relaxed); }

Result<Millis> parse_duration(std::string_view text) {
  auto bad = [&] {
    return fail(Error::invalid("invalid_duration",
                               "'" + std::string(text) + "' is not a duration such as 90s, -3h, 1h30m or 1500ms"));
  };
  std::string_view rest = text;
  Millis sign = 1;
  if (!rest.empty() && (rest.front() == '-' || rest.front() == '+')) {
    sign = rest.front() == '-' ? -1 : 1;
    rest.remove_prefix(1);
  }
  if (rest.empty()) {
    return bad();
  }
  // Ten years, in any unit: far more than a test needs, and no sum can overflow.
  constexpr Millis kMax = 10LL * 366 * 24 * 3600 * 1000;
  Millis total = 0;
  while (!rest.empty()) {
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), n);
    if (ec != std::errc{} || end == rest.data() || n < 0) {
      return bad();
    }
    rest.remove_prefix(static_cast<std::size_t>(end - rest.data()));
    std::size_t unit_length = 0;
    while (unit_length < rest.size() && rest[unit_length] >= 'a' && rest[unit_length] <= 'z') {
      ++unit_length;
    }
    std::string_view unit = rest.substr(0, unit_length);
    rest.remove_prefix(unit_length);
    Millis scale = 0;
    if (unit == "ms") {
      scale = 1;
    } else if (unit == "s") {
      scale = 1000;
    } else if (unit == "m") {
      scale = Millis{60} * 1000;
    } else if (unit == "h") {
      scale = Millis{3600} * 1000;
    } else if (unit == "d") {
      scale = Millis{24} * 3600 * 1000;
    } else {
      return bad();
    }
    if (n > kMax / scale || total + n * scale > kMax) {
      return bad();
    }
    total += n * scale;
  }
  return sign * total;
}

std::string format_iso8601(Millis t) {
  // Floor division so times before 1970 format correctly too.
  std::int64_t seconds = t / 1000;
  std::int64_t millis = t % 1000;
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  std::time_t tt = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
}

} // namespace vikno
