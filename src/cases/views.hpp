// The JSON of cases, pure functions of what the service read (docs/openapi.yaml, "Cases"): the
// staff view, the applicant's personal data (only on the audited single read), the public tracking
// page (initials only), the intake form, and the request bodies parsed back (requests, fuzzed).
#pragma once

#include <boost/json.hpp>

#include <string>

#include "cases/service.hpp"

namespace vikno::cases {

// When an instant is shown: ISO 8601 UTC.
std::string iso_instant(Millis t);

// The staff view of a case; `detail` adds inventory, stages, moves (a list shows the row only).
boost::json::object case_json(const Case& k, const std::vector<MoveKind>& allowed, const CaseService& service,
                              bool detail);
boost::json::object applicant_json_view(const Applicant& a);
boost::json::object tracking_json(const Tracking& t, const CaseService& service);
boost::json::object intake_json(const Intake& intake);
boost::json::object refusal_grounds_json();

// Request bodies (400 with the field for anything malformed; nothing is read beyond the limits).
Result<Registration> parse_registration(const boost::json::object& body);
struct MoveBody {
  std::optional<std::int64_t> version;
  MoveRequest request;
};
Result<MoveBody> parse_move(const boost::json::object& body);

} // namespace vikno::cases
