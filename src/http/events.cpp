#include "http/events.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <string_view>

namespace vikno::http {

namespace {

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  out += value;
  out += '\n';
}

} // namespace

std::string sse_frame(const live::Event& event) {
  std::string out;
  out.reserve(event.data.size() + event.type.size() + 40);
  if (event.id != 0) {
    append_field(out, "id", std::to_string(event.id));
  }
  if (!event.type.empty()) {
    // A line break would end the field early and let the rest pass for other fields.
    std::string type = event.type;
    std::replace_if(
        type.begin(), type.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
    append_field(out, "event", type);
  }
  // CR, LF and CRLF all end a line in an event stream; each line of DATA is its own data: field,
  // and the client joins them back with "\n".
  std::string_view rest = event.data;
  for (;;) {
    std::size_t end = rest.find_first_of("\r\n");
    append_field(out, "data", rest.substr(0, end));
    if (end == std::string_view::npos) {
      break;
    }
    std::size_t next = end + 1;
    if (rest[end] == '\r' && next < rest.size() && rest[next] == '\n') {
      ++next;
    }
    rest.remove_prefix(next);
  }
  out += '\n';
  return out;
}

std::string websocket_frame(const live::Event& event) {
  std::string out = "{\"id\":";
  out += std::to_string(event.id);
  out += ",\"type\":";
  out += boost::json::serialize(boost::json::string(event.type));
  out += ",\"data\":";
  out += event.data.empty() ? std::string_view("null") : std::string_view(event.data);
  out += '}';
  return out;
}

} // namespace vikno::http
