// The JSON views of the queue (not included outside src/queue): what the kiosk, the citizen's
// phone, the display, the desk and the head read, built from one center's state in memory. Pure
// functions of that state and the time: the caller holds the center's mutex.
#pragma once

#include <boost/json.hpp>

#include <optional>

#include "queue/center_state.hpp"

namespace vikno::queue {

// A ticket as a citizen sees it (tracking page, kiosk, live events). `known`: its estimate when
// the caller has it already (else it is made here).
boost::json::object public_ticket_json(const CenterState& s, const Ticket& t, Millis now,
                                       const std::optional<Estimate>* known = nullptr);
// The state of a ticket for the citizens who follow it, remembered as what they were sent last.
boost::json::object followed_ticket_json(CenterState& s, const Ticket& t, Millis now,
                                         const std::optional<Estimate>& estimate);
// A ticket as staff see it: the public view plus ids, holder, times, outcome and transfers.
boost::json::object ticket_json(const CenterState& s, const Ticket& t, Millis now);
// Every group of the center in its sort order: how many wait, who serves it, the expected wait.
boost::json::array loads_json(const CenterState& s, Millis now);
boost::json::object administrator_json(const CenterState& s, const Administrator& a, Millis now);
boost::json::object display_json(const CenterState& s, std::int64_t center_id, Millis now);
// Whom a ticket may be transferred to by name (all but `except`): the staff who work at a window
// here, with the groups they serve (a dialog offers those of the chosen group) and their status.
boost::json::array colleagues_json(const CenterState& s, std::optional<std::int64_t> except);
boost::json::object center_json(const CenterState& s, std::int64_t center_id);

} // namespace vikno::queue
