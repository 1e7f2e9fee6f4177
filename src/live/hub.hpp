// LiveHub: the in-process publisher of the queue's live events (calls, recalls, queue lengths,
// estimates) to displays, consoles and citizens' phones, over EventChannel (which the
// server delivers as Server-Sent Events or WebSocket frames).
//
// Topics are "center:<id>" and "ticket:<token>". A center topic keeps its last `keep` events, so
// a subscriber that reconnects with the last id it saw gets what it missed; one that comes back
// too late (or after a restart) gets a fresh snapshot instead (the service decides). Each
// subscriber has a bounded buffer: one that falls behind is dropped, never grows memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "live/channel.hpp"

namespace vikno::live {

class LiveHub {
public:
  explicit LiveHub(std::size_t keep = 512, std::size_t subscriber_capacity = 256);

  // Sends an event to the topic's subscribers; kept for resuming when `keep_for_resume`.
  void publish(const std::string& topic, std::uint64_t id, std::string type, std::string data,
               bool keep_for_resume = true);
  // Declares that the topic's history up to `up_to` is not kept (its events happened before this
  // process knew the topic, e.g. before a restart): a resume from an earlier id gets a snapshot.
  void begin(const std::string& topic, std::uint64_t up_to);
  // True when every event after `last_id` is still kept (a resume can be exact).
  [[nodiscard]] bool can_resume(const std::string& topic, std::uint64_t last_id) const;
  // A new subscriber: first the given events, then (with last_id) the kept events after it, then
  // whatever is published next, except events up to `skip_through` (a snapshot in `first` holds them).
  std::shared_ptr<EventChannel> subscribe(const std::string& topic, std::optional<std::uint64_t> last_id,
                                          const std::vector<Event>& first = {}, std::uint64_t skip_through = 0);
  // Of the topics prefix + key, those that have subscribers now (whole names, in the keys' order).
  // Names are made in one buffer: asked for every open ticket of a center on every command.
  [[nodiscard]] std::vector<std::string> watched_among(std::string_view prefix,
                                                       const std::vector<std::string_view>& keys) const;
  [[nodiscard]] std::size_t subscribers() const;
  [[nodiscard]] std::uint64_t last_id(const std::string& topic) const;

private:
  struct Topic {
    std::deque<std::shared_ptr<const Event>> kept;
    std::uint64_t last_id = 0;
    std::uint64_t forgotten_up_to = 0; // events up to this id are not kept (dropped, or never seen)
    struct Subscriber {
      std::shared_ptr<EventChannel> channel;
      std::uint64_t skip_through = 0;
    };
    std::vector<Subscriber> subscribers;
  };
  void prune(Topic& topic);

  std::size_t keep_;
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Topic> topics_; // one per display's center and per followed ticket
};

} // namespace vikno::live
