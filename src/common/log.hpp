// log: the server's one way to write a log line. Every line is one JSON object on one line, keys in
// the order given, strings escaped (quotes, backslashes, control characters; bytes that are not
// UTF-8 become U+FFFD), so a collector can parse any line whatever a message or an exception says:
//
//   log::info("serving", {{"url", url}, {"db", "postgresql"}});
//   -> {"ts":"2026-12-03T08:00:00.000Z","level":"info","msg":"serving","url":"http://...","db":"postgresql"}
//   log::record("access", {{"method", "GET"}, {"status", 200}});   // the access log: "type" instead of level/msg
//
// Messages (info) and records go to stdout, errors to stderr; lines from several threads never mix.
// What a person reads at a terminal (a first start's password, `vikno user add`'s answer) is not a
// log line and is printed as text by its command.
//
// Why not spdlog: the one thing needed is a correctly escaped JSON object per line, which spdlog's
// patterns do not do (its message would still have to be escaped by hand); this is a page of code.
#pragma once

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

#include "common/time.hpp"

namespace vikno::log {

// A field's value: text, a whole number, a number (non-finite: null) or a flag. Text is only viewed:
// the line is written before the call returns, so temporaries are fine.
class Value {
public:
  Value(std::string_view text) : value_(text) {}
  Value(const char* text) : value_(std::string_view(text)) {}
  Value(const std::string& text) : value_(std::string_view(text)) {}
  template <std::signed_integral T> Value(T n) : value_(static_cast<std::int64_t>(n)) {}
  template <std::unsigned_integral T> Value(T n) : value_(static_cast<std::uint64_t>(n)) {}
  Value(double n) : value_(n) {}
  Value(bool flag) : value_(flag) {} // chosen over the template above, which bool also satisfies

  void append_to(std::string& out) const;

private:
  std::variant<std::string_view, std::int64_t, std::uint64_t, double, bool> value_;
};

struct Field {
  std::string_view key;
  Value value;
};
using Fields = std::initializer_list<Field>;

// {"ts":...,"level":"info","msg":MSG,<fields>} on stdout.
void info(std::string_view msg, Fields fields = {});
// {"ts":...,"level":"warn","msg":MSG,<fields>} on stderr: something an operator should fix.
void warn(std::string_view msg, Fields fields = {});
// {"ts":...,"level":"error","msg":MSG,<fields>} on stderr.
void error(std::string_view msg, Fields fields = {});
// {"ts":...,"type":TYPE,<fields>} on stdout: a record of something that happened (an HTTP request).
void record(std::string_view type, Fields fields);

// The line the functions above write, without its newline: {"ts":<ts>,<head>,<fields>}.
std::string format_line(Millis ts, Fields head, Fields fields);
// Appends `text` as a JSON string (with its quotes).
void append_json_string(std::string& out, std::string_view text);

} // namespace vikno::log
