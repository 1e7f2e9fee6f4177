// Error and Result: how every module reports an expected failure.
//
// Following DuckDB's rule, expected failures (bad input, a record that does not exist, a state
// conflict) are values: functions return Result<T>. Exceptions are for what aborts a request (a
// bug, a lost database). The HTTP layer turns an Error into a response in one place
// (http/error_response), so a module only picks the ErrorKind and a stable code string.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
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
  // 415: a request body in a format the route does not read (the login takes only JSON)
  unsupported_media_type,
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

// Thrown when the database cannot be reached (PostgreSQL down, connection lost, the database closed
// at shutdown) or cannot take a write (its disk is full): it aborts the request, and the HTTP layer
// answers 503 with the reason as its code. Here rather than in storage so that http can catch it
// without depending on storage.
class Unavailable : public std::runtime_error {
public:
  // Why, as a stable code for the API's answer.
  enum class Reason { unreachable, disk_full };

  explicit Unavailable(const std::string& what, Reason reason = Reason::unreachable)
      : std::runtime_error(what), reason_(reason) {}
  explicit Unavailable(const char* what, Reason reason = Reason::unreachable)
      : std::runtime_error(what), reason_(reason) {}
  [[nodiscard]] Reason reason() const noexcept { return reason_; }

private:
  Reason reason_;
};

// The API's code for a reason: "database_unavailable" or "disk_full".
inline const char* to_code(Unavailable::Reason reason) {
  return reason == Unavailable::Reason::disk_full ? "disk_full" : "database_unavailable";
}

// Failure<E>: what fail() returns; converts into any Result<T> holding the error.
struct Failure {
  Error error;
};

// Spelled once so call sites read `return fail(Error::conflict(...))`.
inline Failure fail(Error error) { return Failure{std::move(error)}; }

// Result<T>: a T or an Error. The subset of std::expected the code base uses, written out because
// clang 14 (clang-tidy, libFuzzer) cannot compile libstdc++ 12's <expected>; see
// docs/decisions/004-own-result-type.md.
template <class T> class [[nodiscard]] Result {
public:
  Result(const T& value) : state_(std::in_place_index<0>, value) {}
  Result(T&& value) : state_(std::in_place_index<0>, std::move(value)) {}
  // Constrained to exclude Result itself, so it hides no copy or move constructor.
  template <class U>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::remove_cvref_t<U>, T> &&
           !std::is_same_v<std::remove_cvref_t<U>, Failure> && !std::is_same_v<std::remove_cvref_t<U>, Result>)
      Result(U&& value) // NOLINT(bugprone-forwarding-reference-overload)
      : state_(std::in_place_index<0>, std::forward<U>(value)) {}
  Result(Failure failure) : state_(std::in_place_index<1>, std::move(failure.error)) {}

  [[nodiscard]] bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& operator*() & { return std::get<0>(state_); }
  const T& operator*() const& { return std::get<0>(state_); }
  T&& operator*() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &std::get<0>(state_); }
  const T* operator->() const { return &std::get<0>(state_); }
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  template <class U> T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(state_) : static_cast<T>(std::forward<U>(fallback));
  }

  Error& error() & { return std::get<1>(state_); }
  const Error& error() const& { return std::get<1>(state_); }
  Error&& error() && { return std::get<1>(std::move(state_)); }

private:
  std::variant<T, Error> state_;
};

template <> class [[nodiscard]] Result<void> {
public:
  Result() = default;
  Result(Failure failure) : error_(std::move(failure.error)) {}

  [[nodiscard]] bool has_value() const noexcept { return !error_.has_value(); }
  explicit operator bool() const noexcept { return has_value(); }
  void operator*() const noexcept {}
  void value() const noexcept {}

  Error& error() & { return *error_; }
  const Error& error() const& { return *error_; }
  Error&& error() && { return std::move(*error_); }

private:
  std::optional<Error> error_;
};

template <class R> struct IsResult : std::false_type {};
template <class T> struct IsResult<Result<T>> : std::true_type {};

} // namespace vikno

// Unwraps a Result into a new variable `var`, or returns its error from the enclosing function
// (which must itself return a Result). The one macro the code base allows itself: it removes the
// three lines of unwrapping that would otherwise follow every call.
// `var` names a new variable and cannot be parenthesized.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define VIKNO_TRY(var, expr)                                                                                           \
  auto var##_result_ = (expr);                                                                                         \
  if (!var##_result_) {                                                                                                \
    return ::vikno::fail(std::move(var##_result_).error());                                                            \
  }                                                                                                                    \
  auto var = std::move(*var##_result_)
// NOLINTEND(bugprone-macro-parentheses)

// Returns the error of a Result<void> (or any Result whose value is not needed).
#define VIKNO_CHECK(expr)                                                                                              \
  do {                                                                                                                 \
    if (auto check_result_ = (expr); !check_result_) {                                                                 \
      return ::vikno::fail(std::move(check_result_).error());                                                          \
    }                                                                                                                  \
  } while (false)
