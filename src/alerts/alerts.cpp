#include "alerts/alerts.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace vikno::alerts {

bool Board::raise(const Raise& alert, Millis now) {
  std::lock_guard lock(mutex_);
  auto same = std::find_if(alerts_.rbegin(), alerts_.rend(), [&](const Alert& a) {
    return a.code == alert.code && a.subject == alert.subject && a.centers == alert.centers;
  });
  if (same != alerts_.rend() && is_open(*same, now)) {
    same->last_at = std::max(same->last_at, now);
    ++same->count;
    same->message_uk = alert.message_uk; // the latest wording (it may carry a count)
    same->message_en = alert.message_en;
    return false;
  }
  while (alerts_.size() >= capacity_) {
    alerts_.pop_front();
  }
  alerts_.push_back(
      {next_id_++, alert.centers, alert.code, alert.subject, alert.message_uk, alert.message_en, now, now, 1});
  return true;
}

std::vector<Alert> Board::open(std::optional<std::int64_t> center, Millis now) const {
  std::lock_guard lock(mutex_);
  std::vector<Alert> out;
  for (auto it = alerts_.rbegin(); it != alerts_.rend(); ++it) {
    if (!is_open(*it, now)) {
      continue;
    }
    if (center && std::find(it->centers.begin(), it->centers.end(), *center) == it->centers.end()) {
      continue;
    }
    out.push_back(*it);
  }
  return out;
}

boost::json::array to_json(const std::vector<Alert>& alerts) {
  boost::json::array out;
  for (const auto& a : alerts) {
    boost::json::array centers;
    for (auto id : a.centers) {
      centers.push_back(id);
    }
    out.push_back(boost::json::object{{"id", a.id},
                                      {"code", a.code},
                                      {"subject", a.subject},
                                      {"message_uk", a.message_uk},
                                      {"message_en", a.message_en},
                                      {"first_at", format_iso8601(a.first_at)},
                                      {"last_at", format_iso8601(a.last_at)},
                                      {"count", a.count},
                                      {"centers", std::move(centers)}});
  }
  return out;
}

} // namespace vikno::alerts
