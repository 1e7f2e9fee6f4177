// EventChannel: one subscriber's buffer of live events (displays, operator consoles, citizens
// following a ticket). A publisher (LiveHub, live/hub.hpp) pushes into it from any thread; the HTTP
// server (http::Response::event_stream) drains it on the connection's strand as Server-Sent Events
// or WebSocket frames (http/events.hpp) until the client leaves, the publisher closes it, the
// subscriber falls too far behind, or the server shuts down. Nothing here knows HTTP.
//
// The buffer is bounded: a subscriber that falls `capacity` events behind is dropped (the channel
// closes and reports overflowed()), so a slow or stuck client never grows memory. It reconnects and
// resumes from the last event id it saw (SSE sends Last-Event-ID by itself).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace vikno::live {

struct Event {
  std::uint64_t id = 0; // increasing per source; 0: none (SSE then sends no `id:` line)
  std::string type;     // e.g. "ticket_called"; SSE `event:`; empty: none
  std::string data;     // one JSON value, serialized; sent as is (not validated)
};

// One subscriber's buffer. Publishers push from any thread; the server takes on the connection's
// strand. Events are shared_ptr<const Event> so one serialized event fans out to every subscriber.
class EventChannel {
public:
  explicit EventChannel(std::size_t capacity = 256);
  EventChannel(const EventChannel&) = delete;
  EventChannel& operator=(const EventChannel&) = delete;

  // Appends an event; false when the channel is closed, or when it is full: then it closes,
  // drops what it held and reports overflowed(). A publisher forgets a channel once push fails.
  bool push(std::shared_ptr<const Event> event);
  // No more events (publisher or server). Idempotent. What is buffered can still be taken.
  void close();
  [[nodiscard]] bool closed() const;
  [[nodiscard]] bool overflowed() const;
  // Everything buffered, oldest first; the buffer is then empty.
  std::vector<std::shared_ptr<const Event>> take();
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::size_t capacity() const { return capacity_; }

  // Set by the server (nullptr to clear). Called from the pushing or closing thread when the buffer
  // turns non-empty (not again until the next take()) and on close; must not call back into the
  // channel. Clearing waits for a call in progress, so after on_ready(nullptr) returns the old
  // function is never called again.
  void on_ready(std::function<void()> wake);

private:
  void notify();

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<const Event>> buffer_;
  bool closed_ = false;
  bool overflowed_ = false;
  bool notified_ = false; // wake called since the last take()

  std::mutex wake_mutex_; // held while wake_ runs, so clearing it is safe
  std::function<void()> wake_;
};

} // namespace vikno::live
