// The electronic queue's HTTP API (docs/openapi.yaml, tag "queue"): the kiosk, the administrator
// at a window, the head of center, the display board and the public (ticket tracking, center
// load), plus the live event streams and the spoken calls. HTTP mapping only: every rule is in
// queue/service and queue/engine.
#pragma once

#include "http/router.hpp"
#include "media/speech.hpp"
#include "queue/service.hpp"

namespace vikno::queue {

// How many tickets one kiosk (device token) may issue: `burst` at once, refilled at `per_minute`.
// Beyond it: 429 rate_limited with Retry-After, and QueueService::kiosk_limited tells the head.
struct KioskLimit {
  int per_minute = 30;
  int burst = 10;
};

void add_queue_routes(http::Router& router, QueueService& service, media::Announcer& announcer,
                      KioskLimit kiosk_limit = {});

} // namespace vikno::queue
