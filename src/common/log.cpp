#include "common/log.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <mutex>

namespace vikno::log {

namespace {

// Length of the well-formed UTF-8 sequence at the start of `s`, or 0 when it is not one (a stray
// continuation byte, an overlong form, a surrogate, beyond U+10FFFF, cut short).
std::size_t utf8_sequence(std::string_view s) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char lead = byte(0);
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    low = lead == 0xE0 ? 0xA0 : 0x80;
    high = lead == 0xED ? 0x9F : 0xBF;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    low = lead == 0xF0 ? 0x90 : 0x80;
    high = lead == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0;
  }
  if (s.size() < length || byte(1) < low || byte(1) > high) {
    return 0;
  }
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) {
      return 0;
    }
  }
  return length;
}

std::mutex& output_mutex() {
  static std::mutex m;
  return m;
}

void write(std::FILE* stream, Fields head, Fields fields) {
  std::string line = format_line(system_clock()(), head, fields);
  line += '\n';
  std::lock_guard lock(output_mutex());
  std::fwrite(line.data(), 1, line.size(), stream);
  std::fflush(stream);
}

} // namespace

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  while (!text.empty()) {
    auto c = static_cast<unsigned char>(text.front());
    if (c >= 0x80) {
      std::size_t n = utf8_sequence(text);
      if (n == 0) {
        out += "\\ufffd";
        n = 1;
      } else {
        out.append(text.substr(0, n));
      }
      text.remove_prefix(n);
      continue;
    }
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (c < 0x20 || c == 0x7F) {
        out += fmt::format("\\u{:04x}", c);
      } else {
        out += static_cast<char>(c);
      }
    }
    text.remove_prefix(1);
  }
  out += '"';
}

void Value::append_to(std::string& out) const {
  struct Append {
    std::string& out;
    void operator()(std::string_view text) const { append_json_string(out, text); }
    void operator()(std::int64_t n) const { out += std::to_string(n); }
    void operator()(std::uint64_t n) const { out += std::to_string(n); }
    // The shortest form that reads back the same; JSON has no NaN or infinity.
    void operator()(double n) const { out += std::isfinite(n) ? fmt::format("{}", n) : "null"; }
    void operator()(bool flag) const { out += flag ? "true" : "false"; }
  };
  std::visit(Append{out}, value_);
}

std::string format_line(Millis ts, Fields head, Fields fields) {
  std::string out = "{\"ts\":";
  append_json_string(out, format_iso8601(ts));
  for (Fields part : {head, fields}) {
    for (const Field& field : part) {
      out += ',';
      append_json_string(out, field.key);
      out += ':';
      field.value.append_to(out);
    }
  }
  out += '}';
  return out;
}

void info(std::string_view msg, Fields fields) { write(stdout, {{"level", "info"}, {"msg", msg}}, fields); }

void warn(std::string_view msg, Fields fields) { write(stderr, {{"level", "warn"}, {"msg", msg}}, fields); }

void error(std::string_view msg, Fields fields) { write(stderr, {{"level", "error"}, {"msg", msg}}, fields); }

void record(std::string_view type, Fields fields) { write(stdout, {{"type", type}}, fields); }

} // namespace vikno::log
