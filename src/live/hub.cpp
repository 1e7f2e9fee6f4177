#include "live/hub.hpp"

#include <algorithm>

namespace vikno::live {

LiveHub::LiveHub(std::size_t keep, std::size_t subscriber_capacity) : keep_(keep), capacity_(subscriber_capacity) {}

void LiveHub::prune(Topic& topic) {
  std::erase_if(topic.subscribers, [](const auto& s) { return s.channel->closed(); });
}

void LiveHub::publish(const std::string& topic_name, std::uint64_t id, std::string type, std::string data,
                      bool keep_for_resume) {
  auto event = std::make_shared<const Event>(Event{id, std::move(type), std::move(data)});
  std::lock_guard lock(mutex_);
  auto it = topics_.find(topic_name);
  if (it == topics_.end()) {
    if (!keep_for_resume) {
      return; // nobody listens and nothing to keep
    }
    it = topics_.emplace(topic_name, Topic{}).first;
  }
  Topic& topic = it->second;
  topic.last_id = std::max(topic.last_id, id);
  if (keep_for_resume) {
    topic.kept.push_back(event);
    if (topic.kept.size() > keep_) {
      topic.forgotten_up_to = topic.kept.front()->id;
      topic.kept.pop_front();
    }
  }
  for (const auto& s : topic.subscribers) {
    if (id > s.skip_through || !keep_for_resume) {
      s.channel->push(event); // a full channel closes itself: the slow subscriber is dropped
    }
  }
  prune(topic);
  if (!keep_for_resume && topic.subscribers.empty()) {
    topics_.erase(it);
  }
}

bool LiveHub::can_resume(const std::string& topic_name, std::uint64_t last_id) const {
  std::lock_guard lock(mutex_);
  auto it = topics_.find(topic_name);
  if (it == topics_.end()) {
    return false;
  }
  const Topic& topic = it->second;
  // Ids are shared by every center, so a topic's ids have gaps: what counts is whether anything
  // after last_id was forgotten, and whether last_id is one this process has seen at all.
  return last_id >= topic.forgotten_up_to && last_id <= topic.last_id;
}

void LiveHub::begin(const std::string& topic_name, std::uint64_t up_to) {
  std::lock_guard lock(mutex_);
  Topic& topic = topics_[topic_name];
  topic.forgotten_up_to = std::max(topic.forgotten_up_to, up_to);
  topic.last_id = std::max(topic.last_id, up_to);
}

std::shared_ptr<EventChannel> LiveHub::subscribe(const std::string& topic_name, std::optional<std::uint64_t> last_id,
                                                 const std::vector<Event>& first, std::uint64_t skip_through) {
  auto channel = std::make_shared<EventChannel>(capacity_);
  for (const auto& e : first) {
    channel->push(std::make_shared<const Event>(e));
  }
  std::lock_guard lock(mutex_);
  Topic& topic = topics_[topic_name];
  if (last_id) {
    for (const auto& e : topic.kept) {
      if (e->id > *last_id) {
        channel->push(e);
      }
    }
  }
  prune(topic);
  topic.subscribers.push_back({channel, skip_through});
  return channel;
}

std::vector<std::string> LiveHub::watched_among(std::string_view prefix,
                                                const std::vector<std::string_view>& keys) const {
  std::vector<std::string> out;
  std::string name(prefix);
  std::lock_guard lock(mutex_);
  for (const auto key : keys) {
    name.resize(prefix.size());
    name.append(key);
    auto it = topics_.find(name);
    if (it != topics_.end() && std::any_of(it->second.subscribers.begin(), it->second.subscribers.end(),
                                           [](const auto& s) { return !s.channel->closed(); })) {
      out.push_back(name);
    }
  }
  return out;
}

std::size_t LiveHub::subscribers() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& [name, topic] : topics_) {
    for (const auto& s : topic.subscribers) {
      n += s.channel->closed() ? 0 : 1;
    }
  }
  return n;
}

std::uint64_t LiveHub::last_id(const std::string& topic_name) const {
  std::lock_guard lock(mutex_);
  auto it = topics_.find(topic_name);
  return it == topics_.end() ? 0 : it->second.last_id;
}

} // namespace vikno::live
