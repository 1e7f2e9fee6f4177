// The wire forms of a live event (live/channel.hpp): what the server writes for each event it
// takes from a stream's EventChannel, as Server-Sent Events or as a WebSocket text frame, whichever
// the client asked for. A handler starts a stream with Response::event_stream(channel).
#pragma once

#include <string>

#include "live/channel.hpp"

namespace vikno::http {

// The wire forms of one event.
// SSE: "id: N\nevent: TYPE\ndata: DATA\n\n" (a multi-line DATA becomes several data: lines).
std::string sse_frame(const live::Event& event);
// WebSocket text frame: {"id":N,"type":"TYPE","data":DATA}; an empty DATA is null.
std::string websocket_frame(const live::Event& event);

} // namespace vikno::http
