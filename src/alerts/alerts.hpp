// Alerts: what the head of a center and the system administrator must hear about now, that no
// request answers: a login under a flood of wrong passwords, a kiosk issuing tickets faster than a
// person can take them. Raised by the module that notices, shown on /head (the center's alerts) and
// to the system administrator (all of them).
//
// The same alert (center, code, subject) raised again while it is open is counted, not repeated:
// a flood is one alert with a count and a last time. An alert is open until `quiet_ms` pass
// without it being raised again. The board is in memory and bounded (the oldest closed alerts go
// first); each first raise is also a warn line in the log, so nothing is lost on a restart that
// an operator needs. Subjects are references ("user:3", "device:5", "login"), never personal data.
// Pure: time is passed in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/array.hpp>

#include "common/time.hpp"

namespace vikno::alerts {

struct Alert {
  std::int64_t id = 0;
  std::vector<std::int64_t> centers; // whose heads see it; empty: the system administrator only
  std::string code;                  // stable, e.g. "login_failures", "kiosk_rate_limited"
  std::string subject;               // what it is about: "user:3", "device:5"
  std::string message_uk;            // for the head, in Ukrainian
  std::string message_en;
  Millis first_at = 0;
  Millis last_at = 0;
  std::int64_t count = 0; // times raised while open
};

struct Raise {
  std::vector<std::int64_t> centers;
  std::string code;
  std::string subject;
  std::string message_uk;
  std::string message_en;
};

class Board {
public:
  explicit Board(Millis quiet_ms = Millis{15} * 60 * 1000, std::size_t capacity = 1000)
      : quiet_ms_(quiet_ms), capacity_(capacity) {}

  // Raises (or counts again) an alert; true when it is new (the caller may log it).
  bool raise(const Raise& alert, Millis now);
  // Open alerts a center's head sees (center given) or the system administrator sees (nullopt:
  // all), newest first.
  [[nodiscard]] std::vector<Alert> open(std::optional<std::int64_t> center, Millis now) const;

private:
  [[nodiscard]] bool is_open(const Alert& a, Millis now) const { return now - a.last_at < quiet_ms_; }

  Millis quiet_ms_;
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<Alert> alerts_; // oldest first
  std::int64_t next_id_ = 1;
};

// The JSON of alerts for the API: [{id, code, subject, message_uk, message_en, first_at, last_at,
// count, centers}], times in ISO 8601.
boost::json::array to_json(const std::vector<Alert>& alerts);

} // namespace vikno::alerts
