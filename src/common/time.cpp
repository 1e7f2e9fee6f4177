#include "common/time.hpp"

#include <chrono>
#include <ctime>

#include <fmt/format.h>

namespace vikno {

Clock system_clock() {
  return [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
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
