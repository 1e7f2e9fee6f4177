// Error and Result: how every module reports an expected failure.
//
// Following DuckDB's rule, expected failures (bad input, a record that does not exist, a state
// conflict) are values: functions return Result<T>. Exceptions are for what aborts a request (a
// bug, a lost database). The HTTP layer turns an Error into a response in one place
// (http/error_response), so a module only picks the ErrorKind and a stable code string.
#pragma once

#include <expected>
#include <string>
#include <utility>
#include <vector>

namespace vikno {

// What kind of failure this is; decides the HTTP status, nothing else.
enum class ErrorKind {
  invalid_input,      // 400
  unauthenticated,    // 401
  forbidden,          // 403
  not_found,          // 404
  method_not_allowed, // 405
  conflict,           // 409
  too_large,          // 413
  too_many_requests,  // 429
  unavailable,        // 503
  internal,           // 500
};

// One problem with one part of the input: a field path ("hours[2].opens") or a line of a file.
struct FieldProblem {
  std::string field; // JSON path or column name; empty when the whole line is wrong
  std::string problem;
  int line = 0; // 1-based line of an imported file; 0 when not from a file
};

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string code;    // stable, snake_case: "invalid_json", "ticket_not_waiting"
  std::string message; // for a person; English
  std::vector<FieldProblem> problems;

  static Error invalid(std::string code, std::string message, std::vector<FieldProblem> problems = {}) {
    return {ErrorKind::invalid_input, std::move(code), std::move(message), std::move(problems)};
  }
  static Error field(std::string field, std::string problem) {
    std::string message = "field '" + field + "': " + problem;
    return {ErrorKind::invalid_input, "invalid_field", std::move(message), {{std::move(field), std::move(problem), 0}}};
  }
  static Error not_found(std::string code, std::string message) {
    return {ErrorKind::not_found, std::move(code), std::move(message), {}};
  }
  static Error conflict(std::string code, std::string message) {
    return {ErrorKind::conflict, std::move(code), std::move(message), {}};
  }
  static Error forbidden(std::string message = "not allowed") {
    return {ErrorKind::forbidden, "forbidden", std::move(message), {}};
  }
  static Error unauthenticated(std::string message = "sign in first") {
    return {ErrorKind::unauthenticated, "unauthenticated", std::move(message), {}};
  }
};

template <class T> using Result = std::expected<T, Error>;

// Spelled once so call sites read `return fail(Error::conflict(...))`.
inline std::unexpected<Error> fail(Error error) { return std::unexpected<Error>(std::move(error)); }

} // namespace vikno

// Unwraps a Result into a new variable `var`, or returns its error from the enclosing function
// (which must itself return a Result). The one macro the code base allows itself: it removes the
// three lines of unwrapping that would otherwise follow every call.
#define VIKNO_TRY(var, expr)                                                                                           \
  auto var##_result_ = (expr);                                                                                         \
  if (!var##_result_) {                                                                                                \
    return ::vikno::fail(std::move(var##_result_).error());                                                            \
  }                                                                                                                    \
  auto var = std::move(*var##_result_)

// Returns the error of a Result<void> (or any Result whose value is not needed).
#define VIKNO_CHECK(expr)                                                                                              \
  do {                                                                                                                 \
    if (auto check_result_ = (expr); !check_result_) {                                                                 \
      return ::vikno::fail(std::move(check_result_).error());                                                          \
    }                                                                                                                  \
  } while (false)
