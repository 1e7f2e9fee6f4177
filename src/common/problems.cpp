#include "common/problems.hpp"

#include <algorithm>

namespace vikno {

void sort_by_line(Problems& problems) {
  std::stable_sort(problems.begin(), problems.end(),
                   [](const FieldProblem& a, const FieldProblem& b) { return a.line < b.line; });
}

std::string describe(const FieldProblem& problem) {
  std::string out;
  if (problem.line > 0) {
    out += "line " + std::to_string(problem.line) + ": ";
  }
  if (!problem.field.empty()) {
    out += problem.field + ": ";
  }
  return out + problem.problem;
}

Result<void> to_result(Problems problems) {
  if (problems.empty()) {
    return {};
  }
  std::string message = problems.front().field.empty()
                            ? problems.front().problem
                            : "field '" + problems.front().field + "': " + problems.front().problem;
  if (problems.size() > 1) {
    message += " (and " + std::to_string(problems.size() - 1) + " more)";
  }
  return fail(Error::invalid("invalid_field", std::move(message), std::move(problems)));
}

} // namespace vikno
