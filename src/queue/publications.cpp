#include <algorithm>

#include "queue/center_state.hpp"
#include "queue/service.hpp"
#include "queue/views.hpp"

namespace vikno::queue {

namespace bj = boost::json;
using storage::Connection;

// What the command changed, as live events for the center's displays and for the citizens who
// follow a ticket; built now (the engine is as the command left it), sent after the commit.
void QueueService::prepare_publications(Ctx& ctx) {
  CenterState& s = ctx.s;
  const std::int64_t center_id = ctx.cmd.center_id;
  if (ctx.events.empty()) {
    return;
  }
  struct Publication {
    std::string topic;
    std::uint64_t id;
    std::string type;
    std::string data;
    bool keep;
  };
  std::vector<Publication> out;
  Millis now = ctx.now;
  bj::array queues = loads_json(s, now);
  for (const auto& e : ctx.events) {
    bj::object data{{"at", format_iso8601(e.at)}, {"queues", queues}};
    if (e.ticket_id) {
      const Ticket* open = s.engine.ticket(*e.ticket_id);
      if (open != nullptr) {
        data["ticket"] = public_ticket_json(s, *open, now);
      } else if (auto it = ctx.touched.find(*e.ticket_id); it != ctx.touched.end()) {
        data["ticket"] = public_ticket_json(s, it->second, now); // it ended with this command
      }
    }
    boost::system::error_code ec;
    bj::value details = bj::parse(e.details, ec);
    data["details"] = ec ? bj::value(bj::object{}) : details;
    out.push_back({center_topic(center_id), static_cast<std::uint64_t>(e.id), e.type, bj::serialize(data), true});
  }
  // Tickets that ended leave the token index (their state is read from the database from now on).
  std::vector<std::string> ended;
  for (const auto& [token, id] : s.tokens) {
    if (s.engine.ticket(id) == nullptr) {
      ended.push_back(token);
    }
  }
  // Citizens following a ticket of this center: its state, position and estimate when they change.
  // Only this center's tickets are looked at; the estimates are made together (one pool per
  // group), and a ticket's state is written out only when what its followers see has changed.
  auto last_id = static_cast<std::uint64_t>(ctx.events.back().id);
  std::vector<std::string_view> tokens;
  tokens.reserve(s.tokens.size());
  for (const auto& [token, id] : s.tokens) {
    tokens.emplace_back(token);
  }
  struct Followed {
    std::string topic;
    Ticket ticket; // as it is now
    bool open = false;
  };
  std::vector<Followed> followed;
  std::vector<std::int64_t> open_ids;
  for (auto& topic : hub_.watched_among(kTicketTopic, tokens)) {
    std::string token = topic.substr(kTicketTopic.size());
    const std::int64_t id = s.tokens.at(token);
    if (const Ticket* t = s.engine.ticket(id)) {
      followed.push_back({std::move(topic), *t, true});
      open_ids.push_back(id);
    } else if (auto it = ctx.touched.find(id); it != ctx.touched.end()) {
      followed.push_back({std::move(topic), it->second}); // it ended with this command
    }
  }
  const auto estimates = s.engine.estimates(open_ids);
  std::size_t next_estimate = 0;
  for (const auto& [topic, t, open] : followed) {
    const std::optional<Estimate> estimate = open ? estimates[next_estimate++] : std::nullopt;
    if (auto sent = s.sent.find(t.token); sent != s.sent.end() && sent->second == Outlook::of(t, estimate)) {
      continue;
    }
    out.push_back({topic, last_id, "ticket", bj::serialize(followed_ticket_json(s, t, now, estimate)), false});
  }
  {
    std::lock_guard lock(tokens_mutex_);
    for (const auto& token : ended) {
      s.tokens.erase(token);
      s.sent.erase(token);
      token_centers_.erase(token);
    }
  }
  ctx.events.clear(); // published once
  ctx.after_commit.on_commit([this, out = std::move(out)] {
    for (const auto& p : out) {
      hub_.publish(p.topic, p.id, p.type, p.data, p.keep);
    }
  });
}

Result<std::shared_ptr<live::EventChannel>> QueueService::subscribe_center(std::int64_t center_id,
                                                                           std::optional<std::uint64_t> last_id) {
  CenterState& s = center(center_id);
  std::unique_lock lock(s.mutex); // no command changes the engine between the snapshot and the subscription
  VIKNO_CHECK(ready(s, center_id, lock));
  Millis now = clock_();
  std::string topic = center_topic(center_id);
  if (last_id && hub_.can_resume(topic, *last_id)) {
    return hub_.subscribe(topic, last_id);
  }
  // Too late to catch up exactly (or a first connection): the whole state, then changes. The
  // snapshot may show commands whose commit (and so whose events) is still to come: the
  // subscriber skips the events the snapshot already holds.
  bj::object snapshot = display_json(s, center_id, now);
  auto through = static_cast<std::uint64_t>(s.last_event_id);
  return hub_.subscribe(topic, std::nullopt, {live::Event{through, "snapshot", bj::serialize(snapshot)}}, through);
}

Result<std::shared_ptr<live::EventChannel>> QueueService::subscribe_ticket(const std::string& token) {
  VIKNO_TRY(state, track(token));
  std::string text = bj::serialize(state);
  return hub_.subscribe(ticket_topic(token), std::nullopt, {live::Event{0, "ticket", text}});
}

} // namespace vikno::queue
