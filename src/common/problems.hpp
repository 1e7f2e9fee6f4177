// Problems: every mistake found in one piece of outside input (a request body, an imported file),
// each with the field it is about and, for a file, the 1-based line it is on. Checks append to the
// list and go on, so a person gets every mistake at once instead of one per attempt; the caller
// turns a non-empty list into one 400 error. Shared by the registry (validation, import) and the
// network planning parsers.
#pragma once

#include <string>
#include <vector>

#include "common/error.hpp"

namespace vikno {

using Problems = std::vector<FieldProblem>;

// Orders problems by line, keeping the order in which the problems of one line were found
// (problems without a line, 0, come first).
void sort_by_line(Problems& problems);

// A problem as a person reads it: "line 3: fee.kopiykas: must be >= 0", leaving out the line when
// it is 0 and the field when it is empty.
std::string describe(const FieldProblem& problem);

// Ok when there are no problems; else one 400 `invalid_field` error carrying them all, the first
// in the message ("field 'hours[1].opens': ... (and 2 more)").
Result<void> to_result(Problems problems);

} // namespace vikno
