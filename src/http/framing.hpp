// Request framing the server refuses before reading a body (RFC 9112 sections 3.2 and 6.3): where
// two readings of a request's length are possible, a proxy in front and this server could split
// the stream differently (request smuggling), so such a request is 400 and the connection closes.
// Beast's parser already refuses Content-Length with a chunked Transfer-Encoding and malformed
// lengths; these are the cases it lets through:
//  - a Transfer-Encoding whose final coding is not `chunked` (`xchunked`, `chunked, gzip`): a
//    request's body length then cannot be known;
//  - Transfer-Encoding together with Content-Length, whatever the order and codings;
//  - Transfer-Encoding in an HTTP/1.0 request (1.0 has no chunked coding);
//  - HTTP/1.1 without a Host header, or any request with more than one.
#pragma once

#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>

#include <optional>

#include "common/error.hpp"

namespace vikno::http {

// nullopt when the header frames the request unambiguously; else the 400 to answer (then close).
std::optional<Error> framing_error(const boost::beast::http::request_header<>& header);

} // namespace vikno::http
