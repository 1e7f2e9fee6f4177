// Channel: one way of delivering a message (SMTP e-mail, an HTTP gateway for SMS or Viber). The
// worker calls send() on its own thread, one message at a time, with no database connection or
// lock held; send() must return within its own timeout.
#pragma once

#include <string>

#include "notify/message.hpp"

namespace vikno::notify {

struct SendResult {
  bool ok = false;
  // Why not, for the staff's view of the attempt ("451 4.7.1 try later", "HTTP 503", "timeout").
  // May quote the server's answer, so it is stored, never logged.
  std::string error;
};

class Channel {
public:
  virtual ~Channel() = default;
  virtual SendResult send(const Outgoing& message) = 0;
};

} // namespace vikno::notify
