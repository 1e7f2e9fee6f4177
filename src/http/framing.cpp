#include "http/framing.hpp"

#include <boost/beast/core/string.hpp>

#include <string_view>

#include "common/text.hpp"

namespace vikno::http {

namespace bhttp = boost::beast::http;

namespace {

// The last coding of a comma-separated list, without its parameters (";q=1") or spaces.
std::string_view last_coding(std::string_view list) {
  list = text::trim_blanks(list);
  while (!list.empty() && list.back() == ',') {
    list = text::trim_blanks(list.substr(0, list.size() - 1));
  }
  auto comma = list.rfind(',');
  std::string_view coding = comma == std::string_view::npos ? list : list.substr(comma + 1);
  if (auto semi = coding.find(';'); semi != std::string_view::npos) {
    coding = coding.substr(0, semi);
  }
  return text::trim_blanks(coding);
}

} // namespace

std::optional<Error> framing_error(const bhttp::request_header<>& header) {
  auto hosts = header.count(bhttp::field::host);
  if (hosts > 1) {
    return Error::invalid("bad_host", "the request has more than one Host header");
  }
  if (hosts == 0 && header.version() >= 11) {
    return Error::invalid("bad_host", "an HTTP/1.1 request needs a Host header");
  }
  auto codings = header.equal_range(bhttp::field::transfer_encoding);
  if (codings.first == codings.second) {
    return std::nullopt;
  }
  if (header.version() < 11) {
    return Error::invalid("bad_transfer_encoding", "Transfer-Encoding is not allowed in an HTTP/1.0 request");
  }
  if (header.count(bhttp::field::content_length) > 0) {
    return Error::invalid("conflicting_length", "a request may not have both Transfer-Encoding and Content-Length");
  }
  // Several Transfer-Encoding lines are one list, in order: the last line's last coding is final.
  std::string_view final_coding;
  for (auto it = codings.first; it != codings.second; ++it) {
    if (auto coding = last_coding(it->value()); !coding.empty()) {
      final_coding = coding;
    }
  }
  if (!boost::beast::iequals(final_coding, "chunked")) {
    return Error::invalid("bad_transfer_encoding", "the final Transfer-Encoding of a request must be chunked");
  }
  return std::nullopt;
}

} // namespace vikno::http
